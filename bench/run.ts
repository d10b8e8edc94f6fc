// `npm run bench`: startup, one-shot, tool-loop and grep figures as ratios against `node -e 0` and `rg`.
// Bundled by scripts/bench.mjs so it can reuse the test mock server. Prints a markdown table for BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockAnthropic, reply, startMockAnthropic } from "../test/support/mock-anthropic.js";
import { CLAW, fmt, median, mib, ROOT, runNode, sample } from "./measure.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const rows: string[] = [];
const row = (name: string, value: string, target: string) => {
  rows.push(`| ${name} | ${value} | ${target} |`);
  console.log(`${name}: ${value}   (target ${target})`);
};

function sandboxEnv(mock: MockAnthropic, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CONFIG_HOME: join(home, ".claude"),
    ANTHROPIC_API_KEY: "bench-key",
    ANTHROPIC_BASE_URL: mock.url,
  };
}

async function startup(mock: MockAnthropic, home: string, workspace: string) {
  // Wall times come from plain runs; peak RSS from separate runs that load the reporter (which adds startup).
  const baseline = await sample(RUNS, () => runNode(["-e", "0"], { report: false }));
  const baselineRss = await sample(3, () => runNode(["-e", "0"]));
  const version = await sample(RUNS, () => runNode([CLAW, "--version"], { report: false }));
  row("node -e 0", `${fmt(baseline.wallMs)}, ${mib(baselineRss.rssKiB)}`, "baseline");
  row(
    "claw --version",
    `${fmt(version.wallMs)} = ${(version.wallMs / baseline.wallMs).toFixed(2)}×`,
    "≤ 1.3×",
  );
  mock.requests.length = 0;
  const once = (report: boolean) => () => {
    mock.enqueue(reply.text("hello"));
    return runNode([CLAW, "-p", "hello"], { env: sandboxEnv(mock, home), cwd: workspace, report });
  };
  const oneShot = await sample(RUNS, once(false));
  const oneShotRss = await sample(3, once(true));
  row(
    "claw -p hello (mock API)",
    `${fmt(oneShot.wallMs)} = ${(oneShot.wallMs / baseline.wallMs).toFixed(2)}×, peak RSS ${mib(oneShotRss.rssKiB)}`,
    "≤ 2.5×, ≤ 90 MiB",
  );
}

/** Replies with `calls` Read tool calls, one per turn, timing claw's side: reply sent → next request. */
async function toolLoop(calls: number, home: string, workspace: string) {
  writeFileSync(join(workspace, "small.txt"), "one\ntwo\nthree\n");
  let sentAt = 0;
  const gaps: number[] = [];
  const mock = await startMockAnthropic({
    handler: (_request, index) => {
      const now = performance.now();
      if (index > 0) gaps.push(now - sentAt);
      sentAt = now;
      return index < calls
        ? reply.toolUse({ name: "Read", input: { file_path: "small.txt" }, id: `toolu_${index}` })
        : reply.text("done");
    },
  });
  try {
    const stats = await runNode([CLAW, "-p", "read it many times", "--max-turns", String(calls + 5)], {
      env: sandboxEnv(mock, home),
      cwd: workspace,
    });
    return { perCall: median(gaps), rssKiB: stats.rssKiB, cpuMs: stats.cpuMs };
  } finally {
    await mock.close();
  }
}

function makeTree(dir: string, files: number) {
  for (let d = 0; d < files / 100; d++) {
    const sub = join(dir, `pkg${d}`, "src");
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++) {
      const n = d * 100 + f;
      writeFileSync(
        join(sub, `file${f}.ts`),
        `export const value${n} = ${n};\n${n % 997 === 0 ? "// NEEDLE here\n" : ""}`,
      );
    }
  }
}

async function grep(home: string) {
  const tree = join(ROOT, ".bench-tmp", "tree50k");
  if (!existsSync(join(tree, "pkg499"))) {
    rmSync(tree, { recursive: true, force: true });
    makeTree(tree, 50_000);
  }
  const { rgPath } = await import("@vscode/ripgrep");
  const direct: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(rgPath, ["-l", "NEEDLE", tree]);
    direct.push(performance.now() - t);
  }
  let sentAt = 0;
  const toolTimes: number[] = [];
  const mock = await startMockAnthropic({
    handler: (_r, index) => {
      const now = performance.now();
      if (index % 2 === 1) toolTimes.push(now - sentAt);
      sentAt = now;
      return index % 2 === 0
        ? reply.toolUse({ name: "Grep", input: { pattern: "NEEDLE" } })
        : reply.text("ok");
    },
  });
  try {
    for (let i = 0; i < 5; i++) {
      await runNode([CLAW, "-p", "find the needle"], { env: sandboxEnv(mock, home), cwd: tree });
    }
  } finally {
    await mock.close();
  }
  return { rg: median(direct), claw: median(toolTimes) };
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), "claw-bench-"));
  const workspace = join(home, "work");
  mkdirSync(join(home, ".claude"), { recursive: true });
  mkdirSync(workspace);
  const mock = await startMockAnthropic();
  try {
    await startup(mock, home, workspace);
  } finally {
    await mock.close();
  }

  // Three runs of each length; medians, since one run on a busy machine says little.
  const loops = async (calls: number) => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await toolLoop(calls, home, workspace));
    return {
      perCall: median(runs.map((r) => r.perCall)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      rssKiB: Math.max(...runs.map((r) => r.rssKiB)),
    };
  };
  const short = await loops(20);
  const long = await loops(200);
  // The gap (reply sent → next request) also holds the mock's own work; claw's CPU per call is its share.
  row("tool loop: reply → next request per Read call (200 calls, median wall)", fmt(long.perCall), "≤ 3 ms");
  row("tool loop: claw CPU per tool call (200 vs 20 calls)", fmt((long.cpuMs - short.cpuMs) / 180), "≤ 3 ms");
  row(
    "tool loop: peak RSS, 20 vs 200 calls",
    `${mib(short.rssKiB)} vs ${mib(long.rssKiB)}`,
    "≤ 100 MiB, flat",
  );

  const g = await grep(home);
  row(
    "Grep tool over 50,000 files vs rg -l",
    `${fmt(g.claw)} vs ${fmt(g.rg)} = ${(g.claw / g.rg).toFixed(2)}×`,
    "≤ 1.3×",
  );

  for (const extra of ["resume.mjs", "system-prompt.mjs", "mcp-startup.mjs", "repl.mjs", "sandbox.mjs"]) {
    const script = join(ROOT, "bench", extra);
    if (!existsSync(script)) continue;
    console.log(`\n## bench/${extra}`);
    spawnSync(process.execPath, [script], { stdio: "inherit", cwd: ROOT });
  }
  rmSync(home, { recursive: true, force: true });
  console.log(`\n| benchmark | result | target |\n|---|---|---|\n${rows.join("\n")}`);
}

await main();
