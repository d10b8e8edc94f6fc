// Issue 11 class 12 end to end: a hard link in the workspace to a file outside is not read without asking
// (Read, Bash cat/head), and commands that take the names to read from a file (`file -f list`) ask, because
// claw cannot see those names.
import { linkSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMockApi } from "../support/e2e-context.js";
import { bash, everythingSent, runToolCalls } from "../support/tool-calls.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-links-" });

function outsideSecret(): string {
  const outside = join(e2e.sandbox.root, "outside");
  mkdirSync(outside);
  const secret = join(outside, "secret.txt");
  writeFileSync(secret, "OUTSIDE-SECRET-7\n");
  return secret;
}

describe("class 12: hard links and file lists", () => {
  it("a hard link to an outside file is not read by Read, cat or head without asking", async () => {
    const secret = outsideSecret();
    const link = join(e2e.sandbox.workspace, "notes.txt");
    linkSync(secret, link);
    writeFileSync(join(e2e.sandbox.workspace, "plain.txt"), "PLAIN-TEXT\n");
    const { results, run } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [
        { name: "Read", input: { file_path: link } },
        bash("cat notes.txt"),
        bash("head -n 1 ./notes.txt"),
        bash("cat plain.txt && wc -l notes.txt"),
        { name: "Read", input: { file_path: join(e2e.sandbox.workspace, "plain.txt") } },
      ],
      [],
    );
    expect(run.code).toBe(0);
    for (const result of results.slice(0, 3)) {
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/hard link \(the file has 2 names/);
    }
    expect(results[3]?.isError).toBe(true);
    expect(results[4]).toMatchObject({ isError: false, text: expect.stringContaining("PLAIN-TEXT") });
    expect(everythingSent(e2e.mock)).not.toContain("OUTSIDE-SECRET-7");
  });

  it("Grep over the workspace leaves hard-linked files out and says so", async () => {
    const secret = outsideSecret();
    linkSync(secret, join(e2e.sandbox.workspace, "notes.txt"));
    writeFileSync(join(e2e.sandbox.workspace, "plain.txt"), "OUTSIDE-SECRET-7 mentioned in a plain file\n");
    const { results } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [
        { name: "Grep", input: { pattern: "OUTSIDE-SECRET", output_mode: "content" } },
        { name: "Grep", input: { pattern: "OUTSIDE-SECRET" } },
        { name: "Grep", input: { pattern: "OUTSIDE-SECRET", output_mode: "count" } },
      ],
      ["--permission-mode", "plan"],
    );
    for (const result of results) {
      expect(result.isError).toBe(false);
      expect(result.text).toContain("plain.txt");
      expect(result.text).not.toMatch(/notes\.txt:/);
      expect(result.text).toMatch(/Left out 1 hard-linked file/);
    }
    expect(everythingSent(e2e.mock)).not.toContain("OUTSIDE-SECRET-7\\n");
  });

  it("in read-only mode, file -f, checksum --check and other name lists are refused", async () => {
    const secret = outsideSecret();
    const w = e2e.sandbox.workspace;
    writeFileSync(join(w, "list.txt"), `${secret}\n`);
    writeFileSync(join(w, "sums.txt"), `0000  ${secret}\n`);
    writeFileSync(join(w, "a.txt"), "hello\n");
    const commands = [
      "file -f list.txt",
      "file --files-from=list.txt",
      "sha256sum -c sums.txt",
      "md5sum --check sums.txt",
      "wc --files0-from=list.txt",
      "find . -files0-from list.txt",
      "tar -T list.txt -cf - ",
      "xargs -a list.txt cat",
    ];
    const { results, run } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [...commands.map(bash), bash("file a.txt")],
      ["--permission-mode", "plan"],
    );
    expect(run.code).toBe(0);
    for (const result of results.slice(0, commands.length)) expect(result.isError).toBe(true);
    expect(results[commands.length]).toMatchObject({
      isError: false,
      text: expect.stringContaining("a.txt:"),
    });
    expect(everythingSent(e2e.mock)).not.toContain("secret.txt:");
  });
});
