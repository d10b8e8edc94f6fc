// Adversarial end-to-end checks where the loop meets the API: replies the next request must not resend
// verbatim (empty or whitespace-only), a tool call cut by the output limit, and turn counting on a
// "prompt is too long" that cannot be compacted away.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const run = (args: string[]) =>
  runClaw(args, { sandbox: e2e.sandbox, env: e2e.env({ CLAW_RETRY_BASE_MS: "1", SHELL: "/bin/sh" }) });

type WireBlock = { type: string; text?: string; content?: unknown; is_error?: boolean };
type WireMessage = { role: string; content: string | WireBlock[] };
const messagesOf = (request: LoggedRequest | undefined): WireMessage[] => request?.body?.messages ?? [];

/** What the real API checks and the mock does not: non-empty messages, no whitespace-only text blocks. */
function expectAcceptable(messages: WireMessage[]) {
  expect(messages.length).toBeGreaterThan(0);
  for (const [i, m] of messages.entries()) {
    if (i > 0) expect(m.role).not.toBe(messages[i - 1]!.role);
    if (typeof m.content === "string") {
      expect(m.content.trim()).not.toBe("");
      continue;
    }
    expect(m.content.length, `message ${i} (${m.role}) has no content`).toBeGreaterThan(0);
    for (const b of m.content) if (b.type === "text") expect(b.text?.trim(), `message ${i}`).not.toBe("");
  }
}

function stopHookOnce(reason: string) {
  const command = `if [ -f stopped-once ]; then exit 0; fi; touch stopped-once; echo '${reason}' >&2; exit 2`;
  writeFileSync(
    join(e2e.sandbox.configHome, "settings.json"),
    JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command }] }] } }),
  );
}

describe("replies that must not be resent as they came", () => {
  it("an empty reply followed by a Stop-hook continuation sends a valid history", async () => {
    stopHookOnce("keep going");
    e2e.mock.enqueue(reply.message([]), reply.text("finished"));
    const r = await run(["-p", "do it", "--output-format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("finished");
    const second = messagesOf(e2e.mock.messageRequests()[1]);
    expectAcceptable(second);
    expect(JSON.stringify(second)).toContain("keep going");
  });

  it("a whitespace-only reply is not resent on -c", async () => {
    e2e.mock.enqueue(reply.text("\n\n"));
    expect((await run(["-p", "first"])).code).toBe(0);
    e2e.mock.enqueue(reply.text("second answer"));
    const r = await run(["-c", "-p", "second"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("second answer\n");
    expectAcceptable(messagesOf(e2e.mock.messageRequests()[1]));
  });

  it("a whitespace-only text before a tool call is dropped, the call and its result kept", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "alpha\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "a.txt" }, id: "r1", text: "\n\n" }),
      reply.text("read it"),
    );
    const r = await run(["-p", "read a.txt"]);
    expect(r.code).toBe(0);
    const second = messagesOf(e2e.mock.messageRequests()[1]);
    expectAcceptable(second);
    expect(JSON.stringify(second)).toContain("alpha");
  });
});

describe("a tool call cut off by the output limit", () => {
  it("is not run and the model is told why, in one clear sentence", async () => {
    e2e.mock.enqueue(
      reply.toolUse(
        { name: "Write", input: {}, rawJson: '{"file_path": "big.txt", "content": "aaaa', id: "w1" },
        { stopReason: "max_tokens" },
      ),
      reply.text("will write in parts"),
    );
    const r = await run(["-p", "write big.txt", "--output-format", "json"]);
    expect(r.code).toBe(0);
    const last = messagesOf(e2e.mock.messageRequests()[1]).at(-1)!;
    const result = (last.content as WireBlock[]).find((b) => b.type === "tool_result")!;
    expect(result.is_error).toBe(true);
    expect(String(result.content)).toMatch(/output token limit/);
    expect(String(result.content)).not.toMatch(/not valid JSON \(The tool input was not valid JSON/);
  });
});

describe("prompt is too long on the first request", () => {
  it("fails with the API's reason, one request, and counts it as a turn", async () => {
    e2e.mock.enqueue(reply.promptTooLong());
    const r = await run(["-p", "huge", "--output-format", "json"]);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.is_error).toBe(true);
    expect(result.result).toMatch(/too long/);
    expect(result.num_turns).toBe(1);
    expect(e2e.mock.messageRequests()).toHaveLength(1);
  });
});

describe("a Stop hook that always asks to continue", () => {
  it("is obeyed a bounded number of times, then the run ends and says why", async () => {
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({
        hooks: { Stop: [{ hooks: [{ type: "command", command: "echo 'not yet' >&2; exit 2" }] }] },
      }),
    );
    e2e.mock.enqueue(...["a", "b", "c", "d", "e", "f", "g"].map((t) => reply.text(t)));
    const r = await run(["-p", "work"]);
    expect(r.code).toBe(0);
    // The first answer plus exactly three continuations (the one cap, in the agent's loop).
    expect(e2e.mock.messageRequests()).toHaveLength(4);
    // Not a silent stop: the user learns that the hook's request was not followed any more.
    expect(r.stderr).toMatch(/Stop hook/i);
  });
});
