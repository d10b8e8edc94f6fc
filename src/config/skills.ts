// Agent Skills as Claude Code reads them: `.claude/skills/<name>/SKILL.md` (project, wins) and
// `<config home>/skills/<name>/SKILL.md` (user). Only names and descriptions are kept up front; a skill's body
// is read when it is used (progressive disclosure). A malformed SKILL.md is a one-line warning, and skipped.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseFrontmatter, toolList } from "./frontmatter.js";
import { findProjectRoot } from "./project-root.js";

export interface SkillDefinition {
  name: string;
  description: string;
  /** Permission rules (`Bash(git diff:*)`, `Read`) that run without asking while the skill is active. */
  allowedTools?: string[];
  /** The skill's folder: its other files (reference.md, scripts/) are read from here on demand. */
  dir: string;
  /** Its SKILL.md. */
  path: string;
  source: "project" | "user";
}

export interface SkillCatalog {
  skills: SkillDefinition[];
  warnings: string[];
}

export async function loadSkills(options: { cwd: string; configHome: string }): Promise<SkillCatalog> {
  const warnings: string[] = [];
  const project = findProjectRoot(options.cwd) ?? resolve(options.cwd);
  const byName = new Map<string, SkillDefinition>();
  for (const skill of [
    ...(await readSkillsDir(join(options.configHome, "skills"), "user", warnings)),
    ...(await readSkillsDir(join(project, ".claude", "skills"), "project", warnings)),
  ]) {
    byName.set(skill.name, skill);
  }
  return { skills: [...byName.values()], warnings };
}

async function readSkillsDir(
  root: string,
  source: SkillDefinition["source"],
  warnings: string[],
): Promise<SkillDefinition[]> {
  let folders: string[];
  try {
    folders = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const out: SkillDefinition[] = [];
  for (const folder of folders.sort()) {
    const path = join(root, folder, "SKILL.md");
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder without SKILL.md is not a skill (maybe shared files); anything else is worth a word.
      if (code !== "ENOENT" && code !== "ENOTDIR")
        warnings.push(`skill ${path} could not be read (${code}); skipped`);
      continue;
    }
    const skill = await skillFrom(text, path, source);
    if (typeof skill === "string") warnings.push(`skill ${path}: ${skill}; skipped`);
    else out.push(skill);
  }
  return out;
}

async function skillFrom(
  text: string,
  path: string,
  source: SkillDefinition["source"],
): Promise<SkillDefinition | string> {
  const parsed = await parseFrontmatter(text);
  if (!parsed.ok) return parsed.error;
  const data = parsed.value.data;
  const name = data.name;
  if (typeof name !== "string" || !name.trim()) return "`name` is required in the frontmatter";
  if (!/^[A-Za-z0-9][\w.:-]*$/.test(name.trim()))
    return `name "${name}" may only contain letters, digits, "-", "_", ":" and "."`;
  const description = data.description;
  if (typeof description !== "string" || !description.trim())
    return "`description` is required in the frontmatter";
  const allowed = toolList(data["allowed-tools"]);
  if (allowed && !Array.isArray(allowed)) return `\`allowed-tools\` ${allowed.error}`;
  const skill: SkillDefinition = {
    name: name.trim(),
    description: description.trim().replace(/\s+/g, " "),
    dir: dirname(path),
    path,
    source,
  };
  if (allowed && allowed.length > 0) skill.allowedTools = allowed;
  return skill;
}

/** The skill's instructions (SKILL.md without its frontmatter), read now: the file may have changed. */
export async function readSkillBody(skill: SkillDefinition): Promise<string> {
  const parsed = await parseFrontmatter(readFileSync(skill.path, "utf8"));
  if (!parsed.ok) throw new Error(`${skill.path}: ${parsed.error}`);
  return parsed.value.body;
}

export interface SkillListing {
  /** One line per listed skill: "- name: description". */
  text: string;
  listed: number;
  omitted: number;
}

/**
 * The skills' names and descriptions within `budgetChars`, in order; the ones that do not fit are left out
 * (the caller adds a note), so many skills never crowd the context.
 */
export function listSkillsWithin(skills: readonly SkillDefinition[], budgetChars: number): SkillListing {
  const lines: string[] = [];
  let used = 0;
  for (const skill of skills) {
    const line = `- ${skill.name}: ${skill.description}`;
    if (used + line.length + 1 > budgetChars) break;
    lines.push(line);
    used += line.length + 1;
  }
  return { text: lines.join("\n"), listed: lines.length, omitted: skills.length - lines.length };
}
