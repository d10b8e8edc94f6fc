// MCP startup benchmark: `claw -p hello` with no MCP servers vs 3 stdio servers, and with one server that
// takes 300 ms to initialize. Reports wall time and time to the first API request (target: servers delay the
// first request by no more than their slowest initialize). Run from the repo root after `npm run build`.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchPlace, formatMs, importBundled, median, timeClaw } from "./bench-utils.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

const fmt = (ms) => formatMs(ms, 0);

/** The test mock API and the MCP test server builder, bundled so this plain script can use them. */
function loadSupport() {
  return importBundled(
    "mcp-bench-support.mjs",
    'export { startMockAnthropic, reply } from "./test/support/mock-anthropic.ts"; export { buildMcpTestServer, everythingServerEntry } from "./test/support/mcp-build.ts";',
    { sourcefile: "mcp-bench-entry.ts", packages: "external" },
  );
}

async function scenario(name, servers, support, mock, firstRequestAt) {
  const { workspace, env, cleanup } = benchPlace("claw-mcp-bench-", mock.url);
  if (servers) writeFileSync(join(workspace, ".mcp.json"), JSON.stringify({ mcpServers: servers }));
  const walls = [];
  const firsts = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      mock.enqueue(support.reply.text("hello"));
      firstRequestAt.value = 0;
      const { started, wallMs } = await timeClaw(["-p", "hello"], env, workspace);
      walls.push(wallMs);
      firsts.push(firstRequestAt.value - started);
    }
  } finally {
    cleanup();
  }
  const result = { name, wall: median(walls), first: median(firsts) };
  console.log(`| ${name} | ${fmt(result.wall)} | ${fmt(result.first)} |`);
  return result;
}

/** How long `count` servers take to answer initialize when spawned directly in parallel (the lower bound). */
async function bareInitialize(command, args, count) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise((resolve, reject) => {
            const child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"] });
            child.on("error", reject);
            child.stdout.once("data", () => {
              child.kill();
              resolve();
            });
            const params = {
              protocolVersion: "2025-06-18",
              capabilities: {},
              clientInfo: { name: "bench", version: "1" },
            };
            child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params })}\n`);
          }),
      ),
    );
    times.push(performance.now() - started);
  }
  return median(times);
}

const support = await loadSupport();
const serverJs = await support.buildMcpTestServer();
const firstRequestAt = { value: 0 };
const mock = await support.startMockAnthropic({
  handler: () => {
    if (!firstRequestAt.value) firstRequestAt.value = performance.now();
    return undefined;
  },
});
const stdio = (...flags) => ({ command: process.execPath, args: [serverJs, ...flags] });
try {
  console.log(`claw -p hello, median of ${RUNS} runs\n`);
  console.log("| MCP servers | wall time | time to first API request |");
  console.log("|---|---|---|");
  const none = await scenario("none", undefined, support, mock, firstRequestAt);
  const three = await scenario(
    "3 × stdio test server",
    { a: stdio(), b: stdio(), c: stdio() },
    support,
    mock,
    firstRequestAt,
  );
  const slow = await scenario(
    "3 × stdio, one initializes in 300 ms",
    { a: stdio(), b: stdio(), c: stdio("--startup-delay=300") },
    support,
    mock,
    firstRequestAt,
  );
  const everything = support.everythingServerEntry();
  await scenario(
    "3 × server-everything",
    { a: everything, b: everything, c: everything },
    support,
    mock,
    firstRequestAt,
  );
  const bare = await bareInitialize(process.execPath, [serverJs], 3);
  console.log(
    `\nOverhead of 3 servers before the first request: ${fmt(three.first - none.first)} ` +
      `(the 3 servers alone need ${fmt(bare)} to answer initialize in parallel); ` +
      `with one 300 ms initialize: ${fmt(slow.first - none.first)}. Target: overhead ≤ the slowest initialize.`,
  );
} finally {
  await mock.close();
}
