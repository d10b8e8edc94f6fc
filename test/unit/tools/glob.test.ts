// Glob on real ripgrep over real temp trees: mtime order, .gitignore, hidden files, caps, errors.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GLOB_MAX_RESULTS, globTool } from "../../../src/tools/glob.js";
import { run, type TempWorkspace, tempWorkspace, text, writeTreeFile } from "./tool-context.js";

let t: TempWorkspace;

const file = (rel: string, content = "x", mtimeSec?: number) => writeTreeFile(t.dir, rel, content, mtimeSec);

beforeEach(() => {
  t = tempWorkspace();
  mkdirSync(join(t.dir, ".git"));
});
afterEach(() => t.cleanup());

describe("Glob", () => {
  it("lists matching files as absolute paths, newest first", async () => {
    const old = file("src/old.ts", "x", 1_000_000);
    const mid = file("src/deep/mid.ts", "x", 2_000_000);
    const fresh = file("fresh.ts", "x", 3_000_000);
    file("src/notes.md");
    const result = await run(globTool, { pattern: "**/*.ts" }, t.ctx);
    expect(result.isError).toBeFalsy();
    expect(text(result).split("\n")).toEqual([fresh, mid, old]);
    expect(result.display).toBe("Found 3 files");
  });

  it("searches under path, and splits an absolute pattern into directory and pattern", async () => {
    const inSrc = file("src/a.ts");
    file("lib/b.ts");
    expect(text(await run(globTool, { pattern: "*.ts", path: "src" }, t.ctx))).toBe(inSrc);
    expect(text(await run(globTool, { pattern: `${t.dir}/src/**/*.ts` }, t.ctx))).toBe(inSrc);
  });

  it("respects .gitignore and skips hidden files unless the pattern names them", async () => {
    file(".gitignore", "build/\n");
    file("build/out.js");
    const kept = file("src/in.js");
    const workflow = file(".github/workflows/ci.yml");
    file(".hidden/x.js");
    expect(text(await run(globTool, { pattern: "**/*.js" }, t.ctx))).toBe(kept);
    expect(text(await run(globTool, { pattern: "**/*.yml" }, t.ctx))).toMatch(/No files found/);
    expect(text(await run(globTool, { pattern: ".github/**/*.yml" }, t.ctx))).toBe(workflow);
  });

  it(`caps the list at ${GLOB_MAX_RESULTS} with a notice`, async () => {
    for (let i = 0; i < GLOB_MAX_RESULTS + 20; i++) file(`many/f${i}.txt`, "x", 1_000_000 + i);
    const result = await run(globTool, { pattern: "many/*.txt" }, t.ctx);
    const lines = text(result).split("\n");
    expect(lines).toHaveLength(GLOB_MAX_RESULTS + 1);
    expect(lines[0]).toBe(join(t.dir, `many/f${GLOB_MAX_RESULTS + 19}.txt`));
    expect(lines.at(-1)).toMatch(/Showing the 100 most recently modified of 120 matching files/);
  });

  it("says so when nothing matches, and errors helpfully for a bad path", async () => {
    file("a.txt");
    expect(text(await run(globTool, { pattern: "*.rs" }, t.ctx))).toMatch(
      /^No files found matching "\*\.rs"/,
    );
    const missing = await run(globTool, { pattern: "*", path: "nope" }, t.ctx);
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/does not exist/);
    const notDir = await run(globTool, { pattern: "*", path: "a.txt" }, t.ctx);
    expect(notDir.isError).toBe(true);
    expect(text(notDir)).toMatch(/not a directory/);
  });

  it("declares the search directory for the permission gate", () => {
    expect(globTool.paths?.({ pattern: "*.ts", path: "/etc" })).toEqual(["/etc"]);
    expect(globTool.paths?.({ pattern: "/opt/x/**/*.ts" })).toEqual(["/opt/x"]);
    expect(globTool.paths?.({ pattern: "*.ts" })).toEqual(["."]);
  });
});
