// Session benchmarks: `claw -p -r <id>` on a 2,000-message session vs a fresh `claw -p` (target ≤ 150 ms
// over fresh), loadSession alone, and the cost of one append. Run from the repo root after `npm run build`.
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMs as fmt, importBundled, median, resultTable, timeClaw } from "./bench-utils.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const MESSAGES = 2_000;

/** Our session modules, bundled so this plain script can call them in process. */
function loadSessionLib() {
  return importBundled(
    "session-bench-lib.mjs",
    'export { SessionStore } from "./src/session/session-store.ts"; export { loadSession } from "./src/session/session-load.ts";',
  );
}

/** A minimal Messages API: every request gets a short streamed text answer. */
async function startMock() {
  const events = [
    [
      "message_start",
      {
        type: "message_start",
        message: {
          id: "msg_b",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      },
    ],
    [
      "content_block_start",
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    ],
    [
      "content_block_delta",
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } },
    ],
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 2 },
      },
    ],
    ["message_stop", { type: "message_stop" }],
  ];
  const body = events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join("");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(body);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** Wall time of one `claw` run in ms. */
const runClaw = async (args, env, cwd) => (await timeClaw(args, env, cwd, 300)).wallMs;

const usage = {
  input_tokens: 1200,
  output_tokens: 80,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

/** A realistic session: prompts, tool calls with ~1.5 KB results, and text replies; `messages` in all. */
function writeSession(lib, configHome, cwd) {
  const store = lib.SessionStore.create({
    configHome,
    cwd,
    model: "claude-sonnet-4-5",
    clawVersion: "bench",
  });
  let count = 0;
  let n = 0;
  while (count < MESSAGES) {
    n++;
    store.append({
      type: "user",
      message: {
        role: "user",
        content: `Please look at src/module${n}.ts and fix the bug in parse() number ${n}.`,
      },
    });
    store.append({ type: "usage", model: "claude-sonnet-4-5", usage });
    store.append({
      type: "assistant",
      message: {
        id: `msg_${n}a`,
        model: "claude-sonnet-4-5",
        stopReason: "tool_use",
        usage,
        content: [
          { type: "text", text: "Let me read the file first." },
          {
            type: "tool_use",
            id: `toolu_${n}`,
            name: "Read",
            input: { file_path: `/work/src/module${n}.ts` },
          },
        ],
      },
    });
    store.append({
      type: "tool_results",
      message: {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: `toolu_${n}`,
            content: `export function parse(input: string) {\n  return input.split(",");\n}\n`.repeat(20),
          },
        ],
      },
    });
    store.append({ type: "usage", model: "claude-sonnet-4-5", usage });
    store.append({
      type: "assistant",
      message: {
        id: `msg_${n}b`,
        model: "claude-sonnet-4-5",
        stopReason: "end_turn",
        usage,
        content: [
          {
            type: "text",
            text: `The bug in module ${n} is an off-by-one in the loop; I fixed it and the tests pass now. `.repeat(
              3,
            ),
          },
        ],
      },
    });
    count += 4;
  }
  store.close();
  return store;
}

function appendCost(lib, configHome) {
  const store = lib.SessionStore.create({
    configHome,
    cwd: "/bench/append",
    model: "m",
    clawVersion: "bench",
  });
  const record = {
    type: "assistant",
    message: {
      id: "msg",
      model: "m",
      stopReason: "end_turn",
      usage,
      content: [{ type: "text", text: "x".repeat(1000) }],
    },
  };
  for (let i = 0; i < 200; i++) store.append(record); // warm-up
  const count = 5_000;
  const t = performance.now();
  for (let i = 0; i < count; i++) store.append(record);
  const perRecordUs = ((performance.now() - t) / count) * 1000;
  store.close();
  return perRecordUs;
}

async function main() {
  const lib = await loadSessionLib();
  const home = mkdtempSync(join(tmpdir(), "claw-bench-resume-"));
  const configHome = join(home, ".claude");
  const workspace = join(home, "work");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(workspace);
  const mock = await startMock();
  const { row, print } = resultTable();
  try {
    const session = writeSession(lib, configHome, workspace);
    const size = statSync(session.path).size;
    const loads = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      const loaded = lib.loadSession(session.path);
      loads.push(performance.now() - t);
      if (loaded.messages.length < MESSAGES) throw new Error(`loaded ${loaded.messages.length} messages`);
    }
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_CONFIG_HOME: configHome,
      ANTHROPIC_API_KEY: "bench-key",
      ANTHROPIC_BASE_URL: mock.url,
    };
    await runClaw(["-p", "hi"], env, workspace);
    await runClaw(["-p", "-r", session.id, "hi"], env, workspace);
    const fresh = [];
    const resumed = [];
    for (let i = 0; i < RUNS; i++) {
      fresh.push(await runClaw(["-p", "hi"], env, workspace));
      resumed.push(await runClaw(["-p", "-r", session.id, "hi"], env, workspace));
    }
    const f = median(fresh);
    const r = median(resumed);
    row(
      `resume: claw -p -r on ${MESSAGES} messages (${(size / 1048576).toFixed(1)} MiB) vs fresh -p`,
      `${fmt(r)} vs ${fmt(f)} = +${fmt(r - f)}`,
      "≤ +150 ms",
    );
    row(`resume: loadSession alone (${MESSAGES} messages, median)`, fmt(median(loads)), "—");
    row(
      "session append: one ~1 KB record (write + flush)",
      `${appendCost(lib, configHome).toFixed(1)} µs`,
      "—",
    );
  } finally {
    await mock.close();
    rmSync(home, { recursive: true, force: true });
  }
  print();
}

await main();
