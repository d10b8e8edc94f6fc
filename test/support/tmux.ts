// Drives a program in a real terminal through tmux: a private server per session (tmux -L <unique>), keys in,
// screen text out. Used by the REPL end-to-end tests; always call kill() in afterEach.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAW_COMMAND } from "./claw-runner.js";

export interface TmuxStartOptions {
  /** argv of the program to run. */
  command: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  width?: number;
  height?: number;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class TmuxSession {
  readonly socket = `claw-e2e-${process.pid}-${randomBytes(4).toString("hex")}`;
  private alive = false;
  private readonly conf = join(tmpdir(), `${this.socket}.conf`);
  private readonly statusFile = join(tmpdir(), `${this.socket}.status`);

  private tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  start(options: TmuxStartOptions): void {
    const envArgs = Object.entries({ TERM: "xterm-256color", ...options.env })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => quote(`${k}=${v}`));
    // `env -i` so nothing from the test runner's environment (real HOME, API keys) reaches the program.
    // The shell stays the program's parent and writes its exit status to a file: tmux can be slow to notice
    // that a pane's process ended, the status file is not.
    const shell = `cd ${quote(options.cwd)} && env -i ${envArgs.join(" ")} ${options.command.map(quote).join(" ")}; echo $? > ${quote(this.statusFile)}`;
    // Options in a config file apply before the pane exists (history-limit only affects new panes).
    // set-clipboard on: a program's OSC 52 copy lands in tmux's paste buffer (see clipboard()).
    writeFileSync(
      this.conf,
      "set -g history-limit 200000\nset -g remain-on-exit on\nset -g set-clipboard on\n",
    );
    this.tmux([
      "-f",
      this.conf,
      "new-session",
      "-d",
      "-x",
      String(options.width ?? 120),
      "-y",
      String(options.height ?? 40),
      "sh",
      "-c",
      shell,
    ]);
    this.alive = true;
    // Keep the pane after the program exits so tests can read its last screen and exit status.
    this.tmux(["set-option", "-g", "remain-on-exit", "on"]);
  }

  /** Named keys (Enter, Escape, C-c, Up…) or literal text with `literal: true`. */
  send(keys: string | string[], options: { literal?: boolean } = {}): void {
    const list = Array.isArray(keys) ? keys : [keys];
    this.tmux(["send-keys", "-t", "0", ...(options.literal ? ["-l"] : []), ...list]);
  }

  type(text: string): void {
    this.send(text, { literal: true });
  }

  /** Sends text as a bracketed paste, the way a terminal delivers a paste. */
  paste(text: string): void {
    const file = join(tmpdir(), `${this.socket}.paste`);
    writeFileSync(file, text);
    this.tmux(["load-buffer", file]);
    rmSync(file, { force: true });
    this.tmux(["paste-buffer", "-p", "-t", "0"]);
  }

  /** Resizes the window, as a user dragging the terminal's edge does (the program gets SIGWINCH). */
  resize(width: number, height: number): void {
    this.tmux(["resize-window", "-t", "0", "-x", String(width), "-y", String(height)]);
  }

  /** The visible screen, or with `history` everything since the start (scrollback included). */
  capture(options: { history?: boolean; escapes?: boolean } = {}): string {
    const args = ["capture-pane", "-p", "-J", "-t", "0"];
    if (options.escapes) args.push("-e");
    if (options.history) args.push("-S", "-");
    return this.tmux(args);
  }

  /** What the program last copied to the clipboard (OSC 52), from tmux's paste buffer; "" when nothing. */
  clipboard(): string {
    try {
      return this.tmux(["show-buffer"]);
    } catch {
      return "";
    }
  }

  /** True while the program runs. */
  running(): boolean {
    return this.exitStatus() === undefined;
  }

  /** The program's exit status (128 + n for signal n), once it has exited. */
  exitStatus(): number | undefined {
    try {
      const text = readFileSync(this.statusFile, "utf8").trim();
      return text === "" ? undefined : Number(text);
    } catch {
      return undefined;
    }
  }

  /** The program's pid (the child of the pane's shell). */
  programPid(): number {
    const shellPid = this.tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trim();
    const out = execFileSync("pgrep", ["-P", shellPid], { encoding: "utf8" }).trim().split("\n")[0];
    return Number(out);
  }

  /** Polls the screen until `match` holds; throws with the last screen on timeout. */
  async waitFor(
    match: string | RegExp | ((screen: string) => boolean),
    options: { timeoutMs?: number; history?: boolean } = {},
  ): Promise<string> {
    const test =
      typeof match === "function"
        ? match
        : (s: string) => (typeof match === "string" ? s.includes(match) : match.test(s));
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    let screen = "";
    for (;;) {
      screen = this.capture({ history: options.history });
      if (test(screen)) return screen;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${String(match)}; screen was:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== undefined && !Number.isNaN(status)) return status;
      if (Date.now() > deadline) throw new Error(`program still running; screen:\n${this.capture()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    rmSync(this.conf, { force: true });
    rmSync(this.statusFile, { force: true });
    if (!this.alive) return;
    this.alive = false;
    try {
      this.tmux(["kill-server"]);
    } catch {
      // already gone
    }
  }
}

/**
 * Runs claw (`node dist/claw.js`, or the native executable CLAW_BIN names) with extra args in a fresh tmux session;
 * the env must already be sandboxed (cleanEnv).
 */
export function startClawInTmux(
  tmux: TmuxSession,
  options: {
    args?: string[];
    env: NodeJS.ProcessEnv;
    cwd: string;
    width?: number;
    height?: number;
  },
): void {
  tmux.start({
    command: [...CLAW_COMMAND, ...(options.args ?? [])],
    env: options.env,
    cwd: options.cwd,
    width: options.width,
    height: options.height,
  });
}
