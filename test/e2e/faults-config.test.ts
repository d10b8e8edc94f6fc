// FAULTS.md S6 with real processes: two shells each run `claw mcp add --scope user` many times against one
// settings.json while the test keeps parsing it. The file must be valid JSON at every read and end with every
// server and every key it started with. (test/unit/config/faults-shared-config.test.ts does 100× per writer
// in-process; here each add is a node start, so this only shows the CLI takes the same lock: CLAW_FAULTS_S6_ROUNDS=100
// for the full row.)
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";

const ROUNDS = Number(process.env.CLAW_FAULTS_S6_ROUNDS ?? 8);

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox("claw-faults-config-");
});
afterEach(() => {
  sandbox.cleanup();
});

/** A shell loop of `claw mcp add`; resolves with its exit code and stderr. */
function addLoop(prefix: string): Promise<{ code: number | null; stderr: string }> {
  const script = `i=0; while [ $i -lt ${ROUNDS} ]; do "$@" mcp add -s user ${prefix}$i echo $i >/dev/null || exit 1; i=$((i+1)); done`;
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", script, "sh", ...CLAW_COMMAND], {
      cwd: sandbox.workspace,
      env: cleanEnv(sandbox),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("S6: two processes rewrite the shared config", () => {
  it(`${ROUNDS}× each via \`claw mcp add\`: always valid JSON, no lost keys, no leftovers`, async () => {
    const path = join(sandbox.configHome, "settings.json");
    const original = { model: "claude-keep", env: { KEEP: "1" }, permissions: { deny: ["Read(./secret)"] } };
    writeFileSync(path, `${JSON.stringify(original, null, 2)}\n`);

    let reads = 0;
    const failures: string[] = [];
    const check = () => {
      const text = readFileSync(path, "utf8"); // the atomic rename means the file always exists
      reads++;
      try {
        JSON.parse(text);
      } catch {
        failures.push(text.slice(0, 200));
      }
    };
    // Read the file each time the folder changes (every temp write and rename), not on a timer.
    const watcher = watch(sandbox.configHome, check);
    const results = await Promise.all([addLoop("a"), addLoop("b")]);
    watcher.close();
    check();

    expect(results.map((r) => r.stderr)).toEqual(["", ""]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect({ model: doc.model, env: doc.env, permissions: doc.permissions }).toEqual(original);
    const names = Object.keys(doc.mcpServers);
    expect(names).toHaveLength(2 * ROUNDS);
    for (let i = 0; i < ROUNDS; i++) {
      expect(doc.mcpServers[`a${i}`]).toMatchObject({ command: "echo", args: [String(i)] });
      expect(doc.mcpServers[`b${i}`]).toMatchObject({ command: "echo", args: [String(i)] });
    }
    // No temp file or lock directory is left beside it.
    expect(readdirSync(sandbox.configHome).filter((f) => f.includes(".tmp") || f.endsWith(".lock"))).toEqual(
      [],
    );
  }, 180_000);
});
