// Flags the Claude Agent SDK passes (see shared/reference/sdk-protocol): their values are checked here, and a
// flag claw cannot honour stops with a line saying so instead of being silently ignored.
import { CommanderError } from "commander";
import { SETTING_SOURCES, type SettingSource } from "../config/settings.js";

function usageError(message: string): CommanderError {
  return new CommanderError(1, "claw.usage", message);
}

/** "user,project" (possibly empty: no settings files at all). */
export function parseSettingSources(value: string): SettingSource[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(SETTING_SOURCES as readonly string[]).includes(name)) {
      throw usageError(`--setting-sources: unknown source "${name}" (use user, project and/or local)`);
    }
  }
  return names as SettingSource[];
}

/** "Bash,Read" → those built-in tools; "" → none; "default" → all of them (undefined). */
export function parseToolList(value: string): string[] | undefined {
  if (value.trim() === "default") return undefined;
  return value
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

export function parseBudget(value: string): number {
  const usd = Number(value);
  if (!Number.isFinite(usd) || usd <= 0)
    throw usageError("--max-budget-usd needs a positive amount, e.g. 0.5");
  return usd;
}

export function parseJsonSchema(value: string): Record<string, unknown> {
  let schema: unknown;
  try {
    schema = JSON.parse(value);
  } catch {
    throw usageError('--json-schema needs a JSON schema object, e.g. \'{"type":"object"}\'');
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw usageError('--json-schema needs a JSON schema object, e.g. \'{"type":"object"}\'');
  }
  return schema as Record<string, unknown>;
}

/** Refuses combinations that cannot work, and flags claw accepts but cannot act on, before anything starts. */
export function checkCombinations(raw: Record<string, unknown>, prompt: string | undefined): void {
  const streamInput = raw.inputFormat === "stream-json";
  if (streamInput && raw.outputFormat !== "stream-json") {
    throw usageError("--input-format stream-json needs --output-format stream-json");
  }
  if (streamInput && prompt !== undefined) {
    throw usageError(
      "with --input-format stream-json the prompt comes from stdin as a user line, not as an argument",
    );
  }
  const promptTool = raw.permissionPromptTool;
  if (promptTool !== undefined && promptTool !== "stdio") {
    throw usageError(
      `--permission-prompt-tool ${String(promptTool)}: only "stdio" (ask the host over the control channel) is supported`,
    );
  }
  if (promptTool === "stdio" && !streamInput) {
    throw usageError("--permission-prompt-tool stdio needs --input-format stream-json");
  }
  if (raw.replayUserMessages === true && !streamInput) {
    throw usageError("--replay-user-messages needs --input-format stream-json");
  }
  if (raw.forkSession === true && !raw.resume && raw.continue !== true) {
    throw usageError("--fork-session needs --resume <id> or --continue");
  }
  if (raw.includeHookEvents === true && raw.outputFormat !== "stream-json") {
    throw usageError("--include-hook-events needs --output-format stream-json");
  }
  for (const flag of ["thinking", "effort", "maxThinkingTokens"] as const) {
    if (raw[flag] !== undefined) {
      const name = flag === "maxThinkingTokens" ? "--max-thinking-tokens" : `--${flag}`;
      process.stderr.write(`claw: ${name} is ignored: claw does not request extended thinking\n`);
    }
  }
}
