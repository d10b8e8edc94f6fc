// Compaction where the loop is mid tool call: the compacted request keeps the tool_use/tool_result pairs,
// the json totals count the summary request exactly once, and -c afterwards resends a valid history.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";

let handler: ((request: LoggedRequest) => MockReply | undefined) | undefined;
const e2e = setupMockApi({ handler: (request) => handler?.(request) });
const isSummary = (request: LoggedRequest) => request.rawBody.includes("hand-over notes");
type WireBlock = { type: string; id?: string; tool_use_id?: string };
type WireMessage = { role: string; content: string | WireBlock[] };
const messagesOf = (request: LoggedRequest | undefined): WireMessage[] => request?.body?.messages ?? [];

/** Every tool_result answers a tool_use of the message right before it, and every tool_use is answered. */
function expectPaired(messages: WireMessage[]) {
  messages.forEach((m, i) => {
    if (typeof m.content === "string") return;
    const results = m.content.filter((b) => b.type === "tool_result").map((b) => b.tool_use_id);
    const prev = messages[i - 1];
    const uses =
      prev && typeof prev.content !== "string"
        ? prev.content.filter((b) => b.type === "tool_use").map((b) => b.id)
        : [];
    if (m.role === "user") expect(results.sort()).toEqual([...uses].sort());
  });
  const last = messages.at(-1)!;
  expect(last.role).toBe("user");
}

describe("auto-compaction between a tool result and the next request", () => {
  it("keeps the pairs, counts the summary once, and -c resumes from the compacted history", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "alpha\n");
    handler = (request) =>
      isSummary(request)
        ? reply.text("## Goal\nSUMMARY-MID-LOOP", { usage: { input_tokens: 1000, output_tokens: 100 } })
        : undefined;
    e2e.mock.enqueue(
      reply.toolUse(
        { name: "Read", input: { file_path: "a.txt" }, id: "t1" },
        { usage: { input_tokens: 5000, output_tokens: 10 } },
      ),
      reply.toolUse(
        { name: "Read", input: { file_path: "a.txt" }, id: "t2" },
        { usage: { input_tokens: 190_000, output_tokens: 10 } },
      ),
      reply.text("final", { usage: { input_tokens: 2000, output_tokens: 20 } }),
    );
    const env = e2e.env({ CLAW_RETRY_BASE_MS: "1" });
    const r = await runClaw(["-p", "--model", "claude-sonnet-4-5", "read twice", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env,
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.result).toBe("final");
    // Three loop requests plus one summary request, each counted once.
    expect(result.usage.input_tokens).toBe(5000 + 190_000 + 2000 + 1000);
    expect(result.usage.output_tokens).toBe(10 + 10 + 20 + 100);
    const requests = e2e.mock.messageRequests();
    expect(requests.filter(isSummary)).toHaveLength(1);
    const afterCompaction = messagesOf(requests.at(-1));
    expect(JSON.stringify(afterCompaction[0])).toContain("SUMMARY-MID-LOOP");
    expectPaired(afterCompaction);

    e2e.mock.requests.length = 0;
    handler = undefined;
    e2e.mock.enqueue(reply.text("resumed"));
    const r2 = await runClaw(["-c", "-p", "--model", "claude-sonnet-4-5", "and now?"], {
      sandbox: e2e.sandbox,
      env,
    });
    expect(r2.code).toBe(0);
    expect(r2.stdout).toBe("resumed\n");
    const resumed = messagesOf(e2e.mock.messageRequests()[0]);
    expect(JSON.stringify(resumed[0])).toContain("SUMMARY-MID-LOOP");
    expect(JSON.stringify(resumed)).not.toContain("read twice"); // summarised away
    expectPaired(resumed);
  });
});

describe("SIGINT while the compaction summary is being written", () => {
  it("stops without another request, keeps the history and says the compaction was interrupted", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "alpha\n");
    handler = (request) => (isSummary(request) ? reply.stallAfterHeaders() : undefined);
    e2e.mock.enqueue(
      reply.toolUse(
        { name: "Read", input: { file_path: "a.txt" }, id: "t1" },
        { usage: { input_tokens: 190_000, output_tokens: 10 } },
      ),
      reply.text("never sent"),
    );
    const claw = spawnClaw(["-p", "--model", "claude-sonnet-4-5", "read it"], {
      sandbox: e2e.sandbox,
      env: e2e.env({ CLAW_RETRY_BASE_MS: "1" }),
    });
    const deadline = Date.now() + 15_000;
    while (!e2e.mock.messageRequests().some(isSummary) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    claw.child.kill("SIGINT");
    const r = await claw.done;
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/Nothing to compact/);
    expect(r.stderr).toMatch(/interrupted/i);
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(2); // the tool call, then the summary: nothing after the interrupt
    expect(e2e.mock.pending()).toBe(1);
    handler = undefined;
  });
});
