// The pure parts of the Bedrock, Vertex and OpenAI-compatible providers: request translation, stream
// translation edge cases the mocks do not send, model ids, routing errors, prices and context windows.
import { describe, expect, it } from "vitest";
import { bedrockConfig, bedrockModelId } from "../../../src/api/bedrock-provider.js";
import { exceptionFault } from "../../../src/api/bedrock-stream.js";
import { MessageAssembler } from "../../../src/api/message-assembler.js";
import { contextWindow, maxOutputTokens } from "../../../src/api/models.js";
import { buildChatRequest } from "../../../src/api/openai-request.js";
import { ChatStreamTranslator, ThinkTagFilter } from "../../../src/api/openai-stream.js";
import { claudeCost, costFor, openAiCost } from "../../../src/api/pricing.js";
import { claudeBackend, openAiEndpointFor } from "../../../src/api/provider-selection.js";
import type { ProviderEvent } from "../../../src/api/types.js";
import { vertexConfig } from "../../../src/api/vertex-provider.js";

const usage = {
  input_tokens: 1_000_000,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

describe("OpenAI-compatible request", () => {
  it("pairs tool calls with tool messages, sends images as data URLs and drops Claude's thinking", () => {
    const body = buildChatRequest(
      {
        model: "openai/gpt-4o",
        maxTokens: 100,
        system: ["one", " ", "two"],
        tools: [],
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "look" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "hmm", signature: "sig" },
              { type: "tool_use", id: "call_1", name: "Read", input: { file_path: "a" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "call_1", content: "no such file", is_error: true },
            ],
          },
        ],
      },
      { model: "gpt-4o", maxTokensField: "max_completion_tokens" },
    );
    expect(body.messages).toEqual([
      { role: "system", content: "one\n\ntwo" },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "Read", arguments: '{"file_path":"a"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "Error: no such file" },
    ]);
    expect(body.max_completion_tokens).toBe(100);
    expect(body.max_tokens).toBeUndefined();
  });
});

describe("OpenAI-compatible stream", () => {
  const feed = (chunks: unknown[], end: "done" | "eof") => {
    const assembler = new MessageAssembler("ollama/qwen3");
    const translator = new ChatStreamTranslator("ollama/qwen3");
    const events: ProviderEvent[] = [];
    const emit = (e: ProviderEvent) => events.push(e);
    let outcome = { kind: "continue" } as ReturnType<ChatStreamTranslator["message"]>;
    for (const chunk of chunks)
      outcome = translator.message({ event: "message", data: JSON.stringify(chunk) }, assembler, emit);
    if (end === "done") outcome = translator.message({ event: "message", data: "[DONE]" }, assembler, emit);
    else outcome = translator.end(assembler, emit);
    return { outcome, message: assembler.finish(emit), events };
  };
  const delta = (d: unknown, finish: string | null = null) => ({
    id: "c1",
    choices: [{ index: 0, delta: d, finish_reason: finish }],
  });

  it("starts a tool call once its name arrives, and calls 'stop' after tool calls a tool_use", () => {
    const { outcome, message } = feed(
      [
        delta({ tool_calls: [{ index: 0, id: "call_x", function: { arguments: '{"pa' } }] }),
        delta({ tool_calls: [{ index: 0, function: { name: "Glob", arguments: 'ttern":"*.ts"}' } }] }),
        delta({}, "stop"),
      ],
      "eof",
    );
    expect(outcome.kind).toBe("complete");
    expect(message.stopReason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_x", name: "Glob", input: { pattern: "*.ts" } },
    ]);
  });

  it("keeps a <think> section and reasoning fields out of the answer; maps usage with cached tokens", () => {
    const { message } = feed(
      [
        delta({ content: "<thi" }),
        delta({ content: "nk>plan</th" }),
        delta({ reasoning: "more thoughts", content: "ink>\n\nAnswer" }),
        delta({ content: " here" }, "length"),
        {
          id: "c1",
          choices: [],
          usage: { prompt_tokens: 50, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 30 } },
        },
      ],
      "done",
    );
    expect(message.content).toEqual([{ type: "text", text: "Answer here" }]);
    expect(message.stopReason).toBe("max_tokens");
    expect(message.usage).toMatchObject({ input_tokens: 20, output_tokens: 9, cache_read_input_tokens: 30 });
  });

  it("a stream that ends before any finish_reason is a fault, and an error chunk is one too", () => {
    expect(feed([delta({ content: "partial" })], "eof").outcome.kind).toBe("continue");
    expect(feed([delta({ content: "partial" })], "done").outcome.kind).toBe("fault");
    const translator = new ChatStreamTranslator("m");
    const overloaded = translator.message(
      {
        event: "message",
        data: JSON.stringify({ error: { message: "model overloaded", type: "server_error" } }),
      },
      new MessageAssembler("m"),
      () => {},
    );
    expect(overloaded).toMatchObject({ kind: "fault", fault: { kind: "server", retryable: true } });
    const fault = translator.message(
      { event: "message", data: JSON.stringify({ error: { message: "maximum context length exceeded" } }) },
      new MessageAssembler("m"),
      () => {},
    );
    expect(fault).toMatchObject({ kind: "fault", fault: { kind: "prompt_too_long", retryable: false } });
  });

  it("ThinkTagFilter passes text that merely starts with '<'", () => {
    const filter = new ThinkTagFilter();
    expect(filter.filter("<")).toBe("");
    expect(filter.filter("div> hi")).toBe("<div> hi");
    expect(filter.filter(" more")).toBe(" more");
  });
});

