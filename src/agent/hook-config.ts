// Hook configuration in Claude Code's format: event names, matchers, and the JSON a hook may print.
// Parsing is tolerant: anything malformed becomes a warning, never an exception.

export type HookEvent =
  | "PreToolUse"
  | "PostToolUse"
  | "UserPromptSubmit"
  | "Stop"
  | "SubagentStart"
  | "SubagentStop"
  | "SessionStart"
  | "SessionEnd"
  | "PreCompact"
  | "Notification";

export interface HookCommandConfig {
  /** The shell command; for a host callback, a label naming it. */
  command: string;
  /** Seconds. */
  timeout?: number;
  /** Set for a hook the embedding host answers itself (Agent SDK `hook_callback`), instead of a command. */
  callbackId?: string;
}
export interface HookGroup {
  matcher: string;
  test: (target: string) => boolean;
  commands: HookCommandConfig[];
}

const EVENTS: readonly HookEvent[] = [
  "PreToolUse",
  "PostToolUse",
  "UserPromptSubmit",
  "Stop",
  "SubagentStart",
  "SubagentStop",
  "SessionStart",
  "SessionEnd",
  "PreCompact",
  "Notification",
];

/** `Edit|Write` and plain names match exactly; anything else is a regular expression on the whole name. */
export function compileMatcher(matcher: string): { test: (target: string) => boolean; error?: string } {
  const m = matcher.trim();
  if (m === "" || m === "*") return { test: () => true };
  if (/^[A-Za-z0-9_|-]+$/.test(m)) {
    const names = new Set(m.split("|").filter(Boolean));
    return { test: (target) => names.has(target) };
  }
  try {
    const re = new RegExp(`^(?:${m})$`);
    return { test: (target) => re.test(target) };
  } catch (error) {
    return { test: () => false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function parseHooksConfig(raw: unknown): { groups: Map<HookEvent, HookGroup[]>; warnings: string[] } {
  const groups = new Map<HookEvent, HookGroup[]>();
  const warnings: string[] = [];
  if (raw === undefined || raw === null) return { groups, warnings };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    warnings.push("hooks: settings `hooks` is not an object; no hooks will run.");
    return { groups, warnings };
  }
  for (const [event, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!(EVENTS as readonly string[]).includes(event)) {
      warnings.push(`hooks: unknown event "${event}" ignored.`);
      continue;
    }
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== "object" || entry === null) continue;
      const e = entry as { matcher?: unknown; hooks?: unknown };
      const matcher = typeof e.matcher === "string" ? e.matcher : "";
      const compiled = compileMatcher(matcher);
      if (compiled.error)
        warnings.push(`hooks: ${event} matcher "${matcher}" is not a valid pattern (${compiled.error}).`);
      const commands: HookCommandConfig[] = [];
      for (const hook of Array.isArray(e.hooks) ? e.hooks : []) {
        const h = hook as { type?: unknown; command?: unknown; timeout?: unknown };
        if (h?.type !== "command" || typeof h.command !== "string" || h.command.trim() === "") {
          warnings.push(
            `hooks: a ${event} hook that is not {"type": "command", "command": ...} was skipped.`,
          );
          continue;
        }
        const cmd: HookCommandConfig = { command: h.command };
        if (typeof h.timeout === "number" && h.timeout > 0) cmd.timeout = h.timeout;
        commands.push(cmd);
      }
      if (commands.length === 0) continue;
      const bucket = groups.get(event as HookEvent) ?? [];
      bucket.push({ matcher, test: compiled.test, commands });
      groups.set(event as HookEvent, bucket);
    }
  }
  return { groups, warnings };
}

/**
 * Hooks an embedding host registers in the Agent SDK's `initialize` request:
 * event → [{matcher?, hookCallbackIds: [...], timeout?}]. Each id becomes a hook the host answers.
 */
export function parseCallbackHooks(raw: unknown): Map<HookEvent, HookGroup[]> {
  const groups = new Map<HookEvent, HookGroup[]>();
  if (typeof raw !== "object" || raw === null) return groups;
  for (const [event, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!(EVENTS as readonly string[]).includes(event) || !Array.isArray(list)) continue;
    for (const entry of list) {
      const e = entry as { matcher?: unknown; hookCallbackIds?: unknown; timeout?: unknown };
      if (!Array.isArray(e?.hookCallbackIds)) continue;
      const matcher = typeof e.matcher === "string" ? e.matcher : "";
      const timeout = typeof e.timeout === "number" && e.timeout > 0 ? e.timeout : undefined;
      const commands: HookCommandConfig[] = e.hookCallbackIds
        .filter((id): id is string => typeof id === "string")
        .map((id) => ({ command: `SDK callback ${id}`, callbackId: id, ...(timeout ? { timeout } : {}) }));
      if (commands.length === 0) continue;
      const bucket = groups.get(event as HookEvent) ?? [];
      bucket.push({ matcher, test: compileMatcher(matcher).test, commands });
      groups.set(event as HookEvent, bucket);
    }
  }
  return groups;
}

export interface HookOutput {
  continue?: boolean;
  stopReason?: string;
  decision?: string;
  reason?: string;
  systemMessage?: string;
  additionalContext?: string;
  hookSpecificOutput?: {
    permissionDecision?: string;
    permissionDecisionReason?: string;
    additionalContext?: string;
  };
}

export function parseOutput(stdout: string): HookOutput | undefined {
  const text = stdout.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as HookOutput)
      : undefined;
  } catch {
    return undefined;
  }
}
