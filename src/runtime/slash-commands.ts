// Slash commands: the built-in list (for /help and completion), parsing, did-you-mean, and custom
// commands from .claude/commands/*.md and <config home>/commands/*.md with $ARGUMENTS.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

export interface SlashCommandInfo {
  name: string;
  args?: string;
  description: string;
  aliases?: string[];
}

export const BUILTIN_COMMANDS: SlashCommandInfo[] = [
  { name: "help", description: "list commands and keys" },
  {
    name: "status",
    description: "model, mode, session, cwd, git branch, tokens, settings and instruction files",
  },
  { name: "model", args: "[name]", description: "show or switch the model" },
  {
    name: "permissions",
    args: "[mode | allow|deny|remove <rule> | add <behavior> <place> <rule> | list]",
    description:
      "rules with where they come from: add, remove, switch the mode (interactive without arguments)",
  },
  { name: "clear", description: "start a new session (the old one stays on disk)" },
  { name: "compact", args: "[instructions]", description: "summarise the conversation to free context" },
  { name: "cost", description: "tokens and cost of this session" },
  { name: "context", description: "where the context tokens go" },
  { name: "resume", args: "[id]", description: "resume a saved session (picker without an id)" },
  {
    name: "rewind",
    description: "restore the code and/or the conversation to just before a prompt (also Esc Esc)",
    aliases: ["checkpoint"],
  },
  { name: "config", description: "effective settings and where each came from" },
  {
    name: "memory",
    args: "[open <n>]",
    description: "create or open the project or user memory (CLAUDE.md) in $EDITOR",
  },
  { name: "init", description: "ask the model to write a CLAUDE.md for this repository" },
  { name: "diff", description: "step through the working tree's changed files (←/→ or n/p)" },
  {
    name: "export",
    args: "[file | clipboard | html [file]]",
    description: "save the conversation to a file, the clipboard (OSC 52) or a web page",
  },
  { name: "mcp", description: "MCP servers and their tools" },
  { name: "agents", description: "subagents the model can start, and where each is defined" },
  { name: "skills", description: "skills the model can load (run one yourself with /<name> [args])" },
  { name: "sandbox", description: "the Bash sandbox: on or off, what commands may write and reach" },
  { name: "trust", description: "trust this folder: let its own hooks and MCP servers run" },
  { name: "login", description: "sign in with OAuth" },
  { name: "logout", description: "remove the saved login" },
  { name: "exit", description: "leave claw", aliases: ["quit"] },
];

export interface CustomCommand {
  name: string;
  description: string;
  body: string;
  /** "project" (.claude/commands) or "user" (<config home>/commands). */
  scope: "project" | "user";
  path: string;
}

/** "/name rest of line" → { name, args }; undefined when the text is not a command. */
export function parseSlashCommand(text: string): { name: string; args: string } | undefined {
  const match = /^\/([A-Za-z0-9][\w:.-]*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), args: (match[2] ?? "").trim() };
}

function readCommandsDir(dir: string, scope: CustomCommand["scope"], prefix = ""): CustomCommand[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return [`${entry.name}/`];
      return entry.name.endsWith(".md") ? [entry.name] : [];
    });
  } catch {
    return [];
  }
  const out: CustomCommand[] = [];
  for (const name of names.sort()) {
    if (name.endsWith("/")) {
      // Sub-folders namespace commands: commands/git/commit.md → /git:commit
      out.push(...readCommandsDir(join(dir, name), scope, `${prefix}${name.slice(0, -1)}:`));
      continue;
    }
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    const { description, body } = splitFrontmatter(text);
    const firstLine = body.trim().split("\n")[0]?.slice(0, 80) ?? "";
    out.push({
      name: `${prefix}${basename(name, ".md")}`.toLowerCase(),
      description: description ?? firstLine,
      body,
      scope,
      path,
    });
  }
  return out;
}

function splitFrontmatter(text: string): { description?: string; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { body: text };
  const description = /^description:\s*(.+)$/m
    .exec(match[1]!)?.[1]
    ?.trim()
    .replace(/^["']|["']$/g, "");
  return { description, body: text.slice(match[0].length) };
}

/** Project commands win over user commands of the same name; built-ins win over both. */
export function loadCustomCommands(cwd: string, configHome: string): CustomCommand[] {
  const builtin = new Set(BUILTIN_COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  const seen = new Set<string>();
  const out: CustomCommand[] = [];
  for (const command of [
    ...readCommandsDir(join(cwd, ".claude", "commands"), "project"),
    ...readCommandsDir(join(configHome, "commands"), "user"),
  ]) {
    if (builtin.has(command.name) || seen.has(command.name)) continue;
    seen.add(command.name);
    out.push(command);
  }
  return out;
}

/** Puts the arguments where the command file says ($ARGUMENTS, $1…$9), else after the body. */
export function expandCustomCommand(command: CustomCommand, args: string): string {
  const body = command.body.trim();
  const positional = args.split(/\s+/).filter(Boolean);
  if (/\$ARGUMENTS|\$[1-9]/.test(body)) {
    return body
      .replace(/\$ARGUMENTS/g, args)
      .replace(/\$([1-9])/g, (_, n: string) => positional[Number(n) - 1] ?? "");
  }
  return args ? `${body}\n\n${args}` : body;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (typos like "modle"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known command names (prefix matches first, then small edit distance). */
export function suggestCommands(name: string, known: readonly string[]): string[] {
  const prefixed = known.filter((k) => k.startsWith(name) || name.startsWith(k));
  const close = known
    .map((k) => ({ k, d: editDistance(name, k) }))
    .filter(({ d, k }) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map(({ k }) => k);
  return [...new Set([...prefixed, ...close])].slice(0, 3);
}
