// Hooks in Claude Code's format (settings `hooks`): picks the commands for an event, runs them concurrently
// and turns exit codes and JSON output into decisions the loop acts on. A broken hook is a notice, never a crash.
import { subprocessEnv } from "../tools/env.js";
import type { ShellSandbox, ToolResult } from "../tools/types.js";
import {
  type HookCommandConfig,
  type HookEvent,
  parseCallbackHooks,
  parseHooksConfig,
  parseOutput,
} from "./hook-config.js";
import { type HookLifecycleEvent, hookLifecycle } from "./hook-lifecycle.js";
import { type HookCommandResult, runHookCommand } from "./hook-runner.js";
import type { AgentHooks, SubagentInfo, ToolCallInfo } from "./hook-types.js";

export { compileMatcher, type HookEvent, parseHooksConfig } from "./hook-config.js";

export interface CreateHookRunnerOptions {
  /** Settings `hooks` (event → [{matcher?, hooks: [{type: "command", command, timeout?}]}]); unknown shapes are skipped. */
  hooks: unknown;
  cwd: string;
  sessionId: string;
  transcriptPath: string;
  /** Settings `env`, filtered like every subprocess's environment. */
  env?: Record<string, string>;
  baseEnv?: NodeJS.ProcessEnv;
  /** Default per-hook timeout (60 s). */
  defaultTimeoutMs?: number;
  /** Also told about each notice as it happens (the REPL); drainNotices() works either way. */
  onNotice?: (message: string) => void;
  /** The OS sandbox (settings `sandbox`): hook commands run in it like Bash does. */
  sandbox?: ShellSandbox | undefined;
  /** Hooks the embedding host answers itself (the Agent SDK's `initialize` hooks), beside the settings' commands. */
  callbackHooks?: unknown;
  /** Asks the host to run callback `id` with the hook input; resolves with its JSON answer (read like a command's output). */
  callHook?: (callbackId: string, input: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>;
  /** Told when each hook starts and what it returned (stream-json --include-hook-events). */
  onHookEvent?: (event: HookLifecycleEvent) => void;
}

export interface PreToolUseOutcome {
  block?: string;
  permissionDecision?: "allow" | "deny" | "ask";
  reason?: string;
}

export interface HookRunner extends AgentHooks {
  readonly configured: boolean;
  /** Which events have hooks (for /hooks and the init line). */
  events(): HookEvent[];
  preToolUse(call: ToolCallInfo, signal?: AbortSignal): Promise<PreToolUseOutcome>;
  postToolUse(
    call: ToolCallInfo & { result: ToolResult },
    signal?: AbortSignal,
  ): Promise<{ block?: string; additionalContext?: string }>;
  userPromptSubmit(
    prompt: string,
    signal?: AbortSignal,
  ): Promise<{ block?: string; additionalContext?: string }>;
  stop(options?: { active?: boolean; signal?: AbortSignal }): Promise<{ continueWith?: string }>;
  subagentStart(info: SubagentInfo, signal?: AbortSignal): Promise<{ additionalContext?: string }>;
  subagentStop(
    info: SubagentInfo & { transcriptPath?: string; stopHookActive: boolean },
    signal?: AbortSignal,
  ): Promise<{ continueWith?: string }>;
  sessionStart(source: "startup" | "resume" | "clear" | "compact"): Promise<{ additionalContext?: string }>;
  sessionEnd(reason: "clear" | "logout" | "prompt_input_exit" | "other"): Promise<void>;
  preCompact(trigger: "auto" | "manual" | "prompt_too_long", customInstructions?: string): Promise<void>;
  notification(message: string): Promise<void>;
  drainNotices(): string[];
}

/** One hook's verdict in a neutral form; the event methods combine them. */
interface Verdict {
  block?: string;
  permission?: "allow" | "deny" | "ask";
  permissionReason?: string;
  context?: string;
  stopAll?: string;
}

/** Claude Code 1.x called the Agent tool Task: a matcher written for Task still sees Agent calls. */
function matchesTarget(group: { test: (target: string) => boolean }, target: string): boolean {
  return group.test(target) || (target === "Agent" && group.test("Task"));
}

function shortCommand(command: string): string {
  const one = command.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function firstLines(text: string): string {
  const t = text.trim();
  if (!t) return "";
  const lines = t.split("\n").slice(0, 3).join(" | ");
  return lines.length > 300 ? `${lines.slice(0, 297)}...` : lines;
}

export function createHookRunner(options: CreateHookRunnerOptions): HookRunner {
  const { groups, warnings } = parseHooksConfig(options.hooks);
  if (options.callHook) {
    for (const [event, callbacks] of parseCallbackHooks(options.callbackHooks)) {
      groups.set(event, [...(groups.get(event) ?? []), ...callbacks]);
    }
  }
  const notices: string[] = [];
  const notify = (message: string): void => {
    notices.push(message);
    options.onNotice?.(message);
  };
  for (const w of warnings) notify(w);
  const env = {
    ...subprocessEnv(options.env ?? {}, options.baseEnv ?? process.env),
    CLAUDE_PROJECT_DIR: options.cwd,
  };
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;

  const commandsFor = (event: HookEvent, target: string | undefined): HookCommandConfig[] => {
    const seen = new Set<string>();
    const out: HookCommandConfig[] = [];
    for (const group of groups.get(event) ?? []) {
      if (target !== undefined && !matchesTarget(group, target)) continue;
      for (const cmd of group.commands) {
        // Claude Code runs an identical command once per event even when several matchers list it.
        if (seen.has(cmd.command)) continue;
        seen.add(cmd.command);
        out.push(cmd);
      }
    }
    return out;
  };

  const interpret = (event: HookEvent, cmd: HookCommandConfig, r: HookCommandResult): Verdict => {
    const label = `${event} hook "${shortCommand(cmd.command)}"`;
    if (r.aborted) return {};
    if (r.spawnError) {
      notify(`${label} could not start: ${r.spawnError}`);
      return {};
    }
    if (r.timedOut) {
      notify(
        `${label} timed out after ${Math.round((cmd.timeout ?? defaultTimeoutMs / 1000) * 10) / 10} s and was stopped`,
      );
      return {};
    }
    if (r.exitCode === 2) {
      const reason = r.stderr.trim() || `blocked by ${label}`;
      if (
        event === "PreToolUse" ||
        event === "PostToolUse" ||
        event === "UserPromptSubmit" ||
        event === "Stop" ||
        event === "SubagentStop"
      )
        return { block: reason };
      notify(`${label}: ${firstLines(reason)}`);
      return {};
    }
    if (r.exitCode !== 0) {
      const why =
        r.exitCode === 127
          ? "command not found"
          : r.exitCode === 126
            ? "not executable"
            : `exit code ${r.exitCode ?? "none"}`;
      const detail = firstLines(r.stderr);
      notify(`${label} failed (${why})${detail ? `: ${detail}` : ""}`);
      return {};
    }
    const out = parseOutput(r.stdout);
    if (!out) {
      // Plain stdout is context for the model only where Claude Code treats it so.
      const text = r.stdout.trim();
      return (event === "UserPromptSubmit" || event === "SessionStart") && text ? { context: text } : {};
    }
    const verdict: Verdict = {};
    if (typeof out.systemMessage === "string" && out.systemMessage) notify(`${label}: ${out.systemMessage}`);
    const reason = typeof out.reason === "string" ? out.reason : undefined;
    if (out.continue === false) verdict.stopAll = out.stopReason || reason || `stopped by ${label}`;
    if (out.decision === "block") verdict.block = reason || `blocked by ${label}`;
    if (out.decision === "approve" && event === "PreToolUse") {
      verdict.permission = "allow";
      if (reason) verdict.permissionReason = reason;
    }
    const specific = out.hookSpecificOutput;
    const pd = specific?.permissionDecision;
    if (event === "PreToolUse" && (pd === "allow" || pd === "deny" || pd === "ask")) {
      verdict.permission = pd;
      const why = specific?.permissionDecisionReason ?? reason;
      if (why) verdict.permissionReason = why;
    }
    const context = specific?.additionalContext ?? out.additionalContext;
    if (typeof context === "string" && context.trim()) verdict.context = context.trim();
    return verdict;
  };

  const run = async (
    event: HookEvent,
    target: string | undefined,
    extra: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Verdict[]> => {
    const commands = commandsFor(event, target);
    if (commands.length === 0) return [];
    const input = {
      session_id: options.sessionId,
      transcript_path: options.transcriptPath,
      cwd: options.cwd,
      hook_event_name: event,
      ...extra,
    };
    const lifecycle = hookLifecycle(options.onHookEvent, event, target, options.sessionId);
    return Promise.all(
      commands.map(async (cmd) => {
        const timeoutMs = cmd.timeout ? cmd.timeout * 1000 : defaultTimeoutMs;
        const finished = lifecycle();
        const result =
          cmd.callbackId && options.callHook
            ? await callHostHook(options.callHook, cmd.callbackId, input, timeoutMs, signal)
            : await runHookCommand({
                command: cmd.command,
                input,
                cwd: options.cwd,
                env,
                timeoutMs,
                signal,
                sandbox: options.sandbox,
              });
        finished(result);
        return interpret(event, cmd, result);
      }),
    );
  };

  const joined = (values: Array<string | undefined>): string | undefined => {
    const present = values.filter((v): v is string => typeof v === "string" && v !== "");
    return present.length > 0 ? present.join("\n") : undefined;
  };

  return {
    configured: groups.size > 0,
    events: () => [...groups.keys()],

    async preToolUse(call, signal) {
      const verdicts = await run(
        "PreToolUse",
        call.toolName,
        { tool_name: call.toolName, tool_input: call.input, tool_use_id: call.toolUseId },
        signal,
      );
      const out: PreToolUseOutcome = {};
      const block = joined(verdicts.map((v) => v.block ?? v.stopAll));
      if (block) out.block = block;
      // The strictest answer wins: deny over ask over allow.
      for (const level of ["deny", "ask", "allow"] as const) {
        const hit = verdicts.filter((v) => v.permission === level);
        if (hit.length === 0) continue;
        out.permissionDecision = level;
        const reason = joined(hit.map((v) => v.permissionReason));
        if (reason) out.reason = reason;
        break;
      }
      return out;
    },

    async postToolUse(call, signal) {
      const response = {
        ...(call.result.details ?? {}),
        content: call.result.content,
        is_error: !!call.result.isError,
      };
      const verdicts = await run(
        "PostToolUse",
        call.toolName,
        {
          tool_name: call.toolName,
          tool_input: call.input,
          tool_use_id: call.toolUseId,
          tool_response: response,
        },
        signal,
      );
      const out: { block?: string; additionalContext?: string } = {};
      const block = joined(verdicts.map((v) => v.block ?? v.stopAll));
      if (block) out.block = `PostToolUse hook feedback: ${block}`;
      const context = joined(verdicts.map((v) => v.context));
      if (context) out.additionalContext = context;
      return out;
    },

    async userPromptSubmit(prompt, signal) {
      const verdicts = await run("UserPromptSubmit", undefined, { prompt }, signal);
      const out: { block?: string; additionalContext?: string } = {};
      const block = joined(verdicts.map((v) => v.block ?? v.stopAll));
      if (block) out.block = block;
      const context = joined(verdicts.map((v) => v.context));
      if (context) out.additionalContext = context;
      return out;
    },

    // How often a hook may send the model back is capped once, by the agent's loop (MAX_STOP_CONTINUATIONS).
    async stop({ active = false, signal } = {}) {
      const verdicts = await run("Stop", undefined, { stop_hook_active: active }, signal);
      if (verdicts.some((v) => v.stopAll)) return {};
      const reason = joined(verdicts.map((v) => v.block));
      return reason ? { continueWith: reason } : {};
    },

    async subagentStart(info, signal) {
      const verdicts = await run(
        "SubagentStart",
        info.agentType,
        { agent_id: info.agentId, agent_type: info.agentType },
        signal,
      );
      const context = joined(verdicts.map((v) => v.context));
      return context ? { additionalContext: context } : {};
    },

    async subagentStop(info, signal) {
      const verdicts = await run(
        "SubagentStop",
        info.agentType,
        {
          stop_hook_active: info.stopHookActive,
          agent_id: info.agentId,
          agent_type: info.agentType,
          ...(info.transcriptPath ? { agent_transcript_path: info.transcriptPath } : {}),
        },
        signal,
      );
      if (verdicts.some((v) => v.stopAll)) return {};
      const reason = joined(verdicts.map((v) => v.block));
      return reason ? { continueWith: reason } : {};
    },

    async sessionStart(source) {
      const verdicts = await run("SessionStart", source, { source });
      const context = joined(verdicts.map((v) => v.context));
      return context ? { additionalContext: context } : {};
    },

    async sessionEnd(reason) {
      await run("SessionEnd", undefined, { reason });
    },

    async preCompact(trigger, customInstructions) {
      const t = trigger === "manual" ? "manual" : "auto";
      await run("PreCompact", t, { trigger: t, custom_instructions: customInstructions ?? "" });
    },

    async notification(message) {
      await run("Notification", undefined, { message });
    },

    drainNotices() {
      return notices.splice(0);
    },
  };
}

/** Runs a host callback hook and shapes its answer like a command hook's result (its JSON as stdout). */
async function callHostHook(
  callHook: NonNullable<CreateHookRunnerOptions["callHook"]>,
  callbackId: string,
  input: Record<string, unknown>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<HookCommandResult> {
  const started = Date.now();
  const base = { stderr: "", timedOut: false, aborted: false };
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const both = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  try {
    const answer = await callHook(callbackId, input, both);
    return { ...base, exitCode: 0, stdout: JSON.stringify(answer ?? {}), durationMs: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      exitCode: signal?.aborted || timeout.signal.aborted ? null : 1,
      stdout: "",
      stderr: message,
      timedOut: timeout.signal.aborted && !signal?.aborted,
      aborted: signal?.aborted === true,
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}
