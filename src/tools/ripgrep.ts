// Locates and runs ripgrep for Glob and Grep: the binary shipped by @vscode/ripgrep, else `rg` on PATH.
// Arguments go as an argv array (no shell); output is bounded in memory; the abort signal kills rg.
import { spawn } from "node:child_process";
import { constants, promises as fs } from "node:fs";

let located: Promise<string> | undefined;

/** The rg binary to run. The package is imported lazily: it is an external of the bundle and costs a resolve. */
function ripgrepPath(): Promise<string> {
  located ??= (async () => {
    try {
      const { rgPath } = (await import("@vscode/ripgrep")) as { rgPath: string };
      await fs.access(rgPath, constants.X_OK);
      return rgPath;
    } catch {
      return "rg";
    }
  })();
  return located;
}

export interface RipgrepRun {
  stdout: string;
  stderr: string;
  /** rg's exit code: 0 found, 1 nothing found, 2 error (possibly with partial results). */
  code: number | null;
  /** Output went past `maxBytes` and rg was stopped: the results are incomplete. */
  overflowed: boolean;
  aborted: boolean;
}

export interface RipgrepOptions {
  cwd: string;
  signal: AbortSignal;
  /** Stop reading (and kill rg) after this many bytes of stdout. */
  maxBytes?: number;
  env?: Record<string, string>;
}

export class RipgrepMissingError extends Error {}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const STDERR_MAX_BYTES = 64 * 1024;

export async function runRipgrep(args: readonly string[], options: RipgrepOptions): Promise<RipgrepRun> {
  const bin = await ripgrepPath();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // A user's RIPGREP_CONFIG_PATH could change the output format we parse; --no-config ignores it too.
  const env = { ...(options.env ?? (process.env as Record<string, string>)) };
  delete env.RIPGREP_CONFIG_PATH;
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      resolve({ stdout: "", stderr: "", code: null, overflowed: false, aborted: true });
      return;
    }
    const child = spawn(bin, ["--no-config", ...args], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let overflowed = false;
    let aborted = false;
    const err: Buffer[] = [];
    let errBytes = 0;
    const onAbort = () => {
      aborted = true;
      child.kill("SIGKILL");
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      if (overflowed) return;
      const room = maxBytes - outBytes;
      if (chunk.length > room) {
        out.push(chunk.subarray(0, room));
        outBytes = maxBytes;
        overflowed = true;
        child.kill("SIGKILL");
        return;
      }
      out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (errBytes < STDERR_MAX_BYTES) err.push(chunk);
      errBytes += chunk.length;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener("abort", onAbort);
      if (error.code === "ENOENT") {
        reject(
          new RipgrepMissingError(
            "ripgrep (rg) was not found: reinstall claw so @vscode/ripgrep is present, or install rg on PATH.",
          ),
        );
      } else reject(error);
    });
    child.on("close", (code) => {
      options.signal.removeEventListener("abort", onAbort);
      let stdout = Buffer.concat(out).toString("utf8");
      // A cut in the middle of a line leaves a partial record: drop it.
      if (overflowed) stdout = stdout.slice(0, stdout.lastIndexOf("\n") + 1);
      resolve({
        stdout,
        stderr: Buffer.concat(err).toString("utf8").slice(0, STDERR_MAX_BYTES),
        code,
        overflowed,
        aborted,
      });
    });
  });
}

/** The lines of rg's output, without the empty string after the final newline. */
export function outputLines(stdout: string): string[] {
  if (stdout === "") return [];
  const lines = stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** First meaningful line of rg's stderr, e.g. "regex parse error: … unclosed group". */
export function ripgrepError(stderr: string): string {
  const text = stderr.trim();
  if (/regex parse error/i.test(text)) {
    // rg prints the error over several lines (pattern, caret, message): keep them together, compactly.
    return text
      .split("\n")
      .map((line) => line.trimEnd())
      .filter(Boolean)
      .slice(0, 8)
      .join("\n");
  }
  return text.split("\n")[0] ?? "ripgrep failed";
}

/** Sorts paths newest first by modification time (ties by name); past `limit` files, by name only. */
export async function sortByMtime(
  paths: string[],
  limit = 5000,
): Promise<{ sorted: string[]; byTime: boolean }> {
  if (paths.length > limit) return { sorted: [...paths].sort(), byTime: false };
  const times = new Map<string, number>();
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
      try {
        times.set(path, (await fs.stat(path)).mtimeMs);
      } catch {
        times.set(path, 0);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const sorted = [...paths].sort(
    (a, b) => (times.get(b) ?? 0) - (times.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { sorted, byTime: true };
}
