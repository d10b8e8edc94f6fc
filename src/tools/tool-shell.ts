// Starts the shell command of a tool call (Bash, a background shell): inside the OS sandbox when it confines
// the call, otherwise as a plain process group. A sandbox that fails to start fails the call; it never falls
// back to running the command unconfined.
import { subprocessEnv } from "./env.js";
import { type ShellProcess, spawnShell, userShell } from "./shell-process.js";
import type { ToolContext } from "./types.js";

export interface ToolShell {
  proc: ShellProcess;
  sandboxed: boolean;
}

export async function startToolShell(
  input: { command: string; dangerouslyDisableSandbox?: boolean | undefined },
  ctx: Pick<ToolContext, "cwd" | "env" | "shellSandbox">,
): Promise<ToolShell | { error: string }> {
  const env = subprocessEnv(ctx.env);
  const sandbox = ctx.shellSandbox;
  if (!sandbox?.confines(input))
    return { proc: spawnShell(input.command, { cwd: ctx.cwd, env }), sandboxed: false };
  let launch: Awaited<ReturnType<typeof sandbox.launch>>;
  try {
    launch = await sandbox.launch(userShell(), input.command, ctx.cwd);
  } catch (error) {
    return { error: `Could not start the sandbox: ${(error as Error).message}. The command was not run.` };
  }
  for (const [name, value] of Object.entries(launch.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return { proc: spawnShell(input.command, { cwd: ctx.cwd, env, argv: launch.argv }), sandboxed: true };
}
