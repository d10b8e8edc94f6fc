// Adversarial checks of the agent loop where it meets the provider, compaction and hooks: empty replies,
// an interrupted compaction, turn counting after an unrecoverable "prompt is too long", and output-limit cuts.
import { describe, expect, it } from "vitest";
import { Agent, type AgentConfig } from "../../../src/agent/agent.js";
import { createCompactor } from "../../../src/agent/compaction.js";
import type { AgentEvent, RunSummary } from "../../../src/agent/events.js";
import type { AgentHooks } from "../../../src/agent/hook-types.js";
import type { Message, ModelRequest, Provider, ProviderEvent } from "../../../src/api/types.js";
import type { PermissionGate } from "../../../src/policy/permission-types.js";
import type { Tool } from "../../../src/tools/types.js";
import { ScriptedProvider, type ScriptedReply } from "../../support/scripted-provider.js";

const allowAll: PermissionGate = {
  mode: "danger-full-access",
  decide: async () => ({ behavior: "allow" }),
  setMode: () => undefined,
  addSessionRule: () => undefined,
};

let ran = 0;
const echo: Tool<{ text: string }> = {
  name: "Echo",
  description: "echoes",
  kind: "write",
  inputSchema: { type: "object", properties: { text: { type: "string" } } },
  parse: (input) => ({ ok: true, value: input as { text: string } }),
  execute: async (input) => {
    ran++;
    return { content: `echo: ${input.text}` };
  },
};

function makeAgent(provider: Provider, extra: Partial<AgentConfig> = {}, history: Message[] = []): Agent {
  return new Agent(
    {
      provider,
      model: "claude-test",
      system: ["system"],
      tools: [echo as Tool],
      gate: allowAll,
      toolContext: {
        cwd: "/tmp",
        workspace: { roots: ["/tmp"], resolve: async (p) => p, contains: () => true },
        env: {},
        scratchDir: "/tmp",
        session: { readFiles: new Map(), todos: [] },
      },
      costFor: () => ({ usd: 0, estimated: false }),
      limits: () => ({ contextWindow: 200_000, maxOutputTokens: 1000 }),
      ...extra,
    },
    history,
  );
}

async function drive(agent: Agent, prompt: string, signal = new AbortController().signal) {
  const events: AgentEvent[] = [];
  let summary: RunSummary | undefined;
  for await (const event of agent.run(prompt, { signal })) {
    events.push(event);
    if (event.type === "done") summary = event.summary;
  }
  return { events, summary: summary! };
}

/** Every message but a final assistant one must have content (the Messages API rejects the request otherwise). */
function expectSendable(messages: Message[]) {
  messages.forEach((m, i) => {
    const empty = typeof m.content === "string" ? m.content === "" : m.content.length === 0;
    if (i < messages.length - 1 || m.role === "user")
      expect(empty, `message ${i} (${m.role}) is empty`).toBe(false);
  });
  for (let i = 1; i < messages.length; i++) expect(messages[i]!.role).not.toBe(messages[i - 1]!.role);
}

const emptyReply: ScriptedReply = {
  events: [
    { type: "message_start", id: "m_empty", model: "claude-test", usage: usage(10, 1) },
    {
      type: "message_end",
      message: {
        id: "m_empty",
        model: "claude-test",
        content: [],
        stopReason: "end_turn",
        usage: usage(10, 1),
      },
    },
  ],
};

