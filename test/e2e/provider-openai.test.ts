// OpenAI-compatible models end to end: the built CLI against a mock Chat Completions server, selected by
// `--model openai/<model>` or a named settings `providers` entry, with no Anthropic credentials at all.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { chat, type MockOpenAi, startMockOpenAi } from "../support/mock-openai.js";

let openai: MockOpenAi;
let sandbox: Sandbox;
beforeAll(async () => {
  openai = await startMockOpenAi();
});
afterAll(async () => {
  await openai.close();
});
beforeEach(() => {
  sandbox = makeSandbox();
  openai.reset();
});
afterEach(() => sandbox.cleanup());

const env = (extra: Record<string, string | undefined> = {}) => ({
  OPENAI_BASE_URL: openai.url,
  OPENAI_API_KEY: "sk-openai-test-123",
  CLAW_RETRY_BASE_MS: "1",
  ...extra,
});

const run = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runClaw(args, { sandbox, env: env(extra) });

describe("OpenAI-compatible provider", () => {
  it("answers a text prompt through Chat Completions with no Anthropic key", async () => {
    openai.enqueue(chat.text("hello from gpt", { textChunks: 3, reasoning: "SECRET-THOUGHTS" }));
    const r = await run(["-p", "hi", "--model", "openai/gpt-4o"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hello from gpt\n");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("SECRET-THOUGHTS");
    const request = openai.requests[0];
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer sk-openai-test-123");
    expect(request?.body.model).toBe("gpt-4o");
    expect(request?.body.stream).toBe(true);
    expect(request?.body.stream_options).toEqual({ include_usage: true });
    expect(request?.body.messages[0].role).toBe("system");
    expect(request?.body.messages.at(-1)).toEqual({ role: "user", content: "hi" });
    expect(
      request?.body.tools.find((t: { function: { name: string } }) => t.function.name === "Read"),
    ).toMatchObject({ type: "function", function: { parameters: { type: "object" } } });
  });

  it("runs a tool whose arguments arrive split across chunks, then sends the result as a tool message", async () => {
    writeFileSync(join(sandbox.workspace, "notes.txt"), "the secret word is pelican\n");
    openai.enqueue(
      chat.toolCalls([{ id: "call_read_1", name: "Read", args: { file_path: "notes.txt" }, chunks: 5 }]),
      chat.text("The word is pelican."),
    );
    const r = await run(["-p", "what is the word?", "--model", "openai/gpt-4o", "--output-format", "json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.result).toBe("The word is pelican.");
    const second = openai.requests[1]?.body;
    const assistant = second.messages.find((m: { role: string }) => m.role === "assistant");
    expect(assistant.tool_calls).toEqual([
      {
        id: "call_read_1",
        type: "function",
        function: { name: "Read", arguments: '{"file_path":"notes.txt"}' },
      },
    ]);
    const tool = second.messages.find((m: { role: string }) => m.role === "tool");
    expect(tool.tool_call_id).toBe("call_read_1");
    expect(tool.content).toContain("pelican");
  });

  it("runs two tool calls of one reply and answers both", async () => {
    writeFileSync(join(sandbox.workspace, "a.txt"), "alpha\n");
    writeFileSync(join(sandbox.workspace, "b.txt"), "bravo\n");
    openai.enqueue(
      chat.toolCalls([
        { id: "call_a", name: "Read", args: { file_path: "a.txt" }, chunks: 3 },
        { id: "call_b", name: "Read", args: { file_path: "b.txt" }, chunks: 2 },
      ]),
      chat.text("alpha and bravo"),
    );
    const r = await run(["-p", "read both", "--model", "openai/gpt-4o"]);
    expect(r.stdout).toBe("alpha and bravo\n");
    const tools = openai.requests[1]?.body.messages.filter((m: { role: string }) => m.role === "tool");
    expect(tools.map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(["call_a", "call_b"]);
    expect(tools[0].content).toContain("alpha");
    expect(tools[1].content).toContain("bravo");
  });

  it("routes a named providers entry by its prefix, with its own key variable", async () => {
    writeFileSync(
      join(sandbox.configHome, "settings.json"),
      JSON.stringify({
        providers: { ollama: { type: "openai", baseUrl: openai.url, apiKeyEnv: "OLLAMA_KEY" } },
      }),
    );
    openai.enqueue(chat.text("local answer"));
    const r = await run(["-p", "hi", "--model", "ollama/qwen3-coder"], {
      OPENAI_BASE_URL: "http://127.0.0.1:9/never-used",
      OLLAMA_KEY: "ollama-key-456",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("local answer\n");
    expect(openai.requests[0]?.body.model).toBe("qwen3-coder");
    expect(openai.requests[0]?.headers.authorization).toBe("Bearer ollama-key-456");
    // A loopback server costs nothing.
    const json = await run(["-p", "again", "--model", "ollama/qwen3-coder", "--output-format", "json"], {
      OLLAMA_KEY: "ollama-key-456",
    });
    expect(JSON.parse(json.stdout).total_cost_usd).toBe(0);
  });

  it("tolerates a stream without usage or [DONE], and the model from ANTHROPIC_MODEL", async () => {
    openai.enqueue(chat.text("no usage here", { usage: false, done: false }));
    const r = await run(["-p", "hi", "--output-format", "json"], { ANTHROPIC_MODEL: "openai/llama3" });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.result).toBe("no usage here");
    expect(result.usage.input_tokens).toBe(0);
    expect(openai.requests[0]?.body.model).toBe("llama3");
  });

  it("retries a 500 and then answers", async () => {
    openai.enqueue(chat.status(500, "upstream exploded"), chat.text("after retry"));
    const r = await run(["-p", "hi", "--model", "openai/gpt-4o"]);
    expect(r.stdout).toBe("after retry\n");
    expect(r.code).toBe(0);
    expect(openai.requests).toHaveLength(2);
  });

  it("fails with one line naming the key variable when the key is rejected, never echoing it", async () => {
    openai.enqueue(
      chat.status(401, "Incorrect API key provided: sk-openai-test-123", "invalid_request_error"),
    );
    const r = await run(["-p", "hi", "--model", "openai/gpt-4o"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^claw: Authentication failed \(401.*OPENAI_API_KEY/);
    expect(r.stderr).not.toContain("sk-openai-test-123");
    expect(openai.requests).toHaveLength(1);
  });

  it("reports a named provider without a baseUrl in one line, before any request", async () => {
    writeFileSync(
      join(sandbox.configHome, "settings.json"),
      JSON.stringify({ providers: { lm: { type: "openai" } } }),
    );
    const r = await run(["-p", "hi", "--model", "lm/some-model"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'claw: settings providers.lm needs a baseUrl (for example "http://127.0.0.1:11434/v1").',
    );
    expect(openai.requests).toHaveLength(0);
  });

  it("claw config names the provider, endpoint and key variable, never the key", async () => {
    const r = await run(["config", "--model", "openai/gpt-4o"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Provider: OpenAI-compatible (endpoint ${openai.url}, credentials OPENAI_API_KEY)`,
    );
    expect(r.stdout).not.toContain("sk-openai-test-123");
  });
});
