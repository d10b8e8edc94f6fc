// The Agent tool (Claude Code 2.x's name and schema; 1.x called it Task): hands a task to a subagent and
// returns its final report as one tool result. Its description lists the agents by name and description.
// Loaded at the Agent tool's first call (delegation.ts offers it from delegation-tools.json until then).
import { z } from "zod";
import type { AgentDefinition } from "../config/agents.js";
import { defineTool } from "../tools/define-tool.js";
import { describeAgents } from "./agent-tool-description.js";
import type { SubagentRunner } from "./subagent-runner.js";
import type { EventReportingTool } from "./tool-runner.js";

const schema = z.strictObject({
  description: z.string().describe("A short (3-5 word) description of the task"),
  prompt: z.string().describe("The task for the agent to perform"),
  subagent_type: z.string().describe("The type of specialized agent to use for this task"),
  model: z
    .enum(["sonnet", "opus", "haiku"])
    .optional()
    .describe("A model for this agent; without it the agent's own model, else yours"),
});

type AgentInput = z.infer<typeof schema>;

export function createAgentTool(options: {
  agents: readonly AgentDefinition[];
  runner: SubagentRunner;
}): EventReportingTool<AgentInput> {
  const { agents, runner } = options;
  const base = defineTool({
    name: "Agent",
    description: describeAgents(agents),
    // Running one is a read: the subagent's own calls go through the gate one by one. Several run together.
    kind: "read",
    schema,
    summary: (input) => `${input.subagent_type}(${input.description})`,
    execute: async () => ({ content: "The Agent tool needs the agent loop to run.", isError: true }),
  });
  return {
    ...base,
    async executeReporting(input, ctx, report) {
      const agent = agents.find((a) => a.name === input.subagent_type);
      if (!agent) {
        const names = agents.map((a) => a.name).join(", ");
        const message = `Unknown subagent_type "${input.subagent_type}". Available agents: ${names}.`;
        return { content: message, display: message, isError: true };
      }
      return runner.run({
        agent,
        prompt: input.prompt,
        model: input.model,
        toolUseId: report.toolUseId,
        signal: ctx.signal,
        emit: report.emit,
        beforeChange: report.beforeChange,
        onProgress: ctx.onUpdate,
      });
    },
  };
}
