import { copyFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTool } from "../../../src/tools/read.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

const PNG_1x1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

let ws: TempWorkspace;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

function file(name: string, content: string | Buffer): string {
  const path = join(ws.dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe("Read", () => {
  it("returns cat -n style numbered lines and records the read", async () => {
    const path = file("a.txt", "alpha\nbeta\r\ngamma");
    const r = await run(readTool, { file_path: path }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(text(r)).toBe("     1\talpha\n     2\tbeta\n     3\tgamma");
    expect(ws.ctx.session.readFiles.get(path)).toBe(statSync(path).mtimeMs);
  });

  it("resolves relative paths against the workspace", async () => {
    file("src/b.ts", "x\n");
    const r = await run(readTool, { file_path: "src/b.ts" }, ws.ctx);
    expect(text(r)).toBe("     1\tx");
  });

  it("reads 2000 lines by default and says how to continue", async () => {
    const lines = Array.from({ length: 9000 }, (_, i) => `row ${i + 1}`);
    const path = file("big.txt", `${lines.join("\n")}\n`);
    const r = await run(readTool, { file_path: path }, ws.ctx);
    const out = text(r).split("\n");
    expect(out[0]).toBe("     1\trow 1");
    expect(out[1999]).toBe("  2000\trow 2000");
    expect(text(r)).toContain("showing lines 1–2000 of 9000; use offset=2001 to continue");
    const next = await run(readTool, { file_path: path, offset: 8999, limit: 5 }, ws.ctx);
    expect(text(next)).toContain("  8999\trow 8999\n  9000\trow 9000");
    expect(text(next)).toContain("(end of file)");
  });

  it("errors helpfully on an offset past the end", async () => {
    const path = file("short.txt", "1\n2\n");
    const r = await run(readTool, { file_path: path, offset: 10 }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("has 2 lines; offset=10 is past the end");
  });

  it("cuts lines over 2000 characters and says so", async () => {
    const path = file("long.txt", `${"x".repeat(5000)}\nshort\n`);
    const r = await run(readTool, { file_path: path }, ws.ctx);
    const first = text(r).split("\n")[0]!;
    expect(first.length).toBeLessThan(2100);
    expect(first).toContain("[line cut: 5000 characters]");
    expect(text(r)).toContain("1 line was longer than 2000 characters");
  });

  it("keeps a result within its byte budget even with very long lines", async () => {
    const path = file("wide.txt", `${"y".repeat(1999)}\n`.repeat(500));
    const r = await run(readTool, { file_path: path }, ws.ctx);
    expect(Buffer.byteLength(text(r))).toBeLessThan(120_000);
    expect(text(r)).toMatch(/showing lines 1–\d+ of 500; use offset=\d+ to continue/);
  });

  it("notes an empty file", async () => {
    const path = file("empty.txt", "");
    const r = await run(readTool, { file_path: path }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain("exists but is empty");
    expect(ws.ctx.session.readFiles.has(path)).toBe(true);
  });

  it("T3: a PNG becomes an image block with the right media type (sniffed, not by name)", async () => {
    const path = file("picture.dat", Buffer.from(PNG_1x1, "base64"));
    const r = await run(readTool, { file_path: path }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(r.content).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_1x1 } },
    ]);
  });

  it("T3: jpeg, gif and webp are recognised", async () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), "image/jpeg"],
      [Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"), "image/gif"],
      [
        Buffer.concat([Buffer.from("RIFF"), Buffer.from([1, 0, 0, 0]), Buffer.from("WEBPVP8 ")]),
        "image/webp",
      ],
    ];
    for (const [bytes, mediaType] of cases) {
      const path = file(`img-${mediaType.slice(6)}`, bytes);
      const r = await run(readTool, { file_path: path }, ws.ctx);
      expect(r.content).toMatchObject([{ type: "image", source: { media_type: mediaType } }]);
    }
  });

  it("T3: an ELF binary and a PDF are refused as binary, without replacement characters", async () => {
    const elf = join(ws.dir, "true-copy");
    copyFileSync("/bin/true", elf);
    const pdf = file(
      "doc.pdf",
      Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 10])]),
    );
    for (const [path, what] of [
      [elf, "ELF"],
      [pdf, "PDF"],
    ] as const) {
      const r = await run(readTool, { file_path: path }, ws.ctx);
      expect(r.isError).toBe(true);
      expect(text(r)).toContain("binary file");
      expect(text(r)).toContain(what);
      expect(text(r)).not.toContain("\uFFFD");
    }
    const nul = file("data.bin", Buffer.from([0x61, 0x00, 0x62]));
    expect(text(await run(readTool, { file_path: nul }, ws.ctx))).toContain("NUL bytes");
  });

  it("a directory gets an error listing some entries", async () => {
    file("dir/one.txt", "");
    file("dir/sub/two.txt", "");
    const r = await run(readTool, { file_path: join(ws.dir, "dir") }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("is a directory");
    expect(text(r)).toContain("one.txt, sub/");
  });

  it("a missing file gets the closest names in its directory", async () => {
    file("src/index.tsx", "");
    file("src/other.ts", "");
    const r = await run(readTool, { file_path: join(ws.dir, "src/index.ts") }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("File does not exist");
    expect(text(r)).toContain(join(ws.dir, "src/index.tsx"));
    const deeper = await run(readTool, { file_path: join(ws.dir, "nope/deeper/x.ts") }, ws.ctx);
    expect(text(deeper)).toContain(`directory ${join(ws.dir, "nope")} does not exist`);
  });

  it("shows a Latin-1 file faithfully and says it is not UTF-8", async () => {
    const path = file("latin.txt", Buffer.from("caf\xe9\n", "latin1"));
    const r = await run(readTool, { file_path: path }, ws.ctx);
    expect(text(r)).toContain("     1\tcafé");
    expect(text(r)).toContain("not valid UTF-8");
  });

  it("strips a UTF-8 BOM from the first line and reads UTF-16 files", async () => {
    const bom = file("bom.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("first\n")]));
    expect(text(await run(readTool, { file_path: bom }, ws.ctx))).toBe("     1\tfirst");
    const utf16 = file(
      "u16.txt",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("héllo\nworld\n", "utf16le")]),
    );
    expect(text(await run(readTool, { file_path: utf16 }, ws.ctx))).toBe("     1\théllo\n     2\tworld");
  });

  it("reports the path for the permission gate", () => {
    expect(readTool.paths?.({ file_path: "src/a.ts" })).toEqual(["src/a.ts"]);
  });
});
