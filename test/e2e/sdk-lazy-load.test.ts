// `claw --version` and `claw -p` must not load the Agent SDK protocol server or the ACP agent (and its SDK):
// a module hook records every module the built claw loads, and no file holding their code may be among them.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

/** The built files that hold the SDK server's or the ACP agent's code. */
function embeddingChunks(): string[] {
  const dir = join(CLAW_JS, "..", "chunks");
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => {
      const text = readFileSync(path, "utf8");
      return (
        text.includes("Unsupported control request subtype") || text.includes("session/request_permission")
      );
    });
}

async function loadedBy(args: string[]): Promise<string[]> {
  const log = join(e2e.sandbox.root, "loaded.log");
  const hooks = join(e2e.sandbox.root, "hooks.mjs");
  const register = join(e2e.sandbox.root, "register.mjs");
  writeFileSync(log, "");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + "\\n");
  return next(url, context);
}
`,
  );
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
  );
  // Asynchronous: the mock API answers from this process.
  const child = spawn(process.execPath, ["--import", register, CLAW_JS, ...args], {
    cwd: e2e.sandbox.workspace,
    env: cleanEnv(e2e.sandbox, e2e.env()),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(code, stderr).toBe(0);
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((url) => url.startsWith("file://"))
    .map((url) => fileURLToPath(url));
}

describe("the embedding front ends load only when used", () => {
  it("--version and -p load neither the SDK protocol server nor the ACP agent", async () => {
    const heavy = embeddingChunks();
    expect(heavy.length).toBeGreaterThanOrEqual(2);
    expect((await loadedBy(["--version"])).filter((path) => heavy.includes(path))).toEqual([]);
    e2e.mock.enqueue(reply.text("hi"));
    const printLoaded = await loadedBy(["-p", "hi"]);
    expect(printLoaded.some((path) => path.includes("/chunks/"))).toBe(true);
    expect(printLoaded.filter((path) => heavy.includes(path))).toEqual([]);
  });
});
