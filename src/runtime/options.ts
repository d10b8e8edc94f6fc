// The parsed command line, shared by print mode, the REPL and subcommands.
import type { SettingSource } from "../config/settings.js";

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
  /** --agent <name>: run the main conversation as this agent. */
  agent?: string | undefined;
  /** --agents '<json>': subagents for this run. */
  agents: string | undefined;
  version: string;
  /** stream-json: stdin carries JSON lines (user messages and control requests), as the Agent SDK sends. */
  inputFormat: "text" | "stream-json";
  /** Echo each user line back on stdout (stream-json input). */
  replayUserMessages: boolean;
  /** "stdio": ask the host over the control channel wherever claw would ask its user. */
  permissionPromptTool: string | undefined;
  /** Which settings files to read (undefined: all). */
  settingSources: SettingSource[] | undefined;
  /** With --resume/--continue: continue under a new session id, leaving the original as it was. */
  forkSession: boolean;
  /** Used when the chosen model is overloaded or unavailable. */
  fallbackModel: string | undefined;
  /** The built-in tools offered (undefined: all of them). */
  tools: string[] | undefined;
  /** Stop a prompt once its cost reaches this many dollars. */
  maxBudgetUsd: number | undefined;
  /** false: keep the session in memory only (nothing written under the config home). */
  sessionPersistence: boolean;
  /** stream-json: each hook's start and result as system messages. */
  includeHookEvents?: boolean;
  /** JSON schema the final answer must match (structured output). */
  jsonSchema: Record<string, unknown> | undefined;
}
