// Starts the shell command of a tool call (Bash, a background shell) or a hook: inside the OS sandbox when it
// confines the command, otherwise as a plain process group. A sandbox that fails to start fails the call; it
// never falls back to running the command unconfined.
import { relative } from "node:path";
import { subprocessEnv } from "./env.js";
import { type ShellProcess, spawnShell, userShell } from "./shell-process.js";
import type { ShellSandbox, ToolContext } from "./types.js";

export interface ConfinedLaunch {
  /** The whole command line: bwrap or sandbox-exec, its options, then `shell -c command`. */
  argv: string[];
  /** The command's environment with the sandbox's changes (TMPDIR, proxy variables). */
  env: Record<string, string>;
  /** Call once the command has ended; a note for the model when the sandbox had to undo something. */
  afterExit(): string | undefined;
}

/** How to start `shell -c command` in the sandbox; throws a one-line error when the sandbox cannot start. */
export async function confinedLaunch(
  sandbox: ShellSandbox,
  options: { shell: string; command: string; cwd: string; env: Record<string, string> },
): Promise<ConfinedLaunch> {
  let launch: Awaited<ReturnType<ShellSandbox["launch"]>>;
  try {
    launch = await sandbox.launch(options.shell, options.command, options.cwd);
  } catch (error) {
    throw new Error(`Could not start the sandbox: ${(error as Error).message}. The command was not run.`);
  }
  const env = { ...options.env };
  for (const [name, value] of Object.entries(launch.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return {
    argv: launch.argv,
    env,
    afterExit: () => undoNote(launch.undoProtectedCreations(), options.cwd),
  };
}

export interface ToolShell {
  proc: ShellProcess;
  sandboxed: boolean;
  /** Call once the command has ended; a note for the model when the sandbox had to undo something. */
  afterExit(): string | undefined;
}

export async function startToolShell(
  input: { command: string; dangerouslyDisableSandbox?: boolean | undefined },
  ctx: Pick<ToolContext, "cwd" | "env" | "shellSandbox">,
): Promise<ToolShell | { error: string }> {
  const env = subprocessEnv(ctx.env);
  const sandbox = ctx.shellSandbox;
  if (!sandbox?.confines(input)) {
    const proc = spawnShell(input.command, { cwd: ctx.cwd, env });
    return { proc, sandboxed: false, afterExit: () => undefined };
  }
  let launch: ConfinedLaunch;
  try {
    launch = await confinedLaunch(sandbox, { shell: userShell(), command: input.command, cwd: ctx.cwd, env });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const proc = spawnShell(input.command, { cwd: ctx.cwd, env: launch.env, argv: launch.argv });
  return { proc, sandboxed: true, afterExit: launch.afterExit };
}

/**
 * Output that a write outside the writable folders or a blocked network access produces. Only then does the
 * model hear about the sandbox's limits and dangerouslyDisableSandbox; an ordinary failure (a failing test)
 * is not a reason to leave the sandbox, and a hidden secret (it reads as missing) is not one either.
 */
const SANDBOX_SYMPTOMS =
  /Read-only file system|EROFS|Operation not permitted|claw sandbox:|Could not resolve host|Network is unreachable|ENETUNREACH|name resolution|EAI_AGAIN|ENOTFOUND|getaddrinfo|Connection refused|ECONNREFUSED/;

export function looksBlockedBySandbox(output: string): boolean {
  return SANDBOX_SYMPTOMS.test(output);
}

function undoNote(removed: readonly string[], cwd: string): string | undefined {
  if (removed.length === 0) return undefined;
  const names = removed.map((path) => relative(cwd, path) || path).join(", ");
  return `Note: claw removed ${names}, which the command created: git hooks and config, claw settings and hook scripts may only be created or changed with the user's approval (use Write or Edit, or run the command with dangerouslyDisableSandbox: true).`;
}
