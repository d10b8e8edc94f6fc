// The subagent runner inside the one Agent loop, with the scripted provider: the Agent tool starts a fresh
// conversation with the agent's prompt and tools, its report becomes the parent's tool result, its tokens count.
import { describe, expect, it, vi } from "vitest";
import { Agent } from "../../../src/agent/agent.js";
import { createAgentTool } from "../../../src/agent/agent-tool.js";
import type { AgentEvent, RunSummary } from "../../../src/agent/events.js";
import type { AgentHooks } from "../../../src/agent/hook-types.js";
import { createSubagentRunner } from "../../../src/agent/subagent-runner.js";
import type { Provider } from "../../../src/api/types.js";
import { type AgentDefinition, BUILTIN_AGENTS } from "../../../src/config/agents.js";
import type { PermissionGate } from "../../../src/policy/permission-types.js";
import type { Tool, ToolContext } from "../../../src/tools/types.js";
import { ScriptedProvider } from "../../support/scripted-provider.js";

const allowAll: PermissionGate = {
  mode: "danger-full-access",
  decide: async () => ({ behavior: "allow" }),
  setMode: () => undefined,
  addSessionRule: () => undefined,
};

function fakeTool(name: string, kind: Tool["kind"], output: string): Tool {
  return {
    name,
    description: name,
    kind,
    inputSchema: { type: "object", properties: {} },
    parse: (input) => ({ ok: true, value: input }),
    execute: async () => ({ content: output }),
  };
}

const toolContext: Omit<ToolContext, "signal" | "onUpdate"> = {
  cwd: "/tmp",
  workspace: { roots: ["/tmp"], resolve: async (p) => p, contains: () => true },
  env: {},
  scratchDir: "/tmp",
  session: { readFiles: new Map(), todos: [] },
};

const reviewer: AgentDefinition = {
  name: "reviewer",
  description: "reviews code",
  prompt: "You are the reviewer.",
  tools: ["Read"],
  source: "project",
};

