// T6: a writer killed with SIGKILL in the middle of atomic writes leaves the old or the new content, the
// mode intact, and the next Write removes the temp file it left behind.
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTool } from "../../../src/tools/read.js";
import { writeTool } from "../../../src/tools/write.js";
import { run, type TempWorkspace, tempWorkspace } from "./tool-context.js";

const ATOMIC_WRITE = resolve(fileURLToPath(new URL("../../../src/util/atomic-write.ts", import.meta.url)));
const SIZE = 4 * 1024 * 1024;

let ws: TempWorkspace;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe("T6: kill -9 during atomic writes", () => {
  it("leaves old or new content only, keeps the mode, and Write cleans the leftover temp file", async () => {
    const driver = join(ws.root, "driver.mjs");
    buildSync({
      stdin: {
        contents: `import { writeFileAtomic } from ${JSON.stringify(ATOMIC_WRITE)};
const target = process.argv[2];
const a = "A".repeat(${SIZE}), b = "B".repeat(${SIZE});
process.stdout.write("ready\\n");
for (let i = 0; ; i++) await writeFileAtomic(target, i % 2 ? a : b);`,
        resolveDir: ws.root,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: driver,
      logLevel: "silent",
    });
    const target = join(ws.dir, "data.txt");
    writeFileSync(target, "A".repeat(SIZE));
    chmodSync(target, 0o640);

    const child = spawn(process.execPath, [driver, target], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((ready) => child.stdout.once("data", () => ready()));
    // Let a few writes happen, then kill it wherever it is.
    await new Promise((r) => setTimeout(r, 150));
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGKILL");
    await exited;

    const content = readFileSync(target, "utf8");
    expect(content.length).toBe(SIZE);
    expect(content === "A".repeat(SIZE) || content === "B".repeat(SIZE)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o640);

    await run(readTool, { file_path: target }, ws.ctx);
    const r = await run(writeTool, { file_path: target, content: "final\n" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(readdirSync(ws.dir)).toEqual(["data.txt"]);
    expect(readFileSync(target, "utf8")).toBe("final\n");
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });
});
