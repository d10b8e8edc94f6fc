import {
  chmodSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTool } from "../../../src/tools/read.js";
import { writeTool } from "../../../src/tools/write.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

let ws: TempWorkspace;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe("Write", () => {
  it("creates a new file and its parent directories, with a diff", async () => {
    const path = join(ws.dir, "a/b/c.txt");
    const r = await run(writeTool, { file_path: path, content: "one\ntwo\n" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("one\ntwo\n");
    expect(text(r)).toContain("Created");
    expect(r.diff).toContain("+one");
    expect(ws.ctx.session.readFiles.get(path)).toBe(statSync(path).mtimeMs);
  });

  it("refuses to overwrite a file that was not read in this session", async () => {
    const path = join(ws.dir, "existing.txt");
    writeFileSync(path, "keep me\n");
    const r = await run(writeTool, { file_path: path, content: "gone" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("has not been read");
    expect(readFileSync(path, "utf8")).toBe("keep me\n");
  });

  it("refuses when the file changed on disk after the read", async () => {
    const path = join(ws.dir, "changed.txt");
    writeFileSync(path, "v1\n");
    await run(readTool, { file_path: path }, ws.ctx);
    writeFileSync(path, "v2 by the user\n");
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const r = await run(writeTool, { file_path: path, content: "model" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("modified on disk");
    expect(readFileSync(path, "utf8")).toBe("v2 by the user\n");
  });

  it("T6: replaces atomically, keeps the mode, leaves no temp file, shows a diff", async () => {
    const path = join(ws.dir, "script.sh");
    writeFileSync(path, "#!/bin/sh\necho old\n");
    chmodSync(path, 0o751);
    await run(readTool, { file_path: path }, ws.ctx);
    const r = await run(writeTool, { file_path: path, content: "#!/bin/sh\necho new\n" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readFileSync(path, "utf8")).toBe("#!/bin/sh\necho new\n");
    expect(statSync(path).mode & 0o777).toBe(0o751);
    expect(readdirSync(ws.dir)).toEqual(["script.sh"]);
    expect(r.diff).toContain("-echo old");
    expect(r.diff).toContain("+echo new");
    // The write counts as a read: a second write needs no new Read.
    const again = await run(writeTool, { file_path: path, content: "x\n" }, ws.ctx);
    expect(again.isError).toBeFalsy();
  });

  it("writes through a symlink to its target (the resolved path is what changes)", async () => {
    const target = join(ws.dir, "real.txt");
    writeFileSync(target, "old\n");
    symlinkSync(target, join(ws.dir, "link.txt"));
    await run(readTool, { file_path: join(ws.dir, "link.txt") }, ws.ctx);
    const r = await run(writeTool, { file_path: join(ws.dir, "link.txt"), content: "new\n" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readFileSync(target, "utf8")).toBe("new\n");
    expect(statSync(join(ws.dir, "link.txt")).isFile()).toBe(true);
  });

  it("keeps a UTF-8 BOM of the file it replaces", async () => {
    const path = join(ws.dir, "bom.txt");
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a\n")]));
    await run(readTool, { file_path: path }, ws.ctx);
    await run(writeTool, { file_path: path, content: "b\n" }, ws.ctx);
    expect(readFileSync(path)).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("b\n")]));
  });

  it("refuses a directory", async () => {
    const r = await run(writeTool, { file_path: ws.dir, content: "x" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("is a directory");
  });
});
