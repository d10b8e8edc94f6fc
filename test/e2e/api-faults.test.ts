// The stream and HTTP faults of FAULTS.md (A1–A9, A12–A14) end to end: the built CLI against the mock API.
// Checks exit codes, what reaches stdout/stderr, how many requests were sent, and that no stack trace or
// credential is ever printed.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type RunClawResult, runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type MockReply, messageEvents, reply } from "../support/mock-anthropic.js";

const KEY = "sk-ant-e2e-secret-key-0042";
const e2e = setupMockApi();

const FAST = {
  CLAW_RETRY_BASE_MS: "1",
  CLAW_STREAM_IDLE_TIMEOUT_MS: "1000",
  CLAW_HEADERS_TIMEOUT_MS: "1000",
};

function claw(args: string[], env: Record<string, string> = {}): Promise<RunClawResult> {
  return runClaw(args, {
    sandbox: e2e.sandbox,
    env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: e2e.mock.url, ...FAST, ...env },
  });
}

interface JsonResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
}
function parseResult(r: RunClawResult): JsonResult {
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "") as JsonResult;
}

/** Nothing that looks like a stack trace, and the key never echoed. */
function expectClean(r: RunClawResult): void {
  expect(r.stderr).not.toMatch(/\n\s+at .+[:(]\d+:\d+/);
  expect(r.stderr).not.toMatch(/^\s*at /m);
  expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  expect(r.timedOut).toBe(false);
}

/** One line on stderr starting with "claw:" for the final error (retry notices may precede it). */
function lastErrorLine(r: RunClawResult): string {
  const lines = r.stderr.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

describe("A1 rate limits", () => {
  it("waits out retry-after twice, then answers; one user message in every request", async () => {
    e2e.mock.enqueue(
      reply.rateLimited({ retryAfter: 1 }),
      reply.rateLimited({ retryAfter: 1 }),
      reply.text("finally"),
    );
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("finally\n");
    expect(e2e.mock.requests).toHaveLength(3);
    expect(r.stderr.match(/retrying/g)).toHaveLength(2);
    expect(r.stderr).toContain("in 1s");
    for (const req of e2e.mock.requests) {
      expect(req.body.messages.filter((m: { role: string }) => m.role === "user")).toHaveLength(1);
    }
  });

  it("fails fast when retry-after is over the cap", async () => {
    e2e.mock.enqueue(reply.rateLimited({ retryAfter: 3600 }), reply.text("never"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(1);
    expect(e2e.mock.requests).toHaveLength(1);
    expect(lastErrorLine(r)).toMatch(/^claw: .*rate limit.*3600 s/i);
  });
});

describe("A2 overloaded", () => {
  it("retries a 529 with backoff", async () => {
    e2e.mock.enqueue(reply.overloaded(), reply.text("ok"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("ok\n");
    expect(e2e.mock.requests).toHaveLength(2);
  });

  it("does not retry a 529 with x-should-retry: false and says overloaded", async () => {
    e2e.mock.enqueue(reply.overloaded({ shouldRetry: false }), reply.text("never"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(1);
    expect(e2e.mock.requests).toHaveLength(1);
    expect(lastErrorLine(r)).toMatch(/overloaded/i);
  });
});

describe("A3/A4/A5/A6 broken streams before any tool call: retried, partial text never the answer", () => {
  it.each<[string, MockReply, Record<string, string>]>([
    ["A3 overloaded_error event", reply.streamError({ afterText: "PARTIAL-" }), {}],
    ["A4 socket reset", reply.resetMidStream({ afterText: "PARTIAL-" }), {}],
    ["A5 stall after some text", reply.stall({ afterText: "PARTIAL-" }), {}],
    ["A5 stall right after headers", reply.stallAfterHeaders(), {}],
    [
      "A6 a data line that is not JSON",
      reply.badJson({ afterText: "PARTIAL-", line: "{not json LINE-CONTENT" }),
      {},
    ],
  ])("%s", async (_name, fault, env) => {
    e2e.mock.enqueue(fault, reply.text("complete answer"));
    const r = await claw(["-p", "hi", "--output-format", "json"], env);
    expectClean(r);
    expect(r.code).toBe(0);
    const result = parseResult(r);
    expect(result.is_error).toBe(false);
    expect(result.result).toBe("complete answer");
    expect(e2e.mock.requests).toHaveLength(2);
    expect(r.stderr).not.toContain("LINE-CONTENT");
  });

  it("text mode shows the retry on stderr and ends with the full answer", async () => {
    e2e.mock.enqueue(reply.streamError({ afterText: "PARTIAL-" }), reply.text("complete answer"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    // Piped output holds each message until it is complete: the failed attempt's text never reaches it.
    expect(r.stdout).toBe("complete answer\n");
    expect(r.stderr).toMatch(/overloaded_error.*retrying/);
  });
});

describe("A3/A6 faults that persist", () => {
  it("bad JSON every time: one clean error line, exit 1, no content of the line", async () => {
    const r = await (async () => {
      for (let i = 0; i < 3; i++)
        e2e.mock.enqueue(reply.badJson({ afterText: "HALF-AN-ANSWER ", line: "{oops LINE-CONTENT" }));
      return claw(["-p", "hi"], { CLAW_MAX_ATTEMPTS: "3" });
    })();
    expectClean(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(""); // no attempt's partial text is passed off as (part of) an answer
    expect(e2e.mock.requests).toHaveLength(3);
    expect(lastErrorLine(r)).toMatch(/^claw: .*not valid JSON/);
    expect(r.stderr).not.toContain("LINE-CONTENT");
  });

  it("json output carries the error with is_error true", async () => {
    for (let i = 0; i < 2; i++) e2e.mock.enqueue(reply.streamError());
    const r = await claw(["-p", "hi", "--output-format", "json"], { CLAW_MAX_ATTEMPTS: "2" });
    expectClean(r);
    expect(r.code).toBe(1);
    const result = parseResult(r);
    expect(result.type).toBe("result");
    expect(result.is_error).toBe(true);
    expect(result.result).not.toContain("partial");
  });
});

describe("A3 after a completed tool call", () => {
  it("does not retry and never runs the tool", async () => {
    const marker = join(e2e.sandbox.workspace, "tool-ran");
    const message = reply.toolUse({ name: "Bash", input: { command: `touch ${marker}` }, text: "Running." });
    e2e.mock.enqueue(reply.interrupted(message, { fault: "error" }), reply.text("never"));
    const r = await claw(["-p", "go", "--dangerously-skip-permissions"]);
    expectClean(r);
    expect(r.code).toBe(1);
    expect(e2e.mock.requests).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
    expect(lastErrorLine(r)).toMatch(/tool was not run/);
  });
});

describe("A7 invalid tool input JSON", () => {
  it("the tool is not run; the model gets an is_error tool_result and the turn goes on", async () => {
    const marker = join(e2e.sandbox.workspace, "tool-ran");
    e2e.mock.enqueue(
      reply.toolUse({
        name: "Bash",
        id: "toolu_bad",
        input: {},
        rawJson: `{"command": "touch ${marker}"`,
        chunks: 3,
      }),
      reply.text("recovered"),
    );
    const r = await claw(["-p", "go", "--dangerously-skip-permissions", "--output-format", "json"]);
    expectClean(r);
    expect(existsSync(marker)).toBe(false);
    expect(r.code).toBe(0);
    expect(parseResult(r).result).toBe("recovered");
    expect(e2e.mock.requests).toHaveLength(2);
    const last = e2e.mock.requests[1]?.body.messages.at(-1);
    const toolResult = last.content.find((b: { type: string }) => b.type === "tool_result");
    expect(toolResult).toMatchObject({ tool_use_id: "toolu_bad", is_error: true });
  });
});

describe("A8 unknown things in the stream", () => {
  it("ignores unknown events, blocks, deltas, fields and pings; keeps an unknown stop_reason", async () => {
    e2e.mock.enqueue(reply.noisy("noisy but fine", { stopReason: "brand_new_reason" }));
    const r = await claw(["-p", "hi", "--output-format", "json"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(parseResult(r).result).toBe("noisy but fine");
    expect(e2e.mock.requests).toHaveLength(1);
  });
});

describe("A9 streams that end early", () => {
  it("message_delta with a stop_reason but no message_stop is a complete answer", async () => {
    e2e.mock.enqueue(reply.endAfterMessageDelta("complete without stop"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("complete without stop\n");
    expect(e2e.mock.requests).toHaveLength(1);
  });

  it.each<[string, MockReply]>([
    ["before any stop_reason", reply.endBeforeStopReason("CUT-TEXT")],
    ["mid-block with no final blank line", reply.endMidBlock("CUT-TEXT")],
  ])("a stream that ends %s is an error, never a success", async (_name, cut) => {
    e2e.mock.enqueue(cut, cut);
    const r = await claw(["-p", "hi", "--output-format", "json"], { CLAW_MAX_ATTEMPTS: "2" });
    expectClean(r);
    expect(r.code).toBe(1);
    const result = parseResult(r);
    expect(result.is_error).toBe(true);
    expect(result.result).not.toBe("CUT-TEXT");
    expect(e2e.mock.requests).toHaveLength(2);
  });

  it("a stream with no events at all is retried once without streaming", async () => {
    e2e.mock.enqueue(reply.emptyStream(), reply.text("from the json retry"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("from the json retry\n");
    expect(e2e.mock.requests.map((q) => q.body.stream)).toEqual([true, false]);
  });
});

describe("A12 prompt too long", () => {
  it.each([400, 413] as const)("%i: not retried, exit 1 with a message about the length", async (status) => {
    e2e.mock.enqueue(reply.promptTooLong(status));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(1);
    expect(e2e.mock.requests).toHaveLength(1);
    expect(lastErrorLine(r)).toMatch(/too long|too large/i);
  });
});

describe("A13 connection accepted, no headers", () => {
  it("times out, then retries", async () => {
    e2e.mock.enqueue(reply.noHeaders(), reply.text("after timeout"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("after timeout\n");
    expect(e2e.mock.requests).toHaveLength(2);
    expect(r.stderr).toMatch(/no response headers/);
  });

  it("Ctrl-C cancels the backoff sleep", async () => {
    e2e.mock.enqueue(reply.rateLimited({ retryAfter: 50 }));
    const run = spawnClaw(["-p", "hi"], {
      sandbox: e2e.sandbox,
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: e2e.mock.url, ...FAST },
      timeoutMs: 20_000,
    });
    await new Promise<void>((resolve) => {
      let seen = "";
      run.child.stderr?.on("data", (d: Buffer) => {
        seen += d.toString();
        if (seen.includes("retrying")) resolve();
      });
    });
    run.child.kill("SIGINT");
    const r = await run.done;
    expectClean(r);
    expect(r.code).not.toBe(0);
    expect(e2e.mock.requests).toHaveLength(1);
  });
});

describe("A14 401 with an API key", () => {
  it("no retry, names the variable, never echoes the key (even when the server does)", async () => {
    e2e.mock.enqueue(reply.unauthorized(`invalid x-api-key ${KEY}`), reply.text("never"));
    const r = await claw(["-p", "hi"]);
    expectClean(r);
    expect(r.code).toBe(1);
    expect(e2e.mock.requests).toHaveLength(1);
    expect(lastErrorLine(r)).toMatch(/^claw: .*401.*ANTHROPIC_API_KEY/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("keep-alive", () => {
  it("a multi-turn run sends every request on one connection (no handshake per turn)", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Glob", input: { pattern: "*.md" } }),
      reply.toolUse({ name: "Glob", input: { pattern: "*.ts" } }),
      reply.text("done"),
    );
    const r = await claw(["-p", "look around"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(e2e.mock.messageRequests()).toHaveLength(3);
    const connections = new Set(e2e.mock.messageRequests().map((q) => q.connection));
    expect(connections.size).toBe(1);
  });

  it("a kept-alive connection the server drops as it is reused is resent at once, with no retry notice", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Glob", input: { pattern: "*.md" } }),
      reply.connectionReset(),
      reply.text("done after the reconnect"),
    );
    const r = await claw(["-p", "look around"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("done after the reconnect");
    expect(r.stderr).toBe("");
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(3);
    expect(requests[1]!.connection).toBe(requests[0]!.connection);
    expect(requests[2]!.connection).not.toBe(requests[1]!.connection);
  });

  it("a server that keeps the stream open after message_stop does not hold claw up; the next turn reconnects", async () => {
    const lingering = reply.sse(
      messageEvents({
        kind: "message",
        content: [{ type: "tool_use", name: "Glob", input: { pattern: "*" } }],
      }),
      "stall",
    );
    e2e.mock.enqueue(lingering, reply.text("answered"));
    const r = await claw(["-p", "look around"]);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("answered");
    const [first, second] = e2e.mock.messageRequests();
    expect(second!.connection).not.toBe(first!.connection);
  });
});
