// Compaction end to end: auto-compaction when the mock reports a near-full context, and "prompt is too
// long" → compact → retry once. The summary request, the shorter next request and the session record.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { SUMMARY_LABEL } from "../../src/agent/compaction-summary.js";
import { loadSession } from "../../src/session/session-load.js";
import { projectDir } from "../../src/session/session-paths.js";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";

let handler: ((request: LoggedRequest) => MockReply | undefined) | undefined;
const e2e = setupMockApi({ handler: (request) => handler?.(request) });
// A 200k-token model: auto-compaction starts above 160k input tokens.
const MODEL = ["--model", "claude-sonnet-4-5"];

beforeEach(() => {
  handler = undefined;
});

type WireMessage = { role: string; content: string | Array<Record<string, unknown>> };
const messagesOf = (request: LoggedRequest | undefined): WireMessage[] =>
  (request?.body as { messages?: WireMessage[] } | undefined)?.messages ?? [];
const isSummaryRequest = (request: LoggedRequest) => request.rawBody.includes("hand-over notes");
const sessionPath = () => {
  const dir = projectDir(e2e.sandbox.configHome, e2e.sandbox.workspace);
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
};

/** One run that reads a large file and then four small ones: 12 messages, the big result early on. */
async function buildHistory(lastUsage: number): Promise<LoggedRequest> {
  writeFileSync(join(e2e.sandbox.workspace, "big.txt"), `${"lorem ipsum dolor sit amet ".repeat(1500)}\n`);
  writeFileSync(join(e2e.sandbox.workspace, "small.txt"), "tiny\n");
  e2e.mock.enqueue(
    reply.toolUse({ name: "Read", input: { file_path: "big.txt" }, id: "toolu_big" }),
    ...[1, 2, 3, 4].map((i) =>
      reply.toolUse({ name: "Read", input: { file_path: "small.txt" }, id: `toolu_s${i}` }),
    ),
    reply.text("All read.", { usage: { input_tokens: lastUsage, output_tokens: 10 } }),
  );
  const r = await runClaw(["-p", ...MODEL, "read big.txt then small.txt four times"], {
    sandbox: e2e.sandbox,
    env: e2e.env(),
  });
  expect(r.code).toBe(0);
  const last = e2e.mock.messageRequests().at(-1)!;
  e2e.mock.requests.length = 0;
  return last;
}

describe("compaction", () => {
  it("compacts automatically when the last request used most of the context window", async () => {
    const before = await buildHistory(190_000);
    handler = (request) =>
      isSummaryRequest(request)
        ? reply.text("## Goal\nRead the files. SUMMARY-MARKER-7", {
            usage: { input_tokens: 9000, output_tokens: 300 },
          })
        : reply.text("continuing");
    const r = await runClaw(["-p", ...MODEL, "-c", "what next?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("continuing\n");

    const [summaryRequest, next] = e2e.mock.messageRequests();
    expect(e2e.mock.messageRequests()).toHaveLength(2);
    expect(isSummaryRequest(summaryRequest!)).toBe(true);
    expect(summaryRequest!.body.tools ?? []).toEqual([]);
    expect(summaryRequest!.rawBody).toContain("read big.txt then small.txt four times");

    const sent = messagesOf(next);
    const first = JSON.stringify(sent[0]);
    expect(first).toContain(SUMMARY_LABEL.slice(0, 30));
    expect(first).toContain("SUMMARY-MARKER-7");
    expect(next!.rawBody).not.toContain("lorem ipsum dolor sit amet lorem");
    expect(next!.rawBody.length).toBeLessThan(before.rawBody.length);
    expect(JSON.stringify(sent.at(-1))).toContain("what next?");

    const file = readFileSync(sessionPath(), "utf8");
    const record = file
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.type === "compaction");
    expect(record).toMatchObject({
      tokensBefore: 190_000,
      summary: expect.stringContaining("SUMMARY-MARKER-7"),
    });
    expect(record.messagesSummarized).toBeGreaterThan(2);
    expect(record.filesMentioned).toContain("big.txt");
    expect(record.tokensAfter).toBeLessThan(record.tokensBefore);

    // Resuming again starts from the compacted history.
    e2e.mock.requests.length = 0;
    handler = () => reply.text("still here");
    await runClaw(["-p", ...MODEL, "-c", "and now?"], { sandbox: e2e.sandbox, env: e2e.env() });
    const resumed = messagesOf(e2e.mock.messageRequests()[0]);
    expect(JSON.stringify(resumed[0])).toContain("SUMMARY-MARKER-7");
    expect(JSON.stringify(resumed)).not.toContain("lorem ipsum dolor sit amet lorem");
    expect(loadSession(sessionPath()).warnings).toEqual([]);
  });

  it("does not compact automatically with autoCompact off", async () => {
    await buildHistory(190_000);
    writeFileSync(join(e2e.sandbox.configHome, "settings.json"), JSON.stringify({ autoCompact: false }));
    handler = () => reply.text("plain");
    const r = await runClaw(["-p", ...MODEL, "-c", "go on"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(e2e.mock.messageRequests()).toHaveLength(1);
    expect(e2e.mock.messageRequests().some(isSummaryRequest)).toBe(false);
  });

  it("on 'prompt is too long' compacts once and retries the request", async () => {
    await buildHistory(1_000);
    let mainRequests = 0;
    handler = (request) => {
      if (isSummaryRequest(request)) return reply.text("## Goal\nSUMMARY-AFTER-413");
      mainRequests++;
      return mainRequests === 1 ? reply.promptTooLong() : reply.text("fits now");
    };
    const r = await runClaw(["-p", ...MODEL, "-c", "next step"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stdout).toBe("fits now\n");
    expect(r.code).toBe(0);
    const requests = e2e.mock.messageRequests();
    expect(requests.map(isSummaryRequest)).toEqual([false, true, false]);
    const retried = messagesOf(requests[2]);
    expect(JSON.stringify(retried[0])).toContain("SUMMARY-AFTER-413");
    expect(JSON.stringify(retried.at(-1))).toContain("next step");
    expect(requests[2]!.rawBody.length).toBeLessThan(requests[0]!.rawBody.length);
    expect(readFileSync(sessionPath(), "utf8")).toContain('"type":"compaction"');
  });

  it("reports the error after one retry when the compacted request is still too long", async () => {
    await buildHistory(1_000);
    handler = (request) => (isSummaryRequest(request) ? reply.text("short summary") : reply.promptTooLong());
    const r = await runClaw(["-p", ...MODEL, "-c", "again"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/too long/);
    expect(e2e.mock.messageRequests().filter((q) => !isSummaryRequest(q))).toHaveLength(2);
  });
});
