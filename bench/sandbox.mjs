// Sandbox benchmark: what running a Bash call inside bubblewrap costs. Through claw: 30 Bash `echo hi` calls in
// one `claw -p`, the gap from reply sent to next request per call, with and without settings sandbox.enabled.
// Directly: `bash -c 'echo hi'` against the same command under the bwrap command line claw builds.
// Run from the repo root after `npm run build`; skipped when bwrap cannot run here.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchPlace, formatMs, importBundled, median, resultTable, timeClaw } from "./bench-utils.mjs";

const CALLS = 30;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIRECT_RUNS = 30;

function loadSupport() {
  return importBundled(
    "sandbox-bench-support.mjs",
    'export { startMockAnthropic, reply } from "./test/support/mock-anthropic.ts"; export { createOsSandbox } from "./src/tools/os-sandbox.ts";',
    { sourcefile: "sandbox-bench-entry.ts", packages: "external" },
  );
}

/** Median per-call gap over RUNS runs of CALLS Bash calls. */
async function perCall(support, env, cwd, settings) {
  const medians = [];
  for (let run = 0; run < RUNS; run++) {
    let sentAt = 0;
    const gaps = [];
    const mock = await support.startMockAnthropic({
      handler: (_request, index) => {
        const now = performance.now();
        if (index > 0) gaps.push(now - sentAt);
        sentAt = now;
        return index < CALLS
          ? support.reply.toolUse({ name: "Bash", input: { command: "echo hi" }, id: `toolu_${index}` })
          : support.reply.text("done");
      },
    });
    try {
      const args = ["-p", "echo many times", "--max-turns", String(CALLS + 5)];
      if (settings) args.push("--settings", settings);
      await timeClaw(args, { ...env, ANTHROPIC_BASE_URL: mock.url }, cwd, 500);
    } finally {
      await mock.close();
    }
    medians.push(median(gaps));
  }
  return median(medians);
}

function timeSpawn(argv) {
  const times = [];
  for (let i = 0; i < DIRECT_RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${argv[0]} exited ${r.status}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main() {
  const probe = spawnSync("bwrap", ["--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "true"]);
  if (probe.status !== 0) {
    console.log("sandbox benchmark skipped: bwrap cannot run here");
    return;
  }
  const support = await loadSupport();
  const place = benchPlace("claw-sandbox-bench-");
  const { root, home, workspace } = place;
  const env = { ...place.env, SHELL: "/bin/bash" };
  const table = resultTable();
  try {
    const plain = await perCall(support, env, workspace, undefined);
    const boxed = await perCall(support, env, workspace, JSON.stringify({ sandbox: { enabled: true } }));
    table.row(
      `Bash \`echo hi\` through claw, per call (${CALLS} calls, median of ${RUNS} runs)`,
      `${formatMs(boxed)} sandboxed vs ${formatMs(plain)} not (+${formatMs(boxed - plain)})`,
      "—",
    );
    const sandbox = support.createOsSandbox({
      privateDir: join(root, "private"),
      writableRoots: () => [workspace],
      hiddenPaths: () => [join(home, ".ssh")],
      allowedDomains: [],
    });
    const launch = await sandbox.launch("/bin/bash", "echo hi", workspace);
    const direct = timeSpawn(["/bin/bash", "-c", "echo hi"]);
    const wrapped = timeSpawn(launch.argv);
    await sandbox.close();
    table.row(
      `spawn \`bash -c 'echo hi'\` directly vs under claw's bwrap command line (median of ${DIRECT_RUNS})`,
      `${formatMs(wrapped)} vs ${formatMs(direct)} (+${formatMs(wrapped - direct)})`,
      "—",
    );
  } finally {
    place.cleanup();
  }
  table.print();
}

await main();
