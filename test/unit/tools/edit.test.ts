import { createHash } from "node:crypto";
import { chmodSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bashTool } from "../../../src/tools/bash.js";
import { editTool } from "../../../src/tools/edit.js";
import { readTool } from "../../../src/tools/read.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

let ws: TempWorkspace;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

const hash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function readyFile(name: string, content: string | Buffer): Promise<string> {
  const path = join(ws.dir, name);
  writeFileSync(path, content);
  const r = await run(readTool, { file_path: path }, ws.ctx);
  expect(r.isError).toBeFalsy();
  return path;
}

describe("Edit", () => {
  it("replaces a unique string, atomically, and returns a diff and a snippet", async () => {
    const path = await readyFile("a.ts", "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    chmodSync(path, 0o640);
    const r = await run(
      editTool,
      { file_path: path, old_string: "const b = 2;", new_string: "const b = 20;" },
      ws.ctx,
    );
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("const a = 1;\nconst b = 20;\nconst c = 3;\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(r.diff).toContain("-const b = 2;");
    expect(r.diff).toContain("+const b = 20;");
    expect(text(r)).toContain("2\tconst b = 20;");
  });

  it("uses new_string literally ($& and $1 are not patterns)", async () => {
    const path = await readyFile("d.txt", "price: X\n");
    await run(editTool, { file_path: path, old_string: "X", new_string: "$& $1 $$" }, ws.ctx);
    expect(readFileSync(path, "utf8")).toBe("price: $& $1 $$\n");
  });

  it("T5: found twice → 'appears 2 times' and the file is unchanged; replace_all changes both", async () => {
    const path = await readyFile("t.txt", "foo\nbar\nfoo\n");
    const before = hash(path);
    const r = await run(editTool, { file_path: path, old_string: "foo", new_string: "baz" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("appears 2 times");
    expect(text(r)).toContain("lines 1, 3");
    expect(hash(path)).toBe(before);
    const all = await run(
      editTool,
      { file_path: path, old_string: "foo", new_string: "baz", replace_all: true },
      ws.ctx,
    );
    expect(all.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("baz\nbar\nbaz\n");
  });

  it("T5: not found → error with the closest lines, file unchanged", async () => {
    const path = await readyFile("n.ts", "function alpha() {\n  return computeTotal(items);\n}\n");
    const before = hash(path);
    const r = await run(
      editTool,
      { file_path: path, old_string: "return computeTotals(item);", new_string: "return 0;" },
      ws.ctx,
    );
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("not found");
    expect(text(r)).toContain("2\t  return computeTotal(items);");
    expect(hash(path)).toBe(before);
  });

  it("points out whitespace-only differences and line-number prefixes", async () => {
    const path = await readyFile("w.py", "def f():\n    return 1\n");
    const ws1 = await run(
      editTool,
      { file_path: path, old_string: "def f():\n  return 1", new_string: "x" },
      ws.ctx,
    );
    expect(text(ws1)).toContain("Lines 1–2 match it except for whitespace");
    const prefixed = await run(
      editTool,
      { file_path: path, old_string: "     2\t    return 1", new_string: "x" },
      ws.ctx,
    );
    expect(text(prefixed)).toContain("line-number prefixes");
  });

  it("T5: identical strings → no change", async () => {
    const path = await readyFile("s.txt", "same\n");
    const before = hash(path);
    const r = await run(editTool, { file_path: path, old_string: "same", new_string: "same" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("identical");
    expect(hash(path)).toBe(before);
  });

  it("must read first, and refuses a file changed since the read", async () => {
    const path = join(ws.dir, "unread.txt");
    writeFileSync(path, "abc\n");
    const r = await run(editTool, { file_path: path, old_string: "abc", new_string: "x" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("has not been read");
    await run(readTool, { file_path: path }, ws.ctx);
    writeFileSync(path, "abc changed\n");
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const stale = await run(editTool, { file_path: path, old_string: "abc", new_string: "x" }, ws.ctx);
    expect(text(stale)).toContain("modified on disk");
    expect(readFileSync(path, "utf8")).toBe("abc changed\n");
  });

  it("creates a new file when old_string is empty and the file does not exist", async () => {
    const path = join(ws.dir, "new/dir/file.txt");
    const r = await run(editTool, { file_path: path, old_string: "", new_string: "hello\n" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("hello\n");
    const exists = await readyFile("full.txt", "content\n");
    const refused = await run(editTool, { file_path: exists, old_string: "", new_string: "x" }, ws.ctx);
    expect(refused.isError).toBe(true);
  });

  it("a missing file (with non-empty old_string) names close files", async () => {
    writeFileSync(join(ws.dir, "config.json"), "{}");
    const r = await run(
      editTool,
      { file_path: join(ws.dir, "config.jsn"), old_string: "a", new_string: "b" },
      ws.ctx,
    );
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("config.json");
  });
});

describe("T4: Edit keeps every byte outside the edited span", () => {
  it("Latin-1: other non-UTF-8 bytes are kept, the new text is written in Latin-1", async () => {
    const original = Buffer.from("caf\xe9 cr\xe8me\nna\xefve line\nend\n", "latin1");
    const path = await readyFile("latin.txt", original);
    const r = await run(
      editTool,
      { file_path: path, old_string: "na\u00efve", new_string: "d\u00e9j\u00e0" },
      ws.ctx,
    );
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path)).toEqual(Buffer.from("caf\xe9 cr\xe8me\nd\xe9j\xe0 line\nend\n", "latin1"));
  });

  it("Latin-1: a character Latin-1 cannot hold is refused, the file unchanged", async () => {
    const path = await readyFile("latin2.txt", Buffer.from("prix: 5 EUR \xe9\n", "latin1"));
    const before = hash(path);
    const r = await run(editTool, { file_path: path, old_string: "EUR", new_string: "\u20ac" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("Latin-1");
    expect(hash(path)).toBe(before);
  });

  it("CRLF: LF strings from the model match, and the file stays CRLF", async () => {
    const path = await readyFile("crlf.txt", "one\r\ntwo\r\nthree\r\n");
    const r = await run(
      editTool,
      { file_path: path, old_string: "one\ntwo", new_string: "uno\ndos\nplus" },
      ws.ctx,
    );
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("uno\r\ndos\r\nplus\r\nthree\r\n");
    const single = await run(
      editTool,
      { file_path: path, old_string: "three", new_string: "tres\nfour" },
      ws.ctx,
    );
    expect(single.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("uno\r\ndos\r\nplus\r\ntres\r\nfour\r\n");
  });

  it("BOM and a missing final newline are kept", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const path = await readyFile("bom.txt", Buffer.concat([bom, Buffer.from("alpha\nbeta")]));
    const r = await run(editTool, { file_path: path, old_string: "alpha", new_string: "ALPHA" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path)).toEqual(Buffer.concat([bom, Buffer.from("ALPHA\nbeta")]));
  });

  it("refuses binary files", async () => {
    const path = join(ws.dir, "bin.dat");
    writeFileSync(path, Buffer.from([0x61, 0, 0x62]));
    ws.ctx.session.readFiles.set(path, statSync(path).mtimeMs);
    const r = await run(editTool, { file_path: path, old_string: "a", new_string: "b" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("not a text file");
  });
});

describe("symlinks", () => {
  it("a link made by Bash is resolved to its target outside the workspace", async () => {
    writeFileSync(join(ws.outside, "victim.txt"), "outside\n");
    await run(bashTool, { command: `ln -s ${ws.outside}/victim.txt inside.txt` }, ws.ctx);
    const paths = editTool.paths?.({ file_path: "inside.txt", old_string: "a", new_string: "b" }) ?? [];
    const resolved = await Promise.all(paths.map((p) => ws.ctx.workspace.resolve(p)));
    expect(resolved).toEqual([join(ws.outside, "victim.txt")]);
    expect(resolved.every((p) => ws.ctx.workspace.contains(p))).toBe(false);
  });

  it("an edit through a dangling link is refused as missing (nothing created through it)", async () => {
    symlinkSync(join(ws.outside, "ghost.txt"), join(ws.dir, "ghost.txt"));
    const r = await run(
      editTool,
      { file_path: join(ws.dir, "ghost.txt"), old_string: "a", new_string: "b" },
      ws.ctx,
    );
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("does not exist");
  });
});
