// Small timing helpers for the benchmarks: run a command N times, take medians, read peak RSS.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** npm runs the benchmarks from the repository root. */
export const ROOT = process.cwd();
export const CLAW = join(ROOT, "dist", "claw.js");
const REPORTER = join(ROOT, "bench", "rss-reporter.mjs");

export interface RunStats {
  wallMs: number;
  rssKiB: number;
  /** The process's own user + system CPU time. */
  cpuMs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `node <args>` once, returning wall time and the child's own peak RSS. */
export async function runNode(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    input?: string /** Load the RSS/CPU reporter (costs ~30 ms of startup). */;
    report?: boolean;
  } = {},
): Promise<RunStats> {
  const rssFile = join(ROOT, ".bench-tmp", `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const reporter = options.report === false ? [] : ["--import", REPORTER];
    const child = spawn(process.execPath, [...reporter, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...(options.env ?? process.env), CLAW_BENCH_RSS_FILE: rssFile },
      stdio: [options.input === undefined ? "ignore" : "pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`node ${args.join(" ")} exited ${code}: ${stderr.slice(0, 400)}`)),
    );
  });
  const wallMs = performance.now() - started;
  let rssKiB = 0;
  let cpuMs = 0;
  try {
    const [rss, cpu] = (readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "").split(" ");
    rssKiB = Number(rss);
    cpuMs = Number(cpu);
    rmSync(rssFile, { force: true });
  } catch {
    // a process that exited through a signal writes nothing
  }
  return { wallMs, rssKiB, cpuMs };
}

/** Median wall time and max RSS over `runs` runs (after one warm-up run). */
export async function sample(
  runs: number,
  once: () => Promise<RunStats>,
): Promise<{ wallMs: number; rssKiB: number }> {
  await once();
  const walls: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const r = await once();
    walls.push(r.wallMs);
    rss = Math.max(rss, r.rssKiB);
  }
  return { wallMs: median(walls), rssKiB: rss };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}
