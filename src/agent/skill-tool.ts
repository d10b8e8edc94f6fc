// The Skill tool (Claude Code's name and schema): the model loads a skill's instructions when a task calls
// for it. Only names and descriptions sit in the tool's description, within a budget; the body is read on use.
// While a skill is active (until the run ends) its allowed-tools run without asking; deny rules still apply.
import { z } from "zod";
import { listSkillsWithin, readSkillBody, type SkillDefinition } from "../config/skills.js";
import type { PermissionGate } from "../policy/permission-types.js";
import { defineTool } from "../tools/define-tool.js";
import type { Tool } from "../tools/types.js";
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

const schema = z.strictObject({
  skill: z.string().describe('The skill name, e.g. "pdf" or "commit"'),
  args: z.string().optional().describe("Optional arguments for the skill"),
});

export function createSkillTool(options: {
  skills: readonly SkillDefinition[];
  active: ActiveSkills;
  budgetChars: number;
}): Tool {
  const { skills, active } = options;
  const listing = listSkillsWithin(skills, options.budgetChars);
  const omitted =
    listing.omitted > 0
      ? `\n\n(${listing.omitted} more ${listing.omitted === 1 ? "skill is" : "skills are"} installed but not listed here, to save context; the user can see them with /skills.)`
      : "";
  return defineTool({
    name: "Skill",
    description: `Loads a skill: a folder of instructions (and sometimes scripts and reference files) for a particular kind of task. When a task matches a skill's description, call this tool with the skill's name first and follow the instructions it returns; files it mentions are relative to its base directory.

Available skills:
${listing.text}${omitted}`,
    kind: "read",
    schema,
    summary: (input) => `Skill(${input.skill})`,
    async execute(input) {
      const skill = skills.find((s) => s.name === input.skill);
      if (!skill) {
        const names = skills.map((s) => s.name).join(", ");
        const message = `Unknown skill "${input.skill}". Available skills: ${names}.`;
        return { content: message, display: message, isError: true };
      }
      let text: string;
      try {
        text = await skillInstructions(skill, input.args);
      } catch (error) {
        const message = `The skill "${skill.name}" could not be read: ${(error as Error).message}`;
        return { content: message, display: message, isError: true };
      }
      active.activate(skill);
      return { content: text, display: `Loaded skill ${skill.name}` };
    },
  }) as Tool;
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
