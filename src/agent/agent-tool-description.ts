// The Agent tool's description: what a subagent is for and the agents on offer. No zod: -p builds it.
import type { AgentDefinition } from "../config/agents.js";

export function describeAgents(agents: readonly AgentDefinition[]): string {
  const lines = agents.map((agent) => {
    const tools = agent.tools ? agent.tools.join(", ") : "all your tools except Agent";
    return `- ${agent.name}: ${agent.description} (Tools: ${tools})`;
  });
  return `Starts a subagent: a separate agent with a fresh context that works on one task on its own and reports back. Use it for searches and investigations that would fill your context with intermediate results, and for independent pieces of work.

Available agents (pass the name as subagent_type):
${lines.join("\n")}

How to use it:
- The agent sees none of this conversation: the prompt must say everything it needs (goal, relevant paths, what to report back).
- Its final message comes back to you as the tool result; the user does not see it, so relay what matters.
- Launch several agents at once (several Agent calls in one message) when their tasks are independent.
- Say whether the agent should change code or only research.`;
}
