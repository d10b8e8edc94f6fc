// Skills at run time: which are active, the gate that lets an active skill's allowed-tools run, the text a skill
// hands the model, and the size of the listing in the Skill tool's description. No zod: -p loads this.
import { listSkillsWithin, readSkillBody, type SkillDefinition } from "../config/skills.js";
import type { PermissionGate } from "../policy/permission-types.js";
import { gateWithDecide } from "./subagent-gate.js";

/** About 2% of the context window (at ~4 characters a token), as Claude Code budgets its skill list. */
export function skillListingBudget(contextWindowTokens: number, env: NodeJS.ProcessEnv): number {
  const override = Number(env.SLASH_COMMAND_TOOL_CHAR_BUDGET);
  if (Number.isFinite(override) && override > 0) return override;
  return Math.floor(contextWindowTokens * 0.02 * 4);
}

/** Which skills are active in the current run, and which a hand-typed /skill activates for the next one. */
export class ActiveSkills {
  private active: SkillDefinition[] = [];
  private pending: SkillDefinition[] = [];

  /** The model called Skill: active for the rest of this run. */
  activate(skill: SkillDefinition): void {
    if (!this.active.includes(skill)) this.active.push(skill);
  }

  /** The user typed /skill: active during the run that prompt starts. */
  activateForNextRun(skill: SkillDefinition): void {
    this.pending.push(skill);
  }

  /** A prompt starts a run: earlier skills end, pending ones begin. */
  startRun(): void {
    this.active = this.pending;
    this.pending = [];
  }

  /** The allow rules of every active skill. */
  rules(): string[] {
    return this.active.flatMap((skill) => skill.allowedTools ?? []);
  }
}

/**
 * The gate with the active skills' allowed-tools: a call the gate would ask about runs when those rules allow it
 * (decided by `rulesGate`, a gate holding only them). A denial stays a denial.
 */
export function skillAwareGate(
  gate: PermissionGate,
  active: ActiveSkills,
  rulesGate: (allow: string[]) => PermissionGate,
): PermissionGate {
  let cached: { key: string; gate: PermissionGate } | undefined;
  return gateWithDecide(gate, async (call) => {
    const decision = await gate.decide(call);
    if (decision.behavior !== "ask") return decision;
    const rules = active.rules();
    if (rules.length === 0) return decision;
    const key = rules.join("\n");
    if (cached?.key !== key) cached = { key, gate: rulesGate(rules) };
    const bySkill = await cached.gate.decide(call);
    return bySkill.behavior === "allow" ? bySkill : decision;
  });
}

/** The text a skill hands the model: its folder (for the files beside SKILL.md) and its instructions. */
export async function skillInstructions(skill: SkillDefinition, args: string | undefined): Promise<string> {
  const body = await readSkillBody(skill);
  const withArgs = args && body.includes("$ARGUMENTS") ? body.replaceAll("$ARGUMENTS", args) : body;
  const lines = [`Base directory for this skill: ${skill.dir}`, "", withArgs];
  if (args && !body.includes("$ARGUMENTS")) lines.push("", `ARGUMENTS: ${args}`);
  return lines.join("\n");
}

/** The prompt for a skill the user typed as /<name> [args]; its allowed-tools hold during the run it starts. */
export async function skillPromptByHand(
  skill: SkillDefinition,
  args: string,
  active: ActiveSkills,
): Promise<string> {
  const instructions = await skillInstructions(skill, args || undefined);
  active.activateForNextRun(skill);
  return `The user ran the skill "${skill.name}". Carry out its instructions below.\n\n${instructions}`;
}

/** The Skill tool's description: the skills by name and description, within the listing budget. */
export function describeSkills(skills: readonly SkillDefinition[], budgetChars: number): string {
  const listing = listSkillsWithin(skills, budgetChars);
  const omitted =
    listing.omitted > 0
      ? `\n\n(${listing.omitted} more ${listing.omitted === 1 ? "skill is" : "skills are"} installed but not listed here, to save context; the user can see them with /skills.)`
      : "";
  return `Loads a skill: a folder of instructions (and sometimes scripts and reference files) for a particular kind of task. When a task matches a skill's description, call this tool with the skill's name first and follow the instructions it returns; files it mentions are relative to its base directory.

Available skills:
${listing.text}${omitted}`;
}