function usage(input: number, output: number) {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

describe("an assistant reply with no content", () => {
  it("is not resent as an empty assistant message on the next prompt", async () => {
    const provider = new ScriptedProvider([emptyReply, { text: "second" }]);
    const agent = makeAgent(provider);
    const first = await drive(agent, "one");
    expect(first.summary.subtype).toBe("success");
    const second = await drive(agent, "two");
    expect(second.summary.result).toBe("second");
    expectSendable(provider.requests[1]!.messages);
  });

  it("is not resent when a Stop hook sends the model back to work", async () => {
    const provider = new ScriptedProvider([emptyReply, { text: "done now" }]);
    let stops = 0;
    const hooks: AgentHooks = {
      configured: true,
      stop: async () => (stops++ === 0 ? { continueWith: "finish the job" } : {}),
    } as unknown as AgentHooks;
    const agent = makeAgent(provider, { hooks });
    const run = await drive(agent, "go");
    expect(run.summary.result).toBe("done now");
    expect(provider.requests).toHaveLength(2);
    const sent = provider.requests[1]!.messages;
    expectSendable(sent);
    expect(JSON.stringify(sent)).toContain("finish the job");
  });
});

describe("a hook that throws", () => {
  it("fails that tool call with a result the model sees; the run goes on (no unhandled rejection)", async () => {
    const provider = new ScriptedProvider([
      { toolUses: [{ id: "tu1", name: "Echo", input: { text: "hi" } }] },
      { text: "recovered" },
    ]);
    const hooks = {
      configured: true,
      preToolUse: async () => {
        throw new Error("hook exploded");
      },
    } as unknown as AgentHooks;
    const before = ran;
    const run = await drive(makeAgent(provider, { hooks }), "go");
    expect(run.summary.result).toBe("recovered");
    expect(ran).toBe(before);
    const sent = JSON.stringify(provider.requests[1]!.messages);
    expect(sent).toContain("Echo was not run: hook exploded");
    expectSendable(provider.requests[1]!.messages);
  });
});

describe("an assistant reply that is only whitespace", () => {
  it("is not resent as a whitespace-only text block (the API rejects those with a 400)", async () => {
    const provider = new ScriptedProvider([{ text: "\n\n" }, { text: "second" }]);
    const agent = makeAgent(provider);
    await drive(agent, "one");
    await drive(agent, "two");
    const sent = provider.requests[1]!.messages;
    expectSendable(sent);
    for (const m of sent) {
      if (typeof m.content === "string") continue;
      for (const b of m.content) if (b.type === "text") expect(b.text.trim()).not.toBe("");
    }
  });

  it("keeps the tool call of a reply whose text is only whitespace", async () => {
    ran = 0;
    const provider = new ScriptedProvider([
      { text: "\n\n", toolUses: [{ id: "t1", name: "Echo", input: { text: "hi" } }] },
      { text: "done" },
    ]);
    const agent = makeAgent(provider);
    const run = await drive(agent, "go");
    expect(ran).toBe(1);
    expect(run.summary.result).toBe("done");
    const sent = provider.requests[1]!.messages;
    expectSendable(sent);
    expect(sent[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "t1", name: "Echo", input: { text: "hi" } }],
    });
  });
});

describe("a tool result with an empty text block (e.g. an MCP server's)", () => {
  it("goes back without the empty block", async () => {
    const blank: Tool<{ text: string }> = {
      ...echo,
      name: "Blank",
      execute: async () => ({
        content: [
          { type: "text", text: "" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
        ],
      }),
    };
    const provider = new ScriptedProvider([
      { toolUses: [{ id: "t1", name: "Blank", input: { text: "x" } }] },
      { text: "done" },
    ]);
    const agent = makeAgent(provider, { tools: [blank as Tool] });
    await drive(agent, "go");
    const last = provider.requests[1]!.messages.at(-1)!;
    const result = (last.content as Array<{ type: string; content: unknown }>)[0]!;
    expect(result.content).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
    ]);
  });
});

describe("prompt is too long twice in one long run", () => {
  it("compacts each time when the request after each compaction went through", async () => {
    const tooLong: ScriptedReply = { error: { kind: "prompt_too_long", message: "too long", status: 400 } };
    const provider = new ScriptedProvider([
      { toolUses: [{ id: "t1", name: "Echo", input: { text: "1" } }] },
      { toolUses: [{ id: "t2", name: "Echo", input: { text: "2" } }] },
      tooLong,
      { text: "SUMMARY ONE" },
      { toolUses: [{ id: "t3", name: "Echo", input: { text: "3" } }] },
      { toolUses: [{ id: "t4", name: "Echo", input: { text: "4" } }] },
      tooLong,
      { text: "SUMMARY TWO" },
      { text: "all done" },
    ]);
    const compactor = createCompactor({
      provider,
      model: "claude-test",
      contextWindow: 200_000,
      keepMessages: 2,
    });
    const agent = makeAgent(provider, { compactor });
    const run = await drive(agent, "long task");
    expect(run.summary.result).toBe("all done");
    expect(run.events.filter((e) => e.type === "compaction_end")).toHaveLength(2);
  });

  it("still gives up when the request right after a compaction is too long again", async () => {
    const tooLong: ScriptedReply = { error: { kind: "prompt_too_long", message: "too long", status: 400 } };
    const provider = new ScriptedProvider([
      { toolUses: [{ id: "t1", name: "Echo", input: { text: "1" } }] },
      tooLong,
      { text: "SUMMARY" },
      tooLong,
      { text: "never" },
    ]);
    const compactor = createCompactor({
      provider,
      model: "claude-test",
      contextWindow: 200_000,
      keepMessages: 1,
    });
    const agent = makeAgent(provider, { compactor });
    const run = await drive(agent, "task");
    expect(run.summary.error?.kind).toBe("prompt_too_long");
    expect(provider.remaining).toBe(1);
  });
});

