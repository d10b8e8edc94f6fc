// Compaction follows the session's current model: after /model switches to a smaller window, auto-compaction
// starts at that window's threshold and the summary is asked of the model in use.
import { describe, expect, it } from "vitest";
import { Agent } from "../../../src/agent/agent.js";
import { createCompactor, estimateTokens } from "../../../src/agent/compaction.js";
import type { Message } from "../../../src/api/types.js";
import type { PermissionGate } from "../../../src/policy/permission-types.js";
import { ScriptedProvider } from "../../support/scripted-provider.js";

const allowAll: PermissionGate = {
  mode: "danger-full-access",
  decide: async () => ({ behavior: "allow" }),
  setMode: () => undefined,
  addSessionRule: () => undefined,
};
const windowOf = (model: string) => (model === "big-model" ? 1_000_000 : 200_000);

describe("compaction after a model switch", () => {
  it("uses the current model's window and asks the current model for the summary", async () => {
    const provider = new ScriptedProvider([{ text: "SUMMARY" }, { text: "answer" }]);
    let agent: Agent;
    const compactor = createCompactor({
      provider,
      model: () => agent.model,
      contextWindow: windowOf,
      keepMessages: 1,
    });
    const history: Message[] = [
      { role: "user", content: "earlier" },
      { role: "assistant", content: [{ type: "text", text: "earlier answer" }] },
    ];
    agent = new Agent(
      {
        provider,
        model: "big-model",
        system: ["s"],
        tools: [],
        gate: allowAll,
        toolContext: {
          cwd: "/tmp",
          workspace: { roots: ["/tmp"], resolve: async (p) => p, contains: () => true },
          env: {},
          scratchDir: "/tmp",
          session: { readFiles: new Map(), todos: [] },
        },
        costFor: () => ({ usd: 0, estimated: false }),
        limits: (m) => ({ contextWindow: windowOf(m), maxOutputTokens: 1000 }),
        compactor,
      },
      history,
    );
    expect(compactor.threshold).toBe(800_000);
    agent.lastInputTokens = 180_000; // fine for the 1M model, over 80% of the 200k one
    agent.setModel("small-model"); // what /model does
    expect(compactor.threshold).toBe(160_000);
    const kinds: string[] = [];
    for await (const event of agent.run("next", { signal: new AbortController().signal }))
      kinds.push(event.type);
    expect(kinds).toContain("compaction_end");
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[0]!.tools).toEqual([]); // the summary request
    expect(provider.requests[0]!.model).toBe("small-model");
    expect(provider.requests[1]!.model).toBe("small-model");
  });
});

describe("estimateTokens", () => {
  it("counts an image as about 1,600 tokens, not by its base64 length", () => {
    const data = "A".repeat(400_000);
    const estimate = estimateTokens([
      { role: "user", content: "look at this" },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "t1",
            content: [{ type: "image", source: { type: "base64", media_type: "image/png", data } }],
          },
        ],
      },
    ]);
    expect(estimate).toBeGreaterThanOrEqual(1600);
    expect(estimate).toBeLessThan(2000);
  });
});
