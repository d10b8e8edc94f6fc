// Subagent definitions, as Claude Code reads them: built-ins, `<config home>/agents/*.md` (user), `--agents`
// JSON (this run) and `.claude/agents/*.md` (project), later sources winning by name. A malformed file is a
// one-line warning naming the file and the problem, and is skipped.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseFrontmatter, toolList } from "./frontmatter.js";
import { findProjectRoot } from "./project-root.js";

export type AgentSource = "built-in" | "user" | "flag" | "project";

export interface AgentDefinition {
  name: string;
  description: string;
  /** The subagent's own system prompt (the file's body). */
  prompt: string;
  /** Tool names it may use; undefined = every tool of the parent except Agent. */
  tools?: string[];
  /** sonnet / opus / haiku / a model id; undefined or "inherit" = the parent's model. */
  model?: string;
  source: AgentSource;
  /** The file it came from (user and project agents). */
  path?: string;
  /** Only read-only Bash commands run (the built-in Explore agent). */
  readOnly?: boolean;
}

export interface AgentCatalog {
  agents: AgentDefinition[];
  warnings: string[];
}

export interface LoadAgentsOptions {
  cwd: string;
  configHome: string;
  /** --agents '<json>' (Claude Code's shape: {"name": {"description", "prompt", "tools"?, "model"?}}). */
  flagJson?: string;
}

const GENERAL_PURPOSE_PROMPT = `You are a subagent of claw, a coding agent, working on one task handed to you by the main agent. Work through it on your own with the tools you have: search and read before concluding, and check your findings.

When you are done, answer with a concise report for the main agent: what you found or did, with file paths (path:line) and the facts it needs. Your final message is the only thing the main agent sees, so put everything that matters in it. Do not ask questions: you cannot get answers.`;

const EXPLORE_PROMPT = `You are a read-only search subagent of claw, a coding agent. Your job is to find things in the codebase quickly: files by pattern, definitions, usages, configuration. You cannot change anything: only read, search and run read-only shell commands.

Search broadly first (Glob, Grep), then read the relevant parts. Follow the breadth the task asks for ("quick", "medium" or "very thorough"). Answer with a concise report: the paths (path:line) and what is there. Your final message is the only thing the main agent sees.`;

export const BUILTIN_AGENTS: readonly AgentDefinition[] = [
  {
    name: "general-purpose",
    description:
      "For research and multi-step tasks: searching the code when you are not sure where to look, investigating a question across many files, or carrying out a self-contained piece of work. Has the same tools as you.",
    prompt: GENERAL_PURPOSE_PROMPT,
    source: "built-in",
  },
  {
    name: "Explore",
    description:
      'Fast read-only search agent: finds files by pattern, searches for symbols and keywords, answers "where is X defined / what uses Y". Say how thorough to be: "quick", "medium" or "very thorough".',
    prompt: EXPLORE_PROMPT,
    tools: ["Read", "Glob", "Grep", "WebFetch", "Bash"],
    source: "built-in",
    readOnly: true,
  },
];

/** Every agent, later sources overriding earlier ones by name, plus one warning per malformed definition. */
export async function loadAgents(options: LoadAgentsOptions): Promise<AgentCatalog> {
  const warnings: string[] = [];
  const project = findProjectRoot(options.cwd) ?? resolve(options.cwd);
  const byName = new Map<string, AgentDefinition>();
  const add = (list: AgentDefinition[]) => {
    for (const agent of list) byName.set(agent.name, agent);
  };
  add([...BUILTIN_AGENTS]);
  add(await readAgentsDir(join(options.configHome, "agents"), "user", warnings));
  if (options.flagJson !== undefined) add(parseAgentsFlag(options.flagJson, warnings));
  add(await readAgentsDir(join(project, ".claude", "agents"), "project", warnings));
  return { agents: [...byName.values()], warnings };
}

async function readAgentsDir(
  dir: string,
  source: AgentSource,
  warnings: string[],
): Promise<AgentDefinition[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".md"));
  } catch {
    return [];
  }
  const out: AgentDefinition[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      warnings.push(
        `agent file ${path} could not be read (${(error as NodeJS.ErrnoException).code}); skipped`,
      );
      continue;
    }
    const parsed = await parseFrontmatter(text);
    if (!parsed.ok) {
      warnings.push(`agent file ${path}: ${parsed.error}; skipped`);
      continue;
    }
    const agent = agentFrom(parsed.value.data, parsed.value.body, source);
    if (typeof agent === "string") {
      warnings.push(`agent file ${path}: ${agent}; skipped`);
      continue;
    }
    out.push({ ...agent, path });
  }
  return out;
}

/** A definition from frontmatter fields (or --agents JSON), or what is wrong with it. */
function agentFrom(
  data: Record<string, unknown>,
  prompt: string,
  source: AgentSource,
): AgentDefinition | string {
  const name = data.name;
  if (typeof name !== "string" || !name.trim()) return "`name` is required";
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name.trim()))
    return `name "${name}" may only contain letters, digits, "-", "_" and "."`;
  const description = data.description;
  if (typeof description !== "string" || !description.trim()) return "`description` is required";
  if (!prompt.trim()) return "the body (the agent's system prompt) is empty";
  const tools = toolList(data.tools);
  if (tools && !Array.isArray(tools)) return `\`tools\` ${tools.error}`;
  const model = data.model;
  if (model !== undefined && model !== null && (typeof model !== "string" || !model.trim()))
    return "`model` must be sonnet, opus, haiku, inherit or a model id";
  const agent: AgentDefinition = {
    name: name.trim(),
    description: description.trim(),
    prompt: prompt.trim(),
    source,
  };
  if (tools) agent.tools = tools;
  if (typeof model === "string" && model.trim() !== "inherit") agent.model = model.trim();
  return agent;
}

function parseAgentsFlag(json: string, warnings: string[]): AgentDefinition[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    warnings.push(`--agents is not valid JSON (${(error as Error).message}); no agents taken from it`);
    return [];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    warnings.push('--agents must be a JSON object: {"name": {"description": "...", "prompt": "..."}}');
    return [];
  }
  const out: AgentDefinition[] = [];
  for (const [name, spec] of Object.entries(value)) {
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
      warnings.push(`--agents: "${name}" must be an object with description and prompt; skipped`);
      continue;
    }
    const fields = spec as Record<string, unknown>;
    const prompt = typeof fields.prompt === "string" ? fields.prompt : "";
    if (!prompt.trim()) {
      warnings.push(`--agents: "${name}": \`prompt\` is required; skipped`);
      continue;
    }
    const agent = agentFrom({ ...fields, name }, prompt, "flag");
    if (typeof agent === "string") warnings.push(`--agents: "${name}": ${agent}; skipped`);
    else out.push(agent);
  }
  return out;
}
