// The parsed command line, shared by print mode, the REPL and subcommands.

export type OutputFormat = "text" | "json" | "stream-json";

export interface CliOptions {
  print: boolean;
  prompt: string | undefined;
  outputFormat: OutputFormat;
  includePartialMessages: boolean;
  model: string | undefined;
  maxTurns: number | undefined;
  systemPrompt: string | undefined;
  appendSystemPrompt: string | undefined;
  permissionMode: string | undefined;
  allowedTools: string[];
  disallowedTools: string[];
  addDir: string[];
  continue: boolean;
  resume: string | undefined;
  sessionId: string | undefined;
  settings: string | undefined;
  mcpConfig: string[];
  strictMcpConfig: boolean;
  verbose: boolean;
  /** --agents '<json>': subagents for this run. */
  agents: string | undefined;
  version: string;
}
