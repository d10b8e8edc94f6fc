// `npm run bench`: startup, one-shot, tool-loop and grep figures as ratios against `node -e 0` and `rg`.
// Bundled by scripts/bench.mjs so it can reuse the test mock server. Prints a markdown table for BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockAnthropic, reply, startMockAnthropic } from "../test/support/mock-anthropic.js";
import {
  alternate,
  CLAW_COMMAND,
  fmt,
  measureRuns,
  median,
  mib,
  NODE_FLOOR,
  ROOT,
  range,
  runCommand,
  runtimeLabel,
} from "./measure.js";
import { providerStartup } from "./providers.js";

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

const PAIRS = Math.max(7, Number(process.env.BENCH_PAIRS ?? 9));
const NATIVE = Boolean(process.env.CLAW_BIN);

async function startup(mock: MockAnthropic, home: string, workspace: string) {
  console.log(`claw: ${runtimeLabel()}; ${PAIRS} alternating pairs per figure, median (min–max)`);
  const env = sandboxEnv(mock, home);
  const floor =
    (measure = false) =>
    () =>
      runCommand(NODE_FLOOR, { env, cwd: workspace, measure });
  const claw =
    (args: string[], measure = false) =>
    () =>
      runCommand([...CLAW_COMMAND, ...args], { env, cwd: workspace, measure });
  const hello = (measure = false) => {
    const run = claw(["-p", "hello"], measure);
    return () => {
      mock.enqueue(reply.text("hello"));
      return run();
    };
  };
  const withBash = () => {
    mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo from-bash" } }), reply.text("done"));
    return claw(["-p", "run echo"])();
  };

  const version = await alternate(PAIRS, floor(), claw(["--version"]));
  row("node -e 0 (the floor: same spawn, environment and directory as claw)", range(version.a), "baseline");
  row(
    "claw --version vs node -e 0",
    `${range(version.ratios, "×", 2)}; ${range(version.b)}`,
    NATIVE ? "≤ 0.5×" : "≤ 1.3×",
  );

  const oneShot = await alternate(PAIRS, floor(), hello());
  const floorUse = await measureRuns(3, floor(true));
  const helloUse = await measureRuns(3, hello(true));
  row(
    "claw -p hello (mock API) vs node -e 0",
    `${range(oneShot.ratios, "×", 2)}; ${range(oneShot.b)} vs ${range(oneShot.a)}; peak RSS ${mib(helloUse.rssKiB)} (node -e 0: ${mib(floorUse.rssKiB)}); CPU ${range(helloUse.cpuMs)} vs ${range(floorUse.cpuMs)}`,
    NATIVE ? "≤ 1.5×, ≤ 60 MiB" : "≤ 2.5×, ≤ 60 MiB",
  );

  // The process must end as soon as the answer is written: a Bash call costs its own run, not a lingering timer.
  const bash = await alternate(PAIRS, hello(), withBash);
  const last = JSON.stringify(mock.messageRequests().at(-1)?.body.messages.at(-1));
  if (!last.includes("from-bash")) throw new Error(`the Bash call did not run: ${last.slice(0, 300)}`);
  row(
    "one Bash round trip (echo) added to -p",
    `+${range(bash.deltas)} (${range(bash.b)} vs ${range(bash.a)})`,
    "≤ +50 ms",
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
    const stats = await runCommand(
      [...CLAW_COMMAND, "-p", "read it many times", "--max-turns", String(calls + 5)],
      { env: sandboxEnv(mock, home), cwd: workspace, measure: true },
    );
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
      await runCommand([...CLAW_COMMAND, "-p", "find the needle"], {
        env: sandboxEnv(mock, home),
        cwd: tree,
      });
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
    if (part("startup")) await startup(mock, home, workspace);
  } finally {
    await mock.close();
  }
  if (part("providers")) await providerStartup(Number(process.env.BENCH_RUNS ?? 7), home, workspace, row);
  if (part("loop")) await toolLoops(home, workspace);
  if (part("grep")) {
    const g = await grep(home);
    row(
      "Grep tool over 50,000 files vs rg -l",
      `${fmt(g.claw)} vs ${fmt(g.rg)} = ${(g.claw / g.rg).toFixed(2)}×`,
      "≤ 1.3×",
    );
  }
  for (const extra of [
    "repl.mjs",
    "resume.mjs",
    "system-prompt.mjs",
    "mcp-startup.mjs",
    "sandbox.mjs",
    "checkpoints.mjs",
    "sdk-startup.mjs",
  ]) {
    const script = join(ROOT, "bench", extra);
    if (!existsSync(script) || !part(extra.replace(".mjs", ""))) continue;
    console.log(`\n## bench/${extra}`);
    spawnSync(process.execPath, [script], { stdio: "inherit", cwd: ROOT });
  }
  rmSync(home, { recursive: true, force: true });
  console.log(`\n| benchmark | result | target |\n|---|---|---|\n${rows.join("\n")}`);
}

/** BENCH_PARTS=startup,loop,grep,repl,resume,… runs only those parts (default: all). */
function part(name: string): boolean {
  const chosen = process.env.BENCH_PARTS;
  return !chosen || chosen.split(",").includes(name);
}

async function toolLoops(home: string, workspace: string) {
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
}

await main();
