// The JSON messages of Claude Code's headless protocol (system/init, assistant, user, stream_event, result),
// built from agent events. Print mode's stream-json output and the Agent SDK front end write the same shapes.
import { randomUUID } from "node:crypto";
import type { AgentEvent, RunSummary } from "../agent/events.js";
import type { HookLifecycleEvent } from "../agent/hook-lifecycle.js";

export type JsonMessage = Record<string, unknown>;

export interface InitInfo {
  sessionId: string;
  cwd: string;
  model: string;
  permissionMode: string;
  tools: string[];
  mcpServers: Array<{ name: string; status: string }>;
  apiKeySource: string;
  version: string;
  slashCommands?: string[];
  agents?: string[];
}

export function initMessage(info: InitInfo): JsonMessage {
  return {
    type: "system",
    subtype: "init",
    cwd: info.cwd,
    session_id: info.sessionId,
    tools: info.tools,
    mcp_servers: info.mcpServers,
    model: info.model,
    permissionMode: info.permissionMode,
    slash_commands: info.slashCommands ?? [],
    apiKeySource: info.apiKeySource,
    claw_version: info.version,
    output_style: "default",
    agents: info.agents ?? [],
    skills: [],
    plugins: [],
    uuid: randomUUID(),
  };
}

/**
 * The message an agent event becomes on the wire, or undefined for events that have none (text deltas are
 * only sent as raw stream events, with --include-partial-messages).
 */
export function eventMessage(
  event: AgentEvent,
  ctx: { sessionId: string; includePartialMessages: boolean },
): JsonMessage | undefined {
  if (event.type === "raw") {
    if (!ctx.includePartialMessages) return undefined;
    return {
      type: "stream_event",
      event: event.event,
      parent_tool_use_id: null,
      session_id: ctx.sessionId,
      uuid: randomUUID(),
    };
  }
  // A subagent's messages carry the id of the Agent call that started it (Claude Code's shape).
  const parent = event.type === "subagent" ? event.parentToolUseId : null;
  const inner = event.type === "subagent" ? event.event : event;
  const common = { parent_tool_use_id: parent, session_id: ctx.sessionId, uuid: randomUUID() };
  if (inner.type === "notice") {
    // What text mode prints on stderr (hook problems, a fallback model): a line the host can show.
    return {
      type: "system",
      subtype: "informational",
      content: inner.message,
      level: inner.level,
      ...common,
    };
  }
  if (inner.type === "assistant_message") {
    const m = inner.message;
    return {
      type: "assistant",
      message: {
        id: m.id,
        type: "message",
        role: "assistant",
        model: m.model,
        content: m.content,
        stop_reason: m.stopReason,
        stop_sequence: null,
        usage: m.usage,
      },
      ...common,
    };
  }
  if (inner.type === "user_message" && (inner.toolResults || parent)) {
    const results = Object.values(inner.toolResults ?? {});
    const details = results.length === 1 ? results[0]?.details : undefined;
    return {
      type: "user",
      message: { role: "user", content: inner.message.content },
      ...common,
      timestamp: new Date().toISOString(),
      ...(details ? { tool_use_result: details } : {}),
    };
  }
  return undefined;
}

/** A hook's start or result as Claude Code's hook_started / hook_response system message. */
export function hookMessage(event: HookLifecycleEvent): JsonMessage {
  const common = { hook_id: event.hookId, hook_name: event.hookName, hook_event: event.hookEvent };
  const sessionId = event.sessionId;
  if (event.phase === "started") {
    return { type: "system", subtype: "hook_started", ...common, uuid: randomUUID(), session_id: sessionId };
  }
  return {
    type: "system",
    subtype: "hook_response",
    ...common,
    output: event.stdout + event.stderr,
    stdout: event.stdout,
    stderr: event.stderr,
    ...(event.exitCode !== undefined ? { exit_code: event.exitCode } : {}),
    outcome: event.outcome,
    uuid: randomUUID(),
    session_id: sessionId,
  };
}

/**
 * The result line. An error result carries `errors` (the Agent SDK reads it and throws without it);
 * `extra` adds fields such as structured_output.
 */
export function resultMessage(
  summary: RunSummary,
  ctx: { sessionId: string; startedAt: number },
  extra: JsonMessage = {},
): JsonMessage {
  return {
    type: "result",
    subtype: summary.subtype,
    is_error: summary.isError,
    api_error_status: summary.error?.status ?? null,
    duration_ms: Date.now() - ctx.startedAt,
    duration_api_ms: summary.durationApiMs,
    num_turns: summary.numTurns,
    result: summary.result,
    stop_reason: summary.stopReason,
    session_id: ctx.sessionId,
    total_cost_usd: summary.totalCostUsd,
    usage: {
      input_tokens: summary.usage.input_tokens,
      cache_creation_input_tokens: summary.usage.cache_creation_input_tokens,
      cache_read_input_tokens: summary.usage.cache_read_input_tokens,
      output_tokens: summary.usage.output_tokens,
    },
    modelUsage: summary.modelUsage,
    permission_denials: summary.permissionDenials,
    ...(summary.costEstimated ? { cost_is_estimate: true } : {}),
    ...(summary.isError ? { errors: [summary.result] } : {}),
    ...(summary.structuredOutput !== undefined ? { structured_output: summary.structuredOutput } : {}),
    ...extra,
    uuid: randomUUID(),
  };
}
