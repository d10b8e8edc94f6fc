// Our stdio transport for MCP servers: the child gets its own process group (killed whole on close and on
// exit, so wrappers like `npx`/`sh -c` leave no orphans), stderr is kept as a short tail for error
// messages, and non-JSON lines on stdout are counted and skipped instead of breaking the connection.
// It imports nothing from the SDK at runtime, so the server can be spawned while the SDK is still loading.
import { type ChildProcess, spawn } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { settlesWithin } from "../util/settle-within.js";

export interface StdioTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Largest single message accepted; a bigger line fails the connection (default 64 MB). */
  maxMessageBytes?: number;
}

const STDERR_TAIL_BYTES = 4096;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: a process that exits without closing its servers still takes their process groups down. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) killGroup(child, "SIGKILL");
  });
  // A signal that nobody else handles (e.g. Ctrl-C while servers start) would end us without "exit":
  // take the servers down, then let the signal do what it would have done.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return; // the CLI handles it and closes the servers
      for (const child of live) killGroup(child, "SIGKILL");
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export class ClawStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private chunks: Buffer[] = [];
  private pending = 0;
  private stderrTail = "";
  private closed = false;
  /** Non-JSON lines seen on stdout (protocol noise from the server). */
  garbageLines = 0;
  lastGarbage = "";
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(private readonly options: StdioTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last few KB the server wrote to stderr (for failure messages). */
  stderr(): string {
    return this.stderrTail;
  }

  private started: Promise<void> | undefined;

  /** Idempotent: the connection may spawn the server early, and Client.connect() calls start() again. */
  start(): Promise<void> {
    this.started ??= this.spawnServer();
    // A server that already exited (before the Protocol attached its handlers) is reported now.
    return this.started.then(() => queueMicrotask(() => this.finish()));
  }

  private spawnServer(): Promise<void> {
    installExitHook();
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
      this.child = child;
      live.add(child);
      let started = false;
      child.once("spawn", () => {
        started = true;
        resolve();
      });
      child.once("error", (error: NodeJS.ErrnoException) => {
        const message =
          error.code === "ENOENT"
            ? `command not found: ${this.options.command}`
            : error.code === "EACCES"
              ? `command is not executable: ${this.options.command}`
              : error.message;
        if (!started) reject(new Error(message));
        else this.onerror?.(new Error(message));
      });
      child.once("close", (code, signal) => {
        live.delete(child);
        this.exitCode = code;
        this.exitSignal = signal;
        this.finish();
      });
      child.stdout?.on("data", (chunk: Buffer) => this.onStdout(chunk));
      child.stderr?.on("data", (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
      });
      child.stdin?.on("error", () => {
        // EPIPE after the server died: reported through close.
      });
    });
  }

  private onStdout(chunk: Buffer): void {
    const limit = this.options.maxMessageBytes ?? 64 * 1024 * 1024;
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      this.chunks.push(chunk.subarray(start, newline));
      const line = Buffer.concat(this.chunks).toString("utf8");
      this.chunks = [];
      this.pending = 0;
      this.handleLine(line.endsWith("\r") ? line.slice(0, -1) : line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.chunks.push(chunk.subarray(start));
      this.pending += chunk.length - start;
      if (this.pending > limit) {
        this.chunks = [];
        this.pending = 0;
        this.onerror?.(new Error(`a message from the server exceeded ${limit} bytes`));
        void this.close();
      }
    }
  }

  private handleLine(line: string): void {
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    // The Protocol layer checks the message shape; here only "is this JSON-RPC at all".
    if (
      typeof message !== "object" ||
      message === null ||
      (message as { jsonrpc?: unknown }).jsonrpc !== "2.0"
    ) {
      this.garbageLines++;
      this.lastGarbage = line.slice(0, 200);
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      const gone = this.child?.exitCode !== null || this.child?.signalCode !== null;
      if (!stdin || this.closed || stdin.destroyed || gone) {
        reject(new Error("the server is not running"));
        return;
      }
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** Ends stdin, then SIGTERM to the process group, then SIGKILL: a stuck server cannot hold us up. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closed) return;
    this.closed = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
      const wait = (ms: number) => settlesWithin(exited, ms, { unref: true });
      try {
        child.stdin?.end();
      } catch {
        // ignore
      }
      if (!(await wait(200))) {
        killGroup(child, "SIGTERM");
        if (!(await wait(1000))) killGroup(child, "SIGKILL");
      }
    }
    // Children the server left behind in its group go too.
    killGroup(child, "SIGKILL");
    this.finish();
  }

  private finish(): void {
    if (this.child && !live.has(this.child) && this.onclose) {
      const onclose = this.onclose;
      this.onclose = undefined;
      this.closed = true;
      onclose();
    }
  }
}
