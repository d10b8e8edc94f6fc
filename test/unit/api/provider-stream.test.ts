// The Anthropic provider against the mock server over real HTTP: request shape, auth headers, base URL
// prefixes, cache breakpoints, and the events assembled from well-formed (and noisy) streams.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthSource } from "../../../src/api/auth-source.js";
import { block, type MockAnthropic, reply, startMockAnthropic } from "../../support/mock-anthropic.js";
import { collect, finalText, ofType, provider, request } from "./provider-helpers.js";

let mock: MockAnthropic;
beforeEach(async () => {
  mock = await startMockAnthropic();
});
afterEach(async () => {
  await mock.close();
});

describe("request", () => {
  it("posts a streaming request with the API version, model and max_tokens", async () => {
    mock.enqueue(reply.text("hello"));
    await collect(provider(mock.url).stream(request({ maxTokens: 64000 })));
    const [req] = mock.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v1/messages");
    expect(req?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.body).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 64000, stream: true });
  });

  it("keeps a path prefix of the base URL", async () => {
    mock.enqueue(reply.text("hello"));
    await collect(provider(`${mock.url}/proxy/`).stream(request()));
    expect(mock.requests[0]?.path).toBe("/proxy/v1/messages");
  });

  it("reads ANTHROPIC_BASE_URL from env when no base URL is given", async () => {
    const { createAnthropicProvider } = await import("../../../src/api/anthropic-provider.js");
    mock.enqueue(reply.text("hello"));
    const p = createAnthropicProvider({
      auth: new AuthSource("k", undefined, ["ANTHROPIC_API_KEY"]),
      env: { ANTHROPIC_BASE_URL: `${mock.url}/gw` },
    });
    const events = await collect(p.stream(request()));
    expect(ofType(events, "message_end")).toHaveLength(1);
    expect(mock.requests[0]?.path).toBe("/gw/v1/messages");
  });

  it.each([
    ["api key only", new AuthSource("key-1", undefined, ["ANTHROPIC_API_KEY"]), "key-1", undefined],
    ["token only", new AuthSource(undefined, "tok-1", ["ANTHROPIC_AUTH_TOKEN"]), undefined, "Bearer tok-1"],
    [
      "both",
      new AuthSource("key-1", "tok-1", ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"]),
      "key-1",
      "Bearer tok-1",
    ],
  ])("sends auth headers: %s", async (_name, auth, apiKey, bearer) => {
    mock.enqueue(reply.text("ok"));
    await collect(provider(mock.url, { auth }).stream(request()));
    expect(mock.requests[0]?.headers["x-api-key"]).toBe(apiKey);
    expect(mock.requests[0]?.headers.authorization).toBe(bearer);
  });

  it("places cache breakpoints on the last tool, the last system block and the newest messages", async () => {
    mock.enqueue(reply.text("ok"));
    const history = [
      { role: "user" as const, content: "first" },
      { role: "assistant" as const, content: [{ type: "text" as const, text: "answer" }] },
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "a" },
          { type: "text" as const, text: "b" },
        ],
      },
    ];
    await collect(
      provider(mock.url).stream(
        request({
          system: ["stable prefix", "", "environment"],
          tools: [
            { name: "Read", description: "read", input_schema: { type: "object" } },
            { name: "Bash", description: "bash", input_schema: { type: "object" } },
          ],
          messages: history,
        }),
      ),
    );
    const body = mock.requests[0]?.body;
    expect(body.system).toEqual([
      { type: "text", text: "stable prefix" },
      { type: "text", text: "environment", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.tools[0].cache_control).toBeUndefined();
    expect(body.tools[1].cache_control).toEqual({ type: "ephemeral" });
    expect(body.messages[2].content).toEqual([
      { type: "text", text: "a" },
      { type: "text", text: "b", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.messages[0].content).toEqual([
      { type: "text", text: "first", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.messages[1].content).toEqual([{ type: "text", text: "answer" }]);
    const breakpoints = JSON.stringify(body).split('"cache_control"').length - 1;
    expect(breakpoints).toBeLessThanOrEqual(4);
    // the caller's history is untouched
    expect(history[0]?.content).toBe("first");
    expect(JSON.stringify(history)).not.toContain("cache_control");
  });
});

describe("events", () => {
  it("streams text deltas and ends with the assembled message and usage", async () => {
    mock.enqueue(
      reply.text("hello world", {
        chunks: 3,
        usage: {
          input_tokens: 12,
          output_tokens: 7,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 5,
        },
      }),
    );
    const events = await collect(provider(mock.url).stream(request()));
    expect(events[0]?.type).toBe("raw");
    expect(ofType(events, "message_start")).toHaveLength(1);
    expect(ofType(events, "text_delta").map((e) => e.text)).toHaveLength(3);
    expect(finalText(events)).toBe("hello world");
    const end = ofType(events, "message_end")[0]?.message;
    expect(end?.content).toEqual([{ type: "text", text: "hello world" }]);
    expect(end?.stopReason).toBe("end_turn");
    expect(end?.usage).toEqual({
      input_tokens: 12,
      output_tokens: 7,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 5,
    });
    expect(events.at(-1)?.type).toBe("message_end");
    expect(ofType(events, "error")).toHaveLength(0);
  });

  it("assembles tool input from input_json_delta chunks, replacing the start's {}", async () => {
    const input = { command: "ls -la", description: "list files", nested: { a: [1, 2, 3] } };
    mock.enqueue(reply.toolUse({ name: "Bash", input, id: "toolu_1", chunks: 5, text: "Let me look." }));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "tool_use_start")).toEqual([
      { type: "tool_use_start", index: 1, id: "toolu_1", name: "Bash" },
    ]);
    expect(ofType(events, "tool_input_delta").length).toBeGreaterThan(1);
    const end = ofType(events, "tool_use_end")[0];
    expect(end?.input).toEqual(input);
    expect(end?.inputError).toBeUndefined();
    const message = ofType(events, "message_end")[0]?.message;
    expect(message?.stopReason).toBe("tool_use");
    expect(message?.content).toEqual([
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "toolu_1", name: "Bash", input },
    ]);
  });

  it("handles several tool calls and thinking in one message", async () => {
    mock.enqueue(
      reply.message([
        block.thinking("pondering", "sig-1"),
        block.text("Two reads."),
        block.toolUse({ name: "Read", input: { file_path: "a" }, id: "t1", chunks: 2 }),
        block.toolUse({ name: "Read", input: { file_path: "b" }, id: "t2", chunks: 3 }),
      ]),
    );
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "thinking_delta").map((e) => e.text)).toEqual(["pondering"]);
    expect(ofType(events, "tool_use_end").map((e) => [e.id, e.input])).toEqual([
      ["t1", { file_path: "a" }],
      ["t2", { file_path: "b" }],
    ]);
    expect(ofType(events, "message_end")[0]?.message.content[0]).toEqual({
      type: "thinking",
      thinking: "pondering",
      signature: "sig-1",
    });
  });

  it("marks a completed tool call with invalid JSON input as an input error", async () => {
    mock.enqueue(reply.toolUse({ name: "Bash", input: {}, rawJson: '{"command": "ls', chunks: 2 }));
    const events = await collect(provider(mock.url).stream(request()));
    const end = ofType(events, "tool_use_end")[0];
    expect(end?.inputError).toMatch(/not valid JSON/);
    expect(end?.input).toEqual({});
    expect(ofType(events, "message_end")).toHaveLength(1);
  });

  it("treats an empty tool input as {}", async () => {
    mock.enqueue(reply.toolUse({ name: "TodoRead", input: {}, rawJson: "" }));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "tool_use_end")[0]).toMatchObject({ input: {}, name: "TodoRead" });
    expect(ofType(events, "tool_use_end")[0]?.inputError).toBeUndefined();
  });

  it("ignores comments, pings, unknown events, blocks, deltas and usage fields", async () => {
    mock.enqueue(reply.noisy("all good", { usage: { input_tokens: 3, output_tokens: 2 } }));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "error")).toHaveLength(0);
    expect(ofType(events, "retry")).toHaveLength(0);
    const message = ofType(events, "message_end")[0]?.message;
    expect(message?.content).toEqual([{ type: "text", text: "all good" }]);
    expect(message?.usage).toEqual({
      input_tokens: 3,
      output_tokens: 2,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("passes an unknown stop_reason through", async () => {
    mock.enqueue(reply.text("odd", { stopReason: "future_reason" }));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "message_end")[0]?.message.stopReason).toBe("future_reason");
  });

  it("completes a message whose stream ends after message_delta without message_stop", async () => {
    mock.enqueue(reply.endAfterMessageDelta("done here"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "message_end")[0]?.message.content).toEqual([{ type: "text", text: "done here" }]);
    expect(mock.requests).toHaveLength(1);
  });

  it("accepts a JSON message when a proxy answers a streaming request without SSE", async () => {
    mock.enqueue(
      reply.json({
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text: "json answer" }],
        stop_reason: "end_turn",
        usage: { input_tokens: 1, output_tokens: 2 },
      }),
    );
    const events = await collect(provider(mock.url).stream(request()));
    expect(finalText(events)).toBe("json answer");
    expect(ofType(events, "message_end")[0]?.message.usage.output_tokens).toBe(2);
  });

  it("emits each wire event as raw", async () => {
    mock.enqueue(reply.text("hi"));
    const events = await collect(provider(mock.url).stream(request()));
    const types = ofType(events, "raw").map((e) => (e.event as { type: string }).type);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("large streams", () => {
  it("assembles a 5 MB answer streamed in many deltas", async () => {
    const text = "0123456789abcdef".repeat(5 * 65536);
    mock.enqueue(reply.text(text, { chunks: 2000, stopReason: "max_tokens" }));
    // The in-process mock writes all 5 MB in one go, holding up the client's event loop: on a loaded machine
    // that alone can outlast the short headers deadline the other tests use.
    const slowMock = { CLAW_HEADERS_TIMEOUT_MS: "30000" };
    const events = await collect(provider(mock.url, { env: slowMock }).stream(request()));
    const message = ofType(events, "message_end")[0]?.message;
    expect(message?.stopReason).toBe("max_tokens");
    expect(message?.content).toEqual([{ type: "text", text }]);
    expect(finalText(events)).toBe(text);
  });
});
