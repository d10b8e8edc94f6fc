// /agents, /skills and /<skill> [args] in the REPL: the session's subagents and skills, and running a skill by hand.
import type { ReplController, ReplRuntime } from "./controller.js";
import type { Style } from "./style.js";

const SOURCE_NAMES = { "built-in": "built-in", user: "user", flag: "--agents", project: "project" } as const;

export function agentsText(rt: ReplRuntime, st: Style): string {
  const agents = rt.delegation?.agents ?? [];
  if (agents.length === 0) return "No subagents: the Agent tool is not available in this session.";
  const lines = ["Subagents (the model starts them with the Agent tool):"];
  for (const agent of agents) {
    const where = agent.path ? `${SOURCE_NAMES[agent.source]}: ${agent.path}` : SOURCE_NAMES[agent.source];
    const tools = agent.tools ? agent.tools.join(", ") : "all tools";
    const model = agent.model ? ` · model ${agent.model}` : "";
    lines.push(`  ${st.bold(agent.name)} ${st.dim(`(${where})`)}`);
    lines.push(`    ${agent.description}`);
    lines.push(st.dim(`    tools: ${tools}${model}`));
  }
  lines.push(
    st.dim("Add your own in .claude/agents/<name>.md (project) or <config home>/agents/<name>.md (user)."),
  );
  return lines.join("\n");
}

export function skillsText(rt: ReplRuntime, st: Style): string {
  const skills = rt.delegation?.skills ?? [];
  if (skills.length === 0)
    return "No skills. Add one as .claude/skills/<name>/SKILL.md (project) or <config home>/skills/<name>/SKILL.md (user).";
  const lines = [
    "Skills (the model loads them with the Skill tool; type /<name> [args] to run one yourself):",
  ];
  for (const skill of skills) {
    lines.push(`  ${st.bold(skill.name)} ${st.dim(`(${skill.source}: ${skill.path})`)}`);
    lines.push(`    ${skill.description}`);
    if (skill.allowedTools) lines.push(st.dim(`    allowed tools: ${skill.allowedTools.join(", ")}`));
  }
  return lines.join("\n");
}

/** Handles /agents, /skills and /<skill>; false when `name` is none of them. */
export async function runDelegationCommand(
  c: ReplController,
  name: string,
  args: string,
  typed: string,
): Promise<boolean> {
  const rt = c.runtime;
  if (name === "agents") {
    c.print(agentsText(rt, c.style));
    return true;
  }
  if (name === "skills") {
    c.print(skillsText(rt, c.style));
    return true;
  }
  const prompt = await rt.delegation?.skillPrompt(name, args).catch((error: unknown) => {
    c.notice("error", `The skill /${name} could not be read: ${(error as Error).message}`);
    return "";
  });
  if (prompt === undefined) return false;
  if (prompt) await c.runPrompt(prompt, typed);
  return true;
}

/** Skill names, for completion and did-you-mean. */
export function skillNames(rt: ReplRuntime): string[] {
  return (rt.delegation?.skills ?? []).map((skill) => skill.name);
}
