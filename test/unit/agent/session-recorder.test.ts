// A real Agent run (scripted provider) recorded through the session recorder replays to the same history,
// including a tool round trip, an auto-compaction and an interrupted reply.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Agent } from "../../../src/agent/agent.js";
import { createCompactor } from "../../../src/agent/compaction.js";
import type { AgentEvent } from "../../../src/agent/events.js";
import { createSessionRecorder, recordForEvent } from "../../../src/agent/session-recorder.js";
import type { Message } from "../../../src/api/types.js";
import type { PermissionGate } from "../../../src/policy/permission-types.js";
import { loadSession } from "../../../src/session/session-load.js";
import { SessionStore } from "../../../src/session/session-store.js";
import type { Tool } from "../../../src/tools/types.js";
import { ScriptedProvider, type ScriptedReply } from "../../support/scripted-provider.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "claw-recorder-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const echo: Tool<{ text: string }> = {
  name: "Echo",
  description: "echoes",
  kind: "read",
  inputSchema: { type: "object", properties: { text: { type: "string" } } },
  parse: (input) => ({ ok: true, value: input as { text: string } }),
  execute: async (input) => ({ content: `echo: ${input.text}`, display: `echoed ${input.text}` }),
};

const allowAll: PermissionGate = {
  mode: "danger-full-access",
  decide: async () => ({ behavior: "allow" }),
  setMode: () => undefined,
  addSessionRule: () => undefined,
};

function agentWith(replies: ScriptedReply[], contextWindow = 200_000, history: Message[] = []) {
  const provider = new ScriptedProvider(replies);
  const compactor = createCompactor({ provider, model: "claude-test", contextWindow, keepMessages: 2 });
  const agent = new Agent(
    {
      provider,
      model: "claude-test",
      system: ["system"],
      tools: [echo as Tool],
      gate: allowAll,
      toolContext: {
        cwd: home,
        workspace: { roots: [home], resolve: async (p) => p, contains: () => true },
        env: {},
        scratchDir: home,
        session: { readFiles: new Map(), todos: [] },
      },
      costFor: () => ({ usd: 0, estimated: false }),
      limits: () => ({ contextWindow, maxOutputTokens: 1000 }),
      compactor,
    },
    history,
  );
  return { agent, provider };
}

async function drive(
  agent: Agent,
  prompt: string,
  record: (e: AgentEvent) => void,
  signal = new AbortController().signal,
) {
  for await (const event of agent.run(prompt, { signal })) record(event);
}

describe("session recorder", () => {
  it("maps tool-result user messages to tool_results records and skips UI-only events", () => {
    expect(
      recordForEvent({
        type: "user_message",
        message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "x" }] },
      })?.type,
    ).toBe("tool_results");
    expect(recordForEvent({ type: "user_message", message: { role: "user", content: "hi" } })?.type).toBe(
      "user",
    );
    expect(recordForEvent({ type: "text_delta", text: "x" })).toBeUndefined();
    expect(recordForEvent({ type: "turn_start", turn: 1 })).toBeUndefined();
  });

  it("replays an agent run with tool calls and a compaction to exactly the agent's history", async () => {
    const { agent, provider } = agentWith(
      [
        { toolUses: [{ id: "tu_1", name: "Echo", input: { text: "a" } }] },
        { text: "first done", usage: { input_tokens: 190_000 } },
        // Second prompt: the 190k context triggers auto-compaction (summary request), then the answer.
        { text: "SUMMARY TEXT" },
        { toolUses: [{ id: "tu_2", name: "Echo", input: { text: "b" } }] },
        { text: "second done" },
      ],
      200_000,
    );
    const store = SessionStore.create({
      configHome: home,
      cwd: home,
      model: "claude-test",
      clawVersion: "t",
    });
    const record = createSessionRecorder(store);
    await drive(agent, "first prompt", record);
    await drive(agent, "second prompt", record);
    expect(provider.remaining).toBe(0);
    expect(provider.requests[2]!.tools).toEqual([]);

    const loaded = loadSession(store.path);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.messages).toEqual(agent.messages);
    expect(JSON.stringify(loaded.messages[0])).toContain("SUMMARY TEXT");
    expect(loaded.records.some((r) => r.type === "compaction")).toBe(true);
    expect(loaded.usageByModel["claude-test"]).toEqual(agent.usage.total);
    // The UI's result lines are kept for the REPL's replay, compacted calls included.
    expect(loaded.toolDisplays).toEqual({ tu_1: "echoed a", tu_2: "echoed b" });

    // A resumed agent sends the same history plus the next prompt.
    const resumed = agentWith([{ text: "third" }], 200_000, loaded.messages);
    await drive(resumed.agent, "third prompt", () => undefined);
    expect(resumed.provider.requests[0]!.messages.slice(0, -1)).toEqual(agent.messages);
  });

  it("records an interrupted reply so the replay matches the agent", async () => {
    const controller = new AbortController();
    const { agent } = agentWith([
      { error: { kind: "aborted", message: "Interrupted by user." }, partialText: "Half an ans" },
    ]);
    const store = SessionStore.create({
      configHome: home,
      cwd: home,
      model: "claude-test",
      clawVersion: "t",
    });
    controller.abort();
    await drive(agent, "tell me", createSessionRecorder(store), controller.signal);
    const loaded = loadSession(store.path);
    expect(loaded.messages).toEqual(agent.messages);
    expect(JSON.stringify(loaded.messages)).toContain("Half an ans");
  });
});
