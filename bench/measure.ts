// Timing helpers for the benchmarks: run a command, alternate two commands in pairs, medians and ranges, and
// peak RSS / CPU read by /usr/bin/time (the same wrapper for claw and for the `node -e 0` it is compared with).
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

/** npm runs the benchmarks from the repository root. */
export const ROOT = process.cwd();
export const CLAW = join(ROOT, "dist", "claw.js");
/** How claw is started: `node dist/claw.js`, or the executable CLAW_BIN names (the native build). */
export const CLAW_COMMAND: string[] = process.env.CLAW_BIN
  ? [resolve(process.env.CLAW_BIN)]
  : [process.execPath, CLAW];
/** The floor every start-up figure is compared with, started the same way (same Node as the benchmark). */
export const NODE_FLOOR: string[] = [process.execPath, "-e", "0"];
const TIME = "/usr/bin/time";

/** Which runtime ran claw, for the printed figures. */
export function runtimeLabel(): string {
  return process.env.CLAW_BIN
    ? `native ${process.env.CLAW_BIN} (floor: node ${process.version} -e 0)`
    : `node ${process.version} (${process.execPath})`;
}

export interface RunStats {
  wallMs: number;
  /** Peak RSS and user + system CPU, when measured (runs with `measure: true` and /usr/bin/time present). */
  rssKiB: number;
  cpuMs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "median (min–max)" with `digits` decimals and a unit. */
export function range(values: number[], unit = "ms", digits = 0): string {
  const f = (n: number) => n.toFixed(digits);
  return `${f(median(values))}${unit} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/**
 * Runs `command` once and returns its wall time; with `measure`, it runs under /usr/bin/time for peak RSS and
 * CPU (which adds a fork to the wall time, so timed runs leave it out).
 */
export async function runCommand(
  command: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; measure?: boolean } = {},
): Promise<RunStats> {
  const statsFile = join(ROOT, ".bench-tmp", `time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const wrapped = options.measure && existsSync(TIME);
  const argv = wrapped ? [TIME, "-f", "%M %U %S", "-o", statsFile, ...command] : command;
  const started = performance.now();
  await new Promise<void>((done, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? done() : reject(new Error(`${command.join(" ")} exited ${code}: ${stderr.slice(0, 400)}`)),
    );
  });
  const wallMs = performance.now() - started;
  if (!wrapped) return { wallMs, rssKiB: 0, cpuMs: 0 };
  const [rss, user, system] = readFileSync(statsFile, "utf8")
    .trim()
    .split("\n")
    .pop()!
    .split(" ")
    .map(Number);
  rmSync(statsFile, { force: true });
  return { wallMs, rssKiB: rss!, cpuMs: (user! + system!) * 1000 };
}

export interface Paired {
  a: number[];
  b: number[];
  /** b / a of each pair. */
  ratios: number[];
  /** b − a of each pair. */
  deltas: number[];
}

/**
 * Alternates A and B (`pairs` times, after one warm-up of each), so machine load falls on both sides alike;
 * figures are per pair, so a ratio's median is the median of pairwise ratios.
 */
export async function alternate(
  pairs: number,
  a: () => Promise<RunStats>,
  b: () => Promise<RunStats>,
): Promise<Paired> {
  await a();
  await b();
  const out: Paired = { a: [], b: [], ratios: [], deltas: [] };
  for (let i = 0; i < pairs; i++) {
    const x = (await a()).wallMs;
    const y = (await b()).wallMs;
    out.a.push(x);
    out.b.push(y);
    out.ratios.push(y / x);
    out.deltas.push(y - x);
  }
  return out;
}

/** Peak RSS and CPU over `runs` measured runs: the largest RSS, the median CPU. */
export async function measureRuns(
  runs: number,
  once: () => Promise<RunStats>,
): Promise<{ rssKiB: number; cpuMs: number[] }> {
  let rssKiB = 0;
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await once();
    rssKiB = Math.max(rssKiB, r.rssKiB);
    cpuMs.push(r.cpuMs);
  }
  return { rssKiB, cpuMs };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
export function mib(kib: number): string {
  return kib ? `${(kib / 1024).toFixed(1)} MiB` : "n/a (no /usr/bin/time)";
}
