// Bash permission bypasses end to end: a "read-only" command that runs a program the model planted.
// Here: a bare-looking repository written with Write, whose config names a core.fsmonitor program.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-sec-bash-" });

describe("read-only git commands cannot be turned into code execution", () => {
  it("cd into a planted bare repository and git status does not run its fsmonitor", async () => {
    const marker = join(e2e.sandbox.root, "PWNED");
    const config = `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n\tfsmonitor = "touch ${marker}; false"\n`;
    const write = (file_path: string, content: string) => ({ name: "Write", input: { file_path, content } });
    const calls = [
      write("sub/HEAD", "ref: refs/heads/main\n"),
      write("sub/config", config),
      write("sub/objects/keep", ""),
      write("sub/refs/keep", ""),
      { name: "Bash", input: { command: "cd sub && git status" } },
    ];
    e2e.mock.enqueue(...calls.map((call, i) => reply.toolUse({ ...call, id: `t${i}` })), reply.text("done"));
    const r = await runClaw(["-p", "go", "--permission-mode", "acceptEdits"], {
      sandbox: e2e.sandbox,
      env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: e2e.mock.url, SHELL: "/bin/sh" },
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "sub", "config"))).toBe(true);
    // The command ran (it is read-only and inside the workspace) but git refused the implicit bare repository.
    const last = e2e.mock.messageRequests().at(-1)?.body.messages.at(-1).content;
    expect(JSON.stringify(last)).toContain("bare repository");
    expect(existsSync(marker)).toBe(false);
  });

  it("a prefix allow rule does not run commands hidden behind ANSI-C quotes or a quoted comment", async () => {
    const commands = ["echo $'\\'' ; touch pwned1", "echo #'\ntouch pwned2", "echo \\' > pwned3 \\'"];
    e2e.mock.enqueue(
      ...commands.map((command, i) => reply.toolUse({ name: "Bash", input: { command }, id: `b${i}` })),
      reply.text("done"),
    );
    const r = await runClaw(["-p", "go", "--allowedTools", "Bash(echo:*)"], {
      sandbox: e2e.sandbox,
      env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: e2e.mock.url, SHELL: "/bin/bash" },
    });
    expect(r.code).toBe(0);
    for (const name of ["pwned1", "pwned2", "pwned3"])
      expect(existsSync(join(e2e.sandbox.workspace, name))).toBe(false);
    expect(e2e.mock.messageRequests()).toHaveLength(commands.length + 1);
  });
});
