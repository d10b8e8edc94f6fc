// The Skill tool (Claude Code's name and schema): the model loads a skill's instructions when a task calls
// for it. Only names and descriptions sit in the tool's description, within a budget; the body is read on use.
// While a skill is active (until the run ends) its allowed-tools run without asking; deny rules still apply.
// Loaded at the Skill tool's first call (delegation.ts offers it from delegation-tools.json until then).
import { z } from "zod";
import type { SkillDefinition } from "../config/skills.js";
import { defineTool } from "../tools/define-tool.js";
import type { Tool } from "../tools/types.js";
import { type ActiveSkills, describeSkills, skillInstructions } from "./skills-active.js";

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
  return defineTool({
    name: "Skill",
    description: describeSkills(skills, options.budgetChars),
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
