// Embedding benchmark: time from spawn to the first `assistant` message, `claw -p --output-format stream-json`
// against the Agent SDK protocol (`--input-format stream-json`, initialize + a user line, as the SDK writes them),
// and through the real SDK's query(). Run from the repo root after `npm run build`.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { benchPlace, CLAW, formatMs, importBundled, median } from "./bench-utils.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const STREAM = ["--output-format", "stream-json", "--verbose"];

/** Spawns claw and resolves with ms from spawn to its first assistant line on stdout. */
function firstAssistant(args, env, cwd, input) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLAW, ...args], { env, cwd, stdio: ["pipe", "pipe", "ignore"] });
    let at;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (at === undefined && JSON.parse(line).type === "assistant") {
        at = performance.now() - started;
        child.stdin.end();
      }
    });
    if (input) child.stdin.write(input);
    else child.stdin.end();
    child.on("error", reject);
    child.on("close", () => (at === undefined ? reject(new Error("no assistant message")) : resolve(at)));
  });
}

const support = await importBundled(
  "sdk-bench-support.mjs",
  'export { startMockAnthropic, reply } from "./test/support/mock-anthropic.ts";',
  { sourcefile: "sdk-bench-entry.ts", packages: "external" },
);
const { query } = await import("@anthropic-ai/claude-agent-sdk");
const mock = await support.startMockAnthropic({ defaultReply: support.reply.text("hello") });
const { workspace, env, cleanup } = benchPlace("claw-sdk-bench-", mock.url);
const protocolInput = `${JSON.stringify({ type: "control_request", request_id: "i", request: { subtype: "initialize" } })}\n${JSON.stringify({ type: "user", message: { role: "user", content: "hello" }, parent_tool_use_id: null, session_id: "" })}\n`;

const print = [];
const protocol = [];
const sdk = [];
try {
  for (let i = 0; i < RUNS; i++) {
    print.push(await firstAssistant(["-p", "hello", ...STREAM], env, workspace));
    protocol.push(
      await firstAssistant([...STREAM, "--input-format", "stream-json"], env, workspace, protocolInput),
    );
    const started = performance.now();
    for await (const message of query({
      prompt: "hello",
      options: { pathToClaudeCodeExecutable: CLAW, executable: "node", cwd: workspace, env },
    })) {
      if (message.type === "assistant") {
        sdk.push(performance.now() - started);
        break;
      }
    }
  }
} finally {
  await mock.close();
  cleanup();
}
const p = median(print);
console.log(`spawn → first assistant message (median of ${RUNS})`);
console.log(`  claw -p --output-format stream-json:        ${formatMs(p, 0)}`);
console.log(
  `  --input-format stream-json (SDK protocol):  ${formatMs(median(protocol), 0)} (${(median(protocol) / p).toFixed(2)}× -p)`,
);
console.log(
  `  Agent SDK query() (spawn by the SDK):       ${formatMs(median(sdk), 0)} (${(median(sdk) / p).toFixed(2)}× -p)`,
);