describe("provider selection", () => {
  it("routes by prefix, reads Claude Code's switches, and reports a bad providers entry in one line", () => {
    expect(openAiEndpointFor("claude-sonnet-5-5", { env: {} })).toBeUndefined();
    expect(openAiEndpointFor("arn:aws:bedrock:us-east-1:1:inference-profile/x", { env: {} })).toBeUndefined();
    expect(openAiEndpointFor("openai/gpt-4o", { env: { OPENAI_API_KEY: "k" } })).toMatchObject({
      baseUrl: "https://api.openai.com/v1",
      apiKey: "k",
    });
    expect(
      openAiEndpointFor("lm/x", { env: {}, endpoints: { lm: { type: "anthropic", baseUrl: "http://h" } } }),
    ).toMatch(/providers\.lm\.type "anthropic" is not supported/);
    expect(claudeBackend({ CLAUDE_CODE_USE_BEDROCK: "1" })).toBe("bedrock");
    expect(claudeBackend({ CLAUDE_CODE_USE_VERTEX: "true" })).toBe("vertex");
    expect(claudeBackend({ CLAUDE_CODE_USE_BEDROCK: "0" })).toBe("anthropic");
  });

  it("says which variable is missing for Bedrock and Vertex", () => {
    expect(bedrockConfig({})).toMatch(/set AWS_REGION/);
    expect(bedrockConfig({ AWS_DEFAULT_REGION: "eu-central-1" })).toMatchObject({
      baseUrl: "https://bedrock-runtime.eu-central-1.amazonaws.com",
    });
    expect(vertexConfig({ ANTHROPIC_VERTEX_PROJECT_ID: "p" })).toMatch(/set CLOUD_ML_REGION/);
    expect(vertexConfig({ CLOUD_ML_REGION: "global", ANTHROPIC_VERTEX_PROJECT_ID: "p" })).toMatchObject({
      baseUrl: "https://aiplatform.googleapis.com/v1",
    });
  });

  it("maps aliases to the region's inference profile and leaves Bedrock ids as given", () => {
    expect(bedrockModelId("claude-opus-5-5", "us-west-2")).toBe("us.anthropic.claude-opus-5-5-v1:0");
    expect(bedrockModelId("claude-haiku-5-5", "ap-northeast-1")).toBe("apac.anthropic.claude-haiku-5-5-v1:0");
    expect(bedrockModelId("claude-sonnet-5-5[1m]", "eu-west-1")).toBe("eu.anthropic.claude-sonnet-5-5-v1:0");
    expect(bedrockModelId("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")).toBe(
      "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    );
  });

  it("maps Bedrock exception frames to retryable or final kinds", () => {
    expect(exceptionFault("throttlingException", '{"message":"slow down"}')).toEqual({
      reason: "throttlingException: slow down",
      kind: "rate_limit",
      retryable: true,
    });
    expect(exceptionFault("serviceUnavailableException", "{}")).toMatchObject({
      kind: "overloaded",
      retryable: true,
    });
    expect(exceptionFault("modelStreamErrorException", "{}")).toMatchObject({
      kind: "server",
      retryable: true,
    });
    expect(
      exceptionFault("validationException", '{"message":"Input is too long for requested model."}'),
    ).toMatchObject({
      kind: "prompt_too_long",
      retryable: false,
    });
    expect(exceptionFault("accessDeniedException", "{}")).toMatchObject({ kind: "auth", retryable: false });
  });
});

describe("prices and windows per provider", () => {
  it("adds the 10% regional premium on Bedrock and Vertex for current models only", () => {
    const direct = costFor("claude-sonnet-5-5", usage).usd;
    expect(claudeCost("us.anthropic.claude-sonnet-5-5-v1:0", usage, { backend: "bedrock" }).usd).toBeCloseTo(
      direct * 1.1,
    );
    expect(
      claudeCost("global.anthropic.claude-sonnet-5-5-v1:0", usage, { backend: "bedrock" }).usd,
    ).toBeCloseTo(direct);
    expect(claudeCost("claude-sonnet-5-5", usage, { backend: "vertex", region: "us-east5" }).usd).toBeCloseTo(
      direct * 1.1,
    );
    expect(claudeCost("claude-sonnet-5-5", usage, { backend: "vertex", region: "global" }).usd).toBeCloseTo(
      direct,
    );
    const old = costFor("claude-3-5-haiku", usage).usd;
    expect(
      claudeCost("anthropic.claude-3-5-haiku-20241022-v1:0", usage, { backend: "bedrock" }).usd,
    ).toBeCloseTo(old);
  });

  it("prices OpenAI's own models from its list, anything else as an estimate, loopback as zero", () => {
    expect(openAiCost("gpt-4o", usage, "https://api.openai.com/v1")).toEqual({ usd: 2.5, estimated: true });
    expect(openAiCost("qwen3-coder", usage, "http://127.0.0.1:11434/v1")).toEqual({
      usd: 0,
      estimated: true,
    });
    expect(openAiCost("gpt-4o", usage, "http://localhost:8000/v1").usd).toBe(0);
    expect(openAiCost("some-model", usage, "https://api.example.com/v1").usd).toBeGreaterThan(0);
  });

  it("knows context windows of other vendors' models, and a modest default for unknown ones", () => {
    expect(contextWindow("openai/gpt-4.1")).toBe(1_047_576);
    expect(contextWindow("openai/gpt-4o-mini")).toBe(128_000);
    expect(contextWindow("ollama/qwen3-coder:30b")).toBe(262_144);
    expect(contextWindow("lm/some-new-model")).toBe(128_000);
    expect(maxOutputTokens("lm/some-new-model", {})).toBe(8_192);
    expect(contextWindow("us.anthropic.claude-sonnet-5-5-v1:0")).toBe(1_000_000);
  });
});
