// Grep on real ripgrep: output modes, paging, context, filters, regex errors, no shell, abort.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPermissionGate } from "../../../src/policy/permissions.js";
import { globTool } from "../../../src/tools/glob.js";
import { grepTool, ripgrepArgs } from "../../../src/tools/grep.js";
import { run, type TempWorkspace, tempWorkspace, text, writeTreeFile } from "./tool-context.js";

let t: TempWorkspace;

const file = (rel: string, content: string, mtimeSec?: number) =>
  writeTreeFile(t.dir, rel, content, mtimeSec);

beforeEach(() => {
  t = tempWorkspace();
  mkdirSync(join(t.dir, ".git"));
});
afterEach(() => t.cleanup());

describe("Grep", () => {
  it("lists matching files by default, newest first, skipping .gitignored ones", async () => {
    const a = file("src/a.ts", "const needle = 1;\n", 1_000_000);
    const b = file("src/b.ts", "// needle\n", 2_000_000);
    file("src/c.ts", "nothing here\n");
    file(".gitignore", "dist/\n");
    file("dist/bundle.js", "needle\n");
    const result = await run(grepTool, { pattern: "needle" }, t.ctx);
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe(`Found 2 files\n${b}\n${a}`);
  });

  it("shows matching lines with line numbers in content mode, files in path order", async () => {
    const b = file("b.txt", "one\nTwo match\nthree\n");
    const a = file("a.txt", "match here\nno\nmatch again\n");
    const result = await run(grepTool, { pattern: "match", output_mode: "content" }, t.ctx);
    expect(text(result)).toBe([`${a}:1:match here`, `${a}:3:match again`, `${b}:2:Two match`].join("\n"));
    const noNumbers = await run(grepTool, { pattern: "Two", output_mode: "content", "-n": false }, t.ctx);
    expect(text(noNumbers)).toBe(`${b}:Two match`);
  });

  it("adds context lines with -A/-B/-C and separates groups", async () => {
    const f = file("f.txt", "a\nb\nHIT\nc\nd\ne\nf\nHIT\ng\n");
    const result = await run(grepTool, { pattern: "HIT", output_mode: "content", "-C": 1 }, t.ctx);
    expect(text(result)).toBe(
      [`${f}-2-b`, `${f}:3:HIT`, `${f}-4-c`, "--", `${f}-7-f`, `${f}:8:HIT`, `${f}-9-g`].join("\n"),
    );
    const after = await run(
      grepTool,
      { pattern: "HIT", output_mode: "content", "-A": 1, head_limit: 2 },
      t.ctx,
    );
    expect(text(after).split("\n").slice(0, 2)).toEqual([`${f}:3:HIT`, `${f}-4-c`]);
  });

  it("counts matches per file", async () => {
    const a = file("a.txt", "x\nx\ny\n");
    const b = file("b.txt", "x\n");
    const result = await run(grepTool, { pattern: "x", output_mode: "count" }, t.ctx);
    expect(text(result)).toBe(`${a}:2\n${b}:1\n\nFound 3 matches in 2 files`);
  });

  it("pages with head_limit and offset and says how to continue", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `item ${i + 1}`).join("\n");
    const f = file("list.txt", `${lines}\n`);
    const first = await run(grepTool, { pattern: "item", output_mode: "content", head_limit: 10 }, t.ctx);
    expect(text(first)).toContain(`${f}:10:item 10`);
    expect(text(first)).not.toContain(`${f}:11:`);
    expect(text(first)).toMatch(/Showing lines 1–10 of 30; use offset=10 to see more/);
    const second = await run(
      grepTool,
      { pattern: "item", output_mode: "content", head_limit: 10, offset: 10 },
      t.ctx,
    );
    expect(text(second).split("\n")[0]).toBe(`${f}:11:item 11`);
    const last = await run(
      grepTool,
      { pattern: "item", output_mode: "content", head_limit: 10, offset: 25 },
      t.ctx,
    );
    expect(text(last)).toMatch(/Showing lines 26–30 of 30\.\)$/);
    const all = await run(grepTool, { pattern: "item", output_mode: "content", head_limit: 0 }, t.ctx);
    expect(text(all).split("\n")).toHaveLength(30);
  });

  it("filters by glob and type, ignores case with -i, spans lines with multiline", async () => {
    const ts = file("src/x.ts", "Alpha\n");
    const py = file("src/y.py", "alpha\n");
    expect(text(await run(grepTool, { pattern: "alpha", glob: "*.py" }, t.ctx))).toBe(`Found 1 file\n${py}`);
    expect(text(await run(grepTool, { pattern: "alpha", type: "ts", "-i": true }, t.ctx))).toBe(
      `Found 1 file\n${ts}`,
    );
    const m = file("m.rs", "struct S {\n    field: u8,\n}\n");
    expect(text(await run(grepTool, { pattern: "S \\{.*field", path: "m.rs" }, t.ctx))).toMatch(/No matches/);
    expect(text(await run(grepTool, { pattern: "S \\{.*field", path: "m.rs", multiline: true }, t.ctx))).toBe(
      `Found 1 file\n${m}`,
    );
  });

  it("turns a regex error into a clear error result", async () => {
    file("a.txt", "x\n");
    const result = await run(grepTool, { pattern: "foo(" }, t.ctx);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/regex parse error/);
    expect(text(result)).toMatch(/escape literal/);
    const badType = await run(grepTool, { pattern: "x", type: "nosuchtype" }, t.ctx);
    expect(badType.isError).toBe(true);
    expect(text(badType)).toMatch(/unrecognized file type/);
  });

  it("passes the pattern as an argument, never through a shell", async () => {
    const f = file("a.txt", "-v\n$(touch pwned)\n");
    expect(text(await run(grepTool, { pattern: "-v", output_mode: "content" }, t.ctx))).toBe(`${f}:1:-v`);
    await run(grepTool, { pattern: "$(touch pwned)", "-i": true }, t.ctx);
    expect(existsSync(join(t.dir, "pwned"))).toBe(false);
    expect(ripgrepArgs({ pattern: "--pre=sh" }, "/x").slice(-4)).toEqual([
      "--regexp",
      "--pre=sh",
      "--",
      "/x",
    ]);
  });

  it("reports no matches and a missing path", async () => {
    file("a.txt", "x\n");
    expect(text(await run(grepTool, { pattern: "zzz" }, t.ctx))).toMatch(
      /^No matches found for pattern "zzz"/,
    );
    const missing = await run(grepTool, { pattern: "x", path: "nope/dir" }, t.ctx);
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/does not exist/);
  });

  it("leaves files a Read deny rule forbids out of Grep and Glob results", async () => {
    const open = file("src/config.ts", "password = env\n");
    file("secrets/key.txt", "password = hunter2\n");
    const gate = createPermissionGate({
      mode: "workspace-write",
      rules: { deny: ["Read(./secrets/**)"] },
      workspace: t.ctx.workspace,
      cwd: t.dir,
    });
    t.ctx.isReadDenied = (path) => gate.isReadDenied(path);
    expect(text(await run(grepTool, { pattern: "password" }, t.ctx))).toBe(`Found 1 file\n${open}`);
    const content = text(await run(grepTool, { pattern: "password", output_mode: "content" }, t.ctx));
    expect(content).not.toContain("hunter2");
    expect(text(await run(grepTool, { pattern: "password", output_mode: "count" }, t.ctx))).not.toContain(
      "secrets",
    );
    expect(text(await run(globTool, { pattern: "**/*.txt" }, t.ctx))).toMatch(/No files found/);
  });

  it("stops when the turn is aborted", async () => {
    file("a.txt", "x\n");
    const pending = run(grepTool, { pattern: "x" }, t.ctx);
    t.controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/interrupted/);
  });
});
