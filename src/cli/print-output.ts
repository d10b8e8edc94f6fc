// Print-mode output writers: text (streamed), json (one result object), stream-json (JSON lines),
// shaped like Claude Code's headless output (see shared/reference).
import { randomUUID } from "node:crypto";
import type { AgentEvent, RunSummary } from "../agent/events.js";
import type { OutputFormat } from "../runtime/options.js";

export interface PrintContext {
  sessionId: string;
  cwd: string;
  model: string;
  permissionMode: string;
  tools: string[];
  agents: string[];
  mcpServers: Array<{ name: string; status: string }>;
  apiKeySource: string;
  version: string;
  includePartialMessages: boolean;
  startedAt: number;
  /** stdout is a terminal: text is shown as it streams. Piped, each message is written once it is complete. */
  terminal: boolean;
}

export interface OutputWriter {
  start(): void;
  event(event: AgentEvent): void;
  finish(summary: RunSummary): void;
}

type Write = (text: string) => void;

export function createOutputWriter(
  format: OutputFormat,
  ctx: PrintContext,
  out: Write,
  err: Write,
): OutputWriter {
  if (format === "json") return jsonWriter(ctx, out);
  if (format === "stream-json") return streamJsonWriter(ctx, out);
  return textWriter(out, err, ctx.terminal);
}

/**
 * Text mode. In a terminal the answer streams. Piped or redirected, a message's text is held until the message is
 * complete, so the partial text of an attempt that fails and is retried never reaches the file or the script.
 */
function textWriter(out: Write, err: Write, terminal: boolean): OutputWriter {
  let atLineStart = true;
  let wroteAny = false;
  let held = "";
  const write = (text: string) => {
    if (!text) return;
    out(text);
    wroteAny = true;
    atLineStart = text.endsWith("\n");
  };
  const release = () => {
    write(held);
    held = "";
  };
  return {
    start() {},
    event(event) {
      switch (event.type) {
        case "text_delta":
          if (terminal) write(event.text);
          else held += event.text;
          break;
        case "assistant_message":
          release();
          if (!atLineStart) write("\n");
          break;
        case "retry":
          held = ""; // the failed attempt's text: the retry sends the whole message again
          if (!atLineStart) write("\n");
          err(
            `claw: ${event.reason}; retrying (attempt ${event.attempt}${event.maxAttempts ? `/${event.maxAttempts}` : ""}) in ${Math.round(event.delayMs / 100) / 10}s\n`,
          );
          break;
        case "notice":
          err(`claw: ${event.message}\n`);
          break;
        case "permission_denied":
          err(`claw: denied ${event.name}: ${event.reason}\n`);
          break;
        case "subagent":
          // The subagent's answer reaches the parent as a tool result; only what the user must know shows here.
          if (event.event.type === "notice") err(`claw: [${event.agentType}] ${event.event.message}\n`);
          if (event.event.type === "permission_denied")
            err(`claw: [${event.agentType}] denied ${event.event.name}: ${event.event.reason}\n`);
          break;
        case "interrupted":
          // The partial answer is kept (as in the session); finish() says "Interrupted by user." once.
          release();
          if (!atLineStart) write("\n");
          break;
        default:
          break;
      }
    },
    finish(summary) {
      // Text still held belongs to an attempt that failed for good: it is not the answer.
      if (wroteAny && !atLineStart) out("\n");
      if (summary.isError) err(`claw: ${summary.result}\n`);
      else if (summary.stopReason === "max_tokens") {
        err(
          'claw: the answer was cut off at the output limit; run `claw -c -p "continue"` to get the rest\n',
        );
      }
    },
  };
}

function resultObject(summary: RunSummary, ctx: PrintContext): Record<string, unknown> {
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
    uuid: randomUUID(),
  };
}

function jsonWriter(ctx: PrintContext, out: Write): OutputWriter {
  return {
    start() {},
    event() {},
    finish(summary) {
      out(`${JSON.stringify(resultObject(summary, ctx))}\n`);
    },
  };
}

function streamJsonWriter(ctx: PrintContext, out: Write): OutputWriter {
  const line = (value: unknown) => out(`${JSON.stringify(value)}\n`);
  return {
    start() {
      line({
        type: "system",
        subtype: "init",
        cwd: ctx.cwd,
        session_id: ctx.sessionId,
        tools: ctx.tools,
        mcp_servers: ctx.mcpServers,
        model: ctx.model,
        permissionMode: ctx.permissionMode,
        slash_commands: [],
        agents: ctx.agents,
        apiKeySource: ctx.apiKeySource,
        claw_version: ctx.version,
        output_style: "default",
        uuid: randomUUID(),
      });
    },
    event(event) {
      if (event.type === "raw" && ctx.includePartialMessages) {
        line({
          type: "stream_event",
          event: event.event,
          session_id: ctx.sessionId,
          parent_tool_use_id: null,
          uuid: randomUUID(),
        });
        return;
      }
      // A subagent's messages carry the id of the Agent call that started it (Claude Code's shape).
      const parent = event.type === "subagent" ? event.parentToolUseId : null;
      const inner = event.type === "subagent" ? event.event : event;
      if (inner.type === "assistant_message") {
        const m = inner.message;
        line({
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
          parent_tool_use_id: parent,
          session_id: ctx.sessionId,
          uuid: randomUUID(),
        });
      } else if (inner.type === "user_message" && (inner.toolResults || parent)) {
        const results = Object.values(inner.toolResults ?? {});
        const details = results.length === 1 ? results[0]?.details : undefined;
        line({
          type: "user",
          message: { role: "user", content: inner.message.content },
          parent_tool_use_id: parent,
          session_id: ctx.sessionId,
          uuid: randomUUID(),
          timestamp: new Date().toISOString(),
          ...(details ? { tool_use_result: details } : {}),
        });
      }
    },
    finish(summary) {
      line(resultObject(summary, ctx));
    },
  };
}