function setup(provider: Provider, gate: PermissionGate = allowAll, hooks?: AgentHooks) {
  const base = [fakeTool("Read", "read", "contents of a.ts"), fakeTool("Bash", "execute", "ran")];
  let agent: Agent | undefined;
  const runner = createSubagentRunner({
    provider,
    parentModel: () => "claude-test",
    parentTools: () => agent?.toolList ?? [],
    gate,
    toolContext: () => toolContext,
    costFor: () => ({ usd: 0.5, estimated: false }),
    limits: () => ({ contextWindow: 200_000, maxOutputTokens: 1000 }),
    environment: async () => "# Environment\nWorking directory: /tmp",
    hooks,
  });
  const agentTool = createAgentTool({ agents: [...BUILTIN_AGENTS, reviewer], runner });
  agent = new Agent({
    provider,
    model: "claude-test",
    system: ["parent system"],
    tools: [...base, agentTool as Tool],
    gate,
    toolContext,
    costFor: () => ({ usd: 0.5, estimated: false }),
    limits: () => ({ contextWindow: 200_000, maxOutputTokens: 1000 }),
  });
  return agent;
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

describe("subagents in the agent loop", () => {
  it("runs a custom agent with its own prompt and tools; its report is the parent's tool result", async () => {
    const provider = new ScriptedProvider([
      {
        toolUses: [
          {
            id: "call1",
            name: "Agent",
            input: { description: "review", prompt: "look", subagent_type: "reviewer" },
          },
        ],
      },
      { toolUses: [{ id: "r1", name: "Read", input: {} }] },
      { text: "a.ts looks fine" },
      { text: "all good" },
    ]);
    const agent = setup(provider);
    const { events, summary } = await drive(agent, "review a.ts");
    expect(summary.result).toBe("all good");
    const sub = provider.requests[1]!;
    expect(sub.system[0]).toBe("You are the reviewer.");
    expect(sub.system[1]).toContain("# Environment");
    expect(sub.tools.map((t) => t.name)).toEqual(["Read"]);
    expect(sub.messages[0]).toEqual({ role: "user", content: "look" });
    const last = provider.requests[3]!.messages.at(-1)!;
    expect(last.content).toEqual([{ type: "tool_result", tool_use_id: "call1", content: "a.ts looks fine" }]);
    // 4 requests of 15 tokens each, at $0.5 a request: the subagent's two count.
    expect(summary.usage.input_tokens).toBe(40);
    expect(summary.totalCostUsd).toBeCloseTo(2);
    const nested = events.filter((e) => e.type === "subagent");
    expect(nested.every((e) => e.type === "subagent" && e.parentToolUseId === "call1")).toBe(true);
    expect(nested.some((e) => e.type === "subagent" && e.event.type === "assistant_message")).toBe(true);
  });

  it("an unknown subagent_type is an error naming the agents; the parent goes on", async () => {
    const provider = new ScriptedProvider([
      {
        toolUses: [
          { id: "c", name: "Agent", input: { description: "x", prompt: "y", subagent_type: "nope" } },
        ],
      },
      { text: "ok" },
    ]);
    const { summary } = await drive(setup(provider), "go");
    expect(summary.result).toBe("ok");
    const result = (
      provider.requests[1]!.messages.at(-1)!.content as unknown as Array<Record<string, unknown>>
    )[0]!;
    expect(result.is_error).toBe(true);
    expect(result.content).toContain('Unknown subagent_type "nope"');
    expect(result.content).toContain("general-purpose, Explore, reviewer");
  });

  it("a subagent whose request fails returns an error result saying why", async () => {
    const provider = new ScriptedProvider([
      {
        toolUses: [
          { id: "c", name: "Agent", input: { description: "x", prompt: "y", subagent_type: "reviewer" } },
        ],
      },
      { error: { kind: "overloaded", message: "The API is overloaded." } },
      { text: "carried on" },
    ]);
    const { summary } = await drive(setup(provider), "go");
    expect(summary.result).toBe("carried on");
    const result = (
      provider.requests[2]!.messages.at(-1)!.content as unknown as Array<Record<string, unknown>>
    )[0]!;
    expect(result.is_error).toBe(true);
    expect(result.content).toBe("The reviewer agent failed: The API is overloaded.");
  });

  it("general-purpose gets the parent's tools except Agent; Explore refuses a writing command", async () => {
    const provider = new ScriptedProvider([
      {
        toolUses: [
          {
            id: "g",
            name: "Agent",
            input: { description: "a", prompt: "p", subagent_type: "general-purpose" },
          },
        ],
      },
      { text: "gp done" },
      {
        toolUses: [
          { id: "e", name: "Agent", input: { description: "b", prompt: "q", subagent_type: "Explore" } },
        ],
      },
      { toolUses: [{ id: "b1", name: "Bash", input: { command: "rm -rf src" } }] },
      { text: "could not" },
      { text: "end" },
    ]);
    await drive(setup(provider), "go");
    expect(provider.requests[1]!.tools.map((t) => t.name)).toEqual(["Read", "Bash"]);
    const denied = (
      provider.requests[4]!.messages.at(-1)!.content as unknown as Array<Record<string, unknown>>
    )[0]!;
    expect(denied.is_error).toBe(true);
    expect(denied.content).toContain("The Explore agent is read-only");
  });

  it("at most four subagents run at once; the fifth starts when one finishes", async () => {
    let inFlight = 0;
    let most = 0;
    let parentTurn = 0;
    const finishOne: Array<() => void> = [];
    const calls = Array.from({ length: 5 }, (_, i) => ({
      id: `c${i}`,
      name: "Agent",
      input: { description: "d", prompt: `task ${i}`, subagent_type: "general-purpose" },
    }));
    const parentScript = new ScriptedProvider([{ toolUses: calls }, { text: "all five done" }]);
    const provider: Provider = {
      async *stream(request) {
        if (request.system[0] === "parent system") {
          parentTurn++;
          yield* parentScript.stream(request);
          return;
        }
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>((resolve) => finishOne.push(resolve));
        inFlight--;
        yield* new ScriptedProvider([{ text: "sub done" }]).stream(request);
      },
    };
    const run = drive(setup(provider), "go");
    // Release subagents one at a time, each once the ones allowed to run are all waiting.
    for (let released = 0; released < 5; released++) {
      await vi.waitFor(() => expect(finishOne.length).toBeGreaterThan(0));
      if (released === 0) expect(inFlight).toBe(4);
      finishOne.shift()!();
    }
    const { summary } = await run;
    expect(summary.result).toBe("all five done");
    expect(most).toBe(4);
    expect(parentTurn).toBe(2);
  });

  it("a SubagentStop hook that blocks sends the subagent back to work with the reason", async () => {
    const provider = new ScriptedProvider([
      {
        toolUses: [
          { id: "c", name: "Agent", input: { description: "x", prompt: "y", subagent_type: "reviewer" } },
        ],
      },
      { text: "first answer" },
      { text: "better answer" },
      { text: "parent done" },
    ]);
    const stops: boolean[] = [];
    const agent = setup(provider, allowAll, {
      subagentStop: async (info) => {
        stops.push(info.stopHookActive);
        return info.stopHookActive ? {} : { continueWith: "add the file names" };
      },
    });
    const { summary } = await drive(agent, "go");
    expect(summary.result).toBe("parent done");
    expect(stops).toEqual([false, true]);
    expect(JSON.stringify(provider.requests[2]!.messages.at(-1))).toContain("add the file names");
    const result = (
      provider.requests[3]!.messages.at(-1)!.content as unknown as Array<Record<string, unknown>>
    )[0]!;
    expect(result.content).toBe("better answer");
  });
});
