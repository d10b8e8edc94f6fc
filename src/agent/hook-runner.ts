// Runs one hook command: the user's shell in the workspace, JSON on stdin, output captured (bounded),
// the whole process group killed on timeout or abort. Never throws: every failure is a result.
import { existsSync } from "node:fs";
import { confinedLaunch } from "../tools/tool-shell.js";
import type { ShellSandbox } from "../tools/types.js";
import { spawnGuardedGroup } from "../util/group-reaper.js";

export interface HookCommandResult {
  /** null when the process was killed or could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Could not start at all (no shell, bad cwd). */
  spawnError?: string;
  durationMs: number;
}

export interface RunHookCommandOptions {
  command: string;
  input: unknown;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The OS sandbox, when enabled: hooks run confined like the agent's own commands. */
  sandbox?: ShellSandbox | undefined;
}

const MAX_CAPTURE = 1024 * 1024;
/** After SIGTERM, the group gets this long before SIGKILL. */
const KILL_GRACE_MS = 1000;

function hookShell(env: NodeJS.ProcessEnv = process.env): string {
  const shell = env.SHELL;
  if (shell?.startsWith("/") && existsSync(shell)) return shell;
  return "/bin/sh";
}

export async function runHookCommand(options: RunHookCommandOptions): Promise<HookCommandResult> {
  const started = Date.now();
  const shell = hookShell(options.env);
  let argv = [shell, "-c", options.command];
  let env = options.env;
  let afterSandbox: (() => string | undefined) | undefined;
  if (options.sandbox?.confines({ command: options.command })) {
    try {
      const launch = await confinedLaunch(options.sandbox, { shell, ...options });
      ({ argv, env } = launch);
      afterSandbox = launch.afterExit;
    } catch (error) {
      const spawnError = (error as Error).message;
      return {
        exitCode: null,
        stdout: "",
        stderr: "",
        timedOut: false,
        aborted: false,
        spawnError,
        durationMs: 0,
      };
    }
  }
  const [file = shell, ...args] = argv;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let afterExitTimer: NodeJS.Timeout | undefined;
    // Its own process group, so a timeout kills everything the hook started; it dies with claw too.
    const { child, release } = spawnGuardedGroup(file, args, {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = (): void => {
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    const finish = (exitCode: number | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // Leftover background children of a finished hook go too.
      killGroup("SIGKILL");
      if (killTimer) clearTimeout(killTimer);
      if (afterExitTimer) clearTimeout(afterExitTimer);
      const undone = afterSandbox?.();
      const result: HookCommandResult = {
        exitCode,
        stdout,
        stderr: undone ? `${stderr}${stderr && !stderr.endsWith("\n") ? "\n" : ""}${undone}\n` : stderr,
        timedOut,
        aborted,
        durationMs: Date.now() - started,
      };
      if (spawnError) result.spawnError = spawnError;
      resolve(result);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      if (stdout.length < MAX_CAPTURE) stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_CAPTURE) stderr += chunk.toString("utf8");
    });
    child.once("error", (error) => finish(null, error.message));
    // Released once the hook's pipes have closed.
    child.once("close", (code) => {
      release();
      finish(code);
    });
    // A background child that keeps the pipes open must not hold the hook past its own exit for long.
    child.once("exit", (code) => {
      afterExitTimer = setTimeout(() => finish(code), 500);
      afterExitTimer.unref();
    });
    child.stdin?.on("error", () => {
      // The hook did not read its input: fine.
    });
    child.stdin?.end(JSON.stringify(options.input));
  });
}
