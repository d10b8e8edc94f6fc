// Issue 11 class 12: killing claw with SIGKILL (no exit handler runs) leaves none of the processes its Bash
// commands, background shells or hooks started: their process groups die with claw.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";
import { isRunning } from "../support/processes.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-orphans-" });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Starts claw on a prompt whose work writes the pids of long sleeps into `pidFiles`, then SIGKILLs claw. */
async function killMidway(pidFiles: string[], args: string[] = []): Promise<number[]> {
  const run = spawnClaw(["-p", "go", "--permission-mode", "bypassPermissions", ...args], {
    sandbox: e2e.sandbox,
    env: e2e.env({ SHELL: "/bin/sh" }),
    timeoutMs: 60_000,
  });
  await until(() => pidFiles.every((file) => existsSync(file) && readFileSync(file, "utf8").endsWith("\n")));
  const pids = pidFiles.map((file) => Number(readFileSync(file, "utf8").trim()));
  for (const pid of pids) expect(isRunning(pid)).toBe(true);
  run.child.kill("SIGKILL");
  await run.done;
  await until(() => pids.every((pid) => !isRunning(pid)));
  return pids;
}

const sleeper = (file: string) => `echo $$ > ${file}.tmp && mv ${file}.tmp ${file}; exec sleep 100`;

describe("class 12: SIGKILL of claw leaves no detached children", () => {
  it("a foreground Bash command, what it put in the background and a background shell all die", async () => {
    const w = e2e.sandbox.workspace;
    const [fg, bgChild, bgShell] = ["fg.pid", "bg-child.pid", "bg-shell.pid"].map((name) => join(w, name));
    e2e.mock.enqueue(
      reply.toolUse({
        name: "Bash",
        input: { command: sleeper(bgShell as string), run_in_background: true },
      }),
      reply.toolUse({
        name: "Bash",
        input: { command: `(${sleeper(bgChild as string)}) & ${sleeper(fg as string)}` },
      }),
    );
    const pids = await killMidway([fg, bgChild, bgShell] as string[]);
    expect(pids).toHaveLength(3);
  });

  it("a hook's command dies too", async () => {
    const file = join(e2e.sandbox.workspace, "hook.pid");
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({
        hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: sleeper(file) }] }] },
      }),
    );
    await killMidway([file]);
  });

  it("a command that ends normally leaves nothing guarded: claw exits at once and later runs are unaffected", async () => {
    e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo one" } }), reply.text("done"));
    const r = await runClaw(["-p", "go", "--permission-mode", "bypassPermissions"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("done");
  });
});
