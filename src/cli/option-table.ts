// The one list of claw's command-line options: `--help` (src/main.ts) prints it and the parser (cli/run.ts)
// is built from it, so the two cannot drift apart. Plain data without imports: --help loads nothing else.

export interface OptionSpec {
  /** Commander's flag syntax: "-c, --continue", "--model <model>", "--add-dir <dirs...>". */
  flags: string;
  /** The --help line(s); an option without one is accepted (Agent SDK compatibility) but not listed. */
  help?: string;
  /** What --help shows instead of `flags` (a friendlier value name, one spelling of several). */
  shown?: string;
  /** Listed under the option before it (only meaningful together with it). */
  nested?: boolean;
  /** Value when the flag is absent. */
  default?: boolean | string | string[];
}

export const OPTIONS: readonly OptionSpec[] = [
  { flags: "-p, --print", help: "print mode: answer and exit", default: false },
  {
    flags: "--output-format <format>",
    shown: "--output-format <fmt>",
    help: "text (default), json, stream-json",
    default: "text",
  },
  {
    flags: "--include-partial-messages",
    help: "stream-json: also emit raw stream events",
    default: false,
  },
  {
    flags: "--model <model>",
    shown: "--model <name>",
    help: "model to use (else settings, ANTHROPIC_MODEL, default)",
  },
  { flags: "--max-turns <n>", help: "stop after n model turns" },
  { flags: "--system-prompt <text>", help: "replace the system prompt" },
  { flags: "--append-system-prompt <text>", help: "add to the system prompt" },
  {
    flags: "--permission-mode <mode>",
    help: "read-only | workspace-write | danger-full-access (or plan, acceptEdits,\ndefault, bypassPermissions)",
  },
  {
    flags: "--dangerously-skip-permissions",
    help: "same as --permission-mode danger-full-access",
    default: false,
  },
  { flags: "--allow-dangerously-skip-permissions", default: false },
  {
    flags: "--allowedTools, --allowed-tools <rules...>",
    shown: "--allowedTools <rules...>",
    help: 'permission rules to allow, e.g. "Bash(npm test:*)"',
    default: [],
  },
  {
    flags: "--disallowedTools, --disallowed-tools <rules...>",
    shown: "--disallowedTools <rules...>",
    help: "permission rules to deny",
    default: [],
  },
  { flags: "--add-dir <dirs...>", help: "more directories the tools may use", default: [] },
  { flags: "-c, --continue", help: "resume the latest session in this directory", default: false },
  { flags: "-r, --resume <id>", help: "resume a session by id" },
  { flags: "--session-id <id>", help: "id for a new session" },
  {
    flags: "--settings <fileOrJson>",
    shown: "--settings <file-or-json>",
    help: "extra settings, applied last",
  },
  {
    flags: "--mcp-config <fileOrJson...>",
    shown: "--mcp-config <file-or-json...>",
    help: "MCP servers to load",
    default: [],
  },
  { flags: "--strict-mcp-config", help: "use only --mcp-config servers", default: false },
  {
    flags: "--agents <json>",
    help: 'subagents for this run: {"name": {"description", "prompt", "tools"?, "model"?}}',
  },
  {
    flags: "--verbose",
    help: "accepted for Claude Code scripts (stream-json is always complete)",
    default: false,
  },
  {
    flags: "--input-format <format>",
    shown: "--input-format <fmt>",
    help: "text (default), or stream-json: JSON lines in, as the Agent SDK sends them\n(needs --output-format stream-json); with it:",
  },
  { flags: "--replay-user-messages", nested: true, help: "echo each user line back", default: false },
  {
    flags: "--permission-prompt-tool <tool>",
    nested: true,
    shown: "--permission-prompt-tool stdio",
    help: "ask the host (can_use_tool) instead of denying",
  },
  {
    flags: "--setting-sources <sources>",
    shown: "--setting-sources <list>",
    help: "settings files to read: user,project,local (empty: none)",
  },
  {
    flags: "--tools <tools>",
    shown: "--tools <list>",
    help: 'built-in tools to offer ("" none, "default" all)',
  },
  // Accepted as the Agent SDK passes them; each is honoured or refused with a line saying why.
  { flags: "--fork-session", default: false },
  { flags: "--fallback-model <model>" },
  { flags: "--max-budget-usd <usd>" },
  { flags: "--no-session-persistence" },
  { flags: "--include-hook-events" },
  { flags: "--agent <name>" },
  { flags: "--json-schema <schema>" },
  { flags: "--thinking <mode>" },
  { flags: "--effort <level>" },
  { flags: "--max-thinking-tokens <n>" },
];

/** Options only --help knows (main.ts answers them before the parser is loaded). */
const HELP_ONLY: readonly OptionSpec[] = [
  { flags: "-v, --version", help: "print the version" },
  { flags: "-h, --help", help: "show this help" },
];

const COLUMN = 35;

/** The "Options:" section of --help. */
export function optionsHelp(): string {
  const lines: string[] = [];
  for (const spec of [...OPTIONS, ...HELP_ONLY]) {
    if (spec.help === undefined) continue;
    const indent = spec.nested ? "      " : "  ";
    const name = `${indent}${spec.shown ?? spec.flags}`;
    const [first, ...rest] = spec.help.split("\n");
    lines.push(name.length < COLUMN ? `${name.padEnd(COLUMN)}${first}` : `${name}   ${first}`);
    for (const more of rest) lines.push(`${" ".repeat(COLUMN)}${more}`);
  }
  return lines.join("\n");
}
