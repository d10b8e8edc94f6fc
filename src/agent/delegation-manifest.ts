// What delegation-tools.json records of the Agent and Skill tools (kind and JSON schema), taken from their own
// zod definitions. Used by the build's generator (scripts/tool-manifest.mjs) and the test that keeps it current.
import type { ToolKind } from "../tools/types.js";
import type { SubagentRunner } from "./subagent-runner.js";

export interface DelegationToolEntry {
  kind: ToolKind;
  inputSchema: Record<string, unknown>;
}

export async function delegationManifest(): Promise<Record<"Agent" | "Skill", DelegationToolEntry>> {
  const [{ createAgentTool }, { createSkillTool }, { ActiveSkills }] = await Promise.all([
    import("./agent-tool.js"),
    import("./skill-tool.js"),
    import("./skills-active.js"),
  ]);
  // Neither tool runs here: only the schema and kind are read.
  const agent = createAgentTool({ agents: [], runner: {} as SubagentRunner });
  const skill = createSkillTool({ skills: [], active: new ActiveSkills(), budgetChars: 0 });
  return {
    Agent: { kind: agent.kind, inputSchema: agent.inputSchema },
    Skill: { kind: skill.kind, inputSchema: skill.inputSchema },
  };
}
