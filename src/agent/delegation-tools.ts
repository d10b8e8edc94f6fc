// The Agent and Skill tools as offered to the model: their descriptions are built here, their kind and JSON schema
// come from delegation-tools.json (generated from their zod definitions at build time), and their modules (and
// zod) load at their first call, so a one-shot answer that delegates nothing never loads them.
import type { AgentDefinition } from "../config/agents.js";
import type { SkillDefinition } from "../config/skills.js";
import { lazyTool } from "../tools/registry.js";
import type { Tool } from "../tools/types.js";
import { describeAgents } from "./agent-tool-description.js";
import type { DelegationToolEntry } from "./delegation-manifest.js";
import manifest from "./delegation-tools.json" with { type: "json" };
import { type ActiveSkills, describeSkills } from "./skills-active.js";
import type { SubagentRunner } from "./subagent-runner.js";
import type { EventReportingTool } from "./tool-runner.js";

const entries = manifest as Record<"Agent" | "Skill", DelegationToolEntry>;

export function offerAgentTool(
  agents: readonly AgentDefinition[],
  runner: SubagentRunner,
): EventReportingTool {
  const tool = lazyTool(
    { name: "Agent", description: describeAgents(agents), ...entries.Agent },
    async () => (await import("./agent-tool.js")).createAgentTool({ agents, runner }) as Tool,
  );
  return {
    ...tool,
    executeReporting: (input, ctx, report) =>
      (tool.loaded() as EventReportingTool).executeReporting(input, ctx, report),
  };
}

export function offerSkillTool(
  skills: readonly SkillDefinition[],
  active: ActiveSkills,
  budgetChars: number,
): Tool {
  return lazyTool(
    { name: "Skill", description: describeSkills(skills, budgetChars), ...entries.Skill },
    async () => (await import("./skill-tool.js")).createSkillTool({ skills, active, budgetChars }),
  );
}
