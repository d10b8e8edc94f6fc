// The @mention index: fuzzy ranking, narrowing as the query grows, folders derived from the file list.
import { describe, expect, it } from "vitest";
import { FileIndex } from "../../../src/tui/input/file-index.js";

async function indexOf(files: string[]): Promise<FileIndex> {
  const index = new FileIndex(
    () => "/w",
    async () => files,
  );
  index.warm();
  await index.settled();
  return index;
}

describe("FileIndex", () => {
  it("is empty-handed until listed, then offers the top level with folders first", async () => {
    const index = new FileIndex(
      () => "/w",
      async () => ["README.md", "src/a.ts"],
    );
    expect(index.search("a")).toBeUndefined();
    index.warm();
    await index.settled();
    expect(index.search("")).toEqual(["src/", "README.md"]);
  });

  it("ranks what the user means first and drops what does not match", async () => {
    const index = await indexOf([
      "src/alpha.ts",
      "src/util/strings.ts",
      "src/util/paths.ts",
      "test/util-helpers.ts",
      "docs/structure.md",
    ]);
    expect(index.search("src/ut")?.[0]).toBe("src/util/");
    expect(index.search("src/ut")).not.toContain("src/alpha.ts");
    expect(index.search("strings")?.[0]).toBe("src/util/strings.ts");
    expect(index.search("STRINGS")?.[0]).toBe("src/util/strings.ts");
    // A query that grows narrows the previous matches; one that shrinks searches everything again.
    expect(index.search("pa")).toContain("src/util/paths.ts");
    expect(index.search("pat")?.[0]).toBe("src/util/paths.ts");
    expect(index.search("pat")).not.toContain("test/util-helpers.ts");
    expect(index.search("p")).toContain("test/util-helpers.ts");
    expect(index.search("zzz")).toEqual([]);
  });

  it("searches 50,000 paths", async () => {
    const files = Array.from(
      { length: 50_000 },
      (_, i) => `pkg${Math.floor(i / 100)}/lib/module${i % 100}.ts`,
    );
    const index = await indexOf([...files, "src/target-file.ts"]);
    expect(index.search("targetfile")?.[0]).toBe("src/target-file.ts");
    expect(index.search("pkg499/lib/module99")?.[0]).toBe("pkg499/lib/module99.ts");
  });
});