describe("prompt is too long on the very first request", () => {
  it("reports the error and counts the request as a turn when there is nothing to compact", async () => {
    const provider = new ScriptedProvider([
      { error: { kind: "prompt_too_long", message: "too long", status: 400 } },
    ]);
    const compactor = createCompactor({ provider, model: "claude-test", contextWindow: 200_000 });
    const agent = makeAgent(provider, { compactor });
    const run = await drive(agent, "x".repeat(100));
    expect(run.summary.isError).toBe(true);
    expect(run.summary.error?.kind).toBe("prompt_too_long");
    expect(provider.requests).toHaveLength(1);
    expect(run.summary.numTurns).toBe(1);
  });
});

/** A provider whose compaction summary request hangs until aborted; the main requests answer normally. */
class HangingSummaryProvider implements Provider {
  requests: ModelRequest[] = [];
  constructor(private readonly onSummaryStart: () => void) {}
  async *stream(request: ModelRequest): AsyncIterable<ProviderEvent> {
    this.requests.push(request);
    if (request.tools.length === 0) {
      this.onSummaryStart();
      const signal = request.signal;
      await new Promise<void>((resolve) => {
        if (!signal || signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      yield { type: "error", error: { kind: "aborted", message: "Request cancelled." } };
      return;
    }
    if (request.signal?.aborted) {
      yield { type: "error", error: { kind: "aborted", message: "Request cancelled." } };
      return;
    }
    const message = {
      id: "m",
      model: "claude-test",
      content: [{ type: "text" as const, text: "answer" }],
      stopReason: "end_turn",
      usage: usage(190_000, 5),
    };
    yield { type: "message_start", id: "m", model: "claude-test", usage: message.usage };
    yield { type: "message_end", message };
  }
}

describe("interrupting the compaction summary request", () => {
  it("keeps the history, says the compaction was interrupted (not that there was nothing to compact), sends nothing more", async () => {
    const controller = new AbortController();
    const provider = new HangingSummaryProvider(() => controller.abort());
    const compactor = createCompactor({
      provider,
      model: "claude-test",
      contextWindow: 200_000,
      keepMessages: 1,
    });
    const history: Message[] = [
      { role: "user", content: "earlier question" },
      { role: "assistant", content: [{ type: "text", text: "earlier answer" }] },
    ];
    const agent = makeAgent(provider, { compactor }, history);
    agent.lastInputTokens = 190_000; // over the 160k threshold: the run starts with an auto-compaction
    const run = await drive(agent, "next", controller.signal);
    expect(run.summary.isError).toBe(true);
    expect(run.summary.result).toMatch(/interrupted/i);
    const notices = run.events
      .filter((e) => e.type === "notice")
      .map((e) => (e as { message: string }).message);
    expect(notices.join("\n")).not.toMatch(/nothing to compact/i);
    // Only the summary request went out: no main request after the user interrupted.
    expect(provider.requests).toHaveLength(1);
    expect(agent.messages.slice(0, 2)).toEqual(history);
  });
});

describe("a tool call cut off by the output limit (stop_reason max_tokens)", () => {
  it("is not run, and the model is told it hit the output limit", async () => {
    ran = 0;
    const provider = new ScriptedProvider([
      {
        events: [
          { type: "message_start", id: "m1", model: "claude-test", usage: usage(10, 1000) },
          { type: "tool_use_start", index: 0, id: "t1", name: "Echo" },
          {
            type: "tool_use_end",
            index: 0,
            id: "t1",
            name: "Echo",
            input: {},
            inputError: "The tool input was not valid JSON (the stream may have been cut).",
          },
          {
            type: "message_end",
            message: {
              id: "m1",
              model: "claude-test",
              content: [{ type: "tool_use", id: "t1", name: "Echo", input: {} }],
              stopReason: "max_tokens",
              usage: usage(10, 1000),
            },
          },
        ],
      },
      { text: "ok" },
    ]);
    const agent = makeAgent(provider);
    const run = await drive(agent, "go");
    expect(ran).toBe(0);
    expect(run.summary.result).toBe("ok");
    const sent = provider.requests[1]!.messages.at(-1)!;
    const result = (sent.content as Array<{ type: string; content?: unknown; is_error?: boolean }>)[0]!;
    expect(result.is_error).toBe(true);
    expect(String(result.content)).toMatch(/output (token )?limit|max_tokens/i);
    // One statement of the problem, not the same words twice.
    expect(String(result.content).match(/not valid JSON/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});
