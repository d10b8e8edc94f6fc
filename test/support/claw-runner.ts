// Runs the built CLI (dist/claw.js, or the native executable CLAW_BIN names) as a child process in a throwaway
// HOME / config home / workspace, with a clean environment so no real ANTHROPIC_* variable or home directory ever
// leaks into a test.
//
// Usage:
//   const sandbox = makeSandbox();                      // { root, home, configHome, workspace, cleanup }
//   const r = await runClaw(["-p", "hi"], { sandbox, env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: mock.url } });
//   expect(r.code).toBe(0); expect(r.stdout).toBe("hello\n");
//   sandbox.cleanup();
// `input` is written to stdin (otherwise stdin is /dev/null); `cwd` defaults to sandbox.workspace; an env value of
// undefined removes that variable. spawnClaw(...) returns the ChildProcess (plus a `done` promise) for signal
// tests. Without a sandbox, runClaw makes one and removes it afterwards. Run `npm run build` first.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const CLAW_JS = join(REPO_ROOT, "dist", "claw.js");
/** The native executable under test instead of `node dist/claw.js` (`npm run test:native` sets CLAW_BIN). */
export const CLAW_BIN = process.env.CLAW_BIN ? resolve(REPO_ROOT, process.env.CLAW_BIN) : undefined;
/** The argv that starts claw: `node dist/claw.js`, or the native executable alone. Append claw's arguments. */
export const CLAW_COMMAND: readonly string[] = CLAW_BIN ? [CLAW_BIN] : [process.execPath, CLAW_JS];
/** What a test runs claw as, for messages. */
const CLAW_FILE = CLAW_BIN ?? CLAW_JS;

export interface Sandbox {
  root: string;
  /** HOME for the child. */
  home: string;
  /** CLAUDE_CONFIG_HOME for the child (settings.json, credentials.json, sessions). */
  configHome: string;
  /** A fresh, empty project directory; the default cwd. */
  workspace: string;
  cleanup(): void;
}

export function makeSandbox(prefix = "claw-test-"): Sandbox {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, "home");
  const configHome = join(home, ".claude");
  const workspace = join(root, "workspace");
  for (const dir of [home, configHome, workspace]) mkdirSync(dir, { recursive: true });
  return { root, home, configHome, workspace, cleanup: () => removeTree(root) };
}

/**
 * rmSync with real retries: a detached helper (the fake browser of the login tests, a hook's child) may create a
 * file after the directory was emptied, and Node's own maxRetries on Linux retries only the final rmdir.
 */
export function removeTree(dir: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOTEMPTY" || attempt === 20) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

export interface RunClawOptions {
  sandbox?: Sandbox;
  /** Extra environment; undefined values remove a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. Without it stdin is /dev/null. */
  input?: string | Buffer;
  /** Killed with SIGKILL after this long (default 20 s); the result then has timedOut: true. */
  timeoutMs?: number;
  cwd?: string;
}

export interface RunClawResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The child's environment: only PATH, locale and temp dir from outside, then the sandbox, then `extra`. */
export function cleanEnv(
  sandbox: Sandbox,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: sandbox.home,
    CLAUDE_CONFIG_HOME: sandbox.configHome,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    LANG: process.env.LANG ?? "C.UTF-8",
    NO_COLOR: "1",
    // Permission dialogs ignore keys for a moment after opening; tests answer as soon as they see one.
    CLAW_DIALOG_GUARD_MS: "0",
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface SpawnedClaw {
  child: ChildProcess;
  sandbox: Sandbox;
  /** Resolves when the process exits, with everything it printed. */
  done: Promise<RunClawResult>;
}

export function spawnClaw(args: string[], options: RunClawOptions & { sandbox: Sandbox }): SpawnedClaw {
  if (!existsSync(CLAW_FILE))
    throw new Error(`${CLAW_FILE} is missing: run \`npm run ${CLAW_BIN ? "build:native" : "build"}\` first`);
  const { sandbox } = options;
  const child = spawn(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), ...args], {
    cwd: options.cwd ?? sandbox.workspace,
    env: cleanEnv(sandbox, options.env),
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  if (options.input !== undefined && child.stdin) {
    child.stdin.on("error", () => {}); // the child may exit before reading all of it
    child.stdin.end(options.input);
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 20_000);
  const done = new Promise<RunClawResult>((resolvePromise, reject) => {
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, sandbox, done };
}

export async function runClaw(args: string[], options: RunClawOptions = {}): Promise<RunClawResult> {
  const own = options.sandbox ? undefined : makeSandbox();
  const sandbox = options.sandbox ?? (own as Sandbox);
  try {
    return await spawnClaw(args, { ...options, sandbox }).done;
  } finally {
    own?.cleanup();
  }
}
