// The typed events a turn emits. Every frontend (print, stream-json, REPL) consumes only these.
import type { ApiError, AssistantMessage, Message, Usage } from "../api/types.js";
import type { ToolResult } from "../tools/types.js";

export type ResultSubtype =
  | "success"
  | "error_max_turns"
  | "error_max_budget_usd"
  | "error_during_execution"
  | "error_max_structured_output_retries";

export interface PermissionDenial {
  tool_name: string;
  tool_use_id: string;
  tool_input: unknown;
}

export interface ModelUsageEntry {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  costUSD: number;
  contextWindow: number;
  maxOutputTokens: number;
}

export interface RunSummary {
  subtype: ResultSubtype;
  isError: boolean;
  /** Final assistant text (or the error line). */
  result: string;
  stopReason: string | null;
  numTurns: number;
  durationApiMs: number;
  usage: Usage;
  modelUsage: Record<string, ModelUsageEntry>;
  totalCostUsd: number;
  /** True when some model had no price in the table: the cost is an estimate. */
  costEstimated: boolean;
  permissionDenials: PermissionDenial[];
  error?: ApiError;
  /** --json-schema: the validated input of the StructuredOutput call that ended the run. */
  structuredOutput?: unknown;
}

export type AgentEvent =
  | { type: "turn_start"; turn: number }
  | { type: "text_delta"; text: string }
  | { type: "thinking_delta"; text: string }
  /** The provider restarted the response: discard partial text of the current message. */
  | { type: "retry"; attempt: number; delayMs: number; reason: string; maxAttempts?: number }
  /** Raw provider wire event (stream-json --include-partial-messages). */
  | { type: "raw"; event: unknown }
  /** A complete assistant message, committed to history. */
  | { type: "assistant_message"; message: AssistantMessage }
  /** A user message added to history (tool results, or the prompt). */
  | {
      type: "user_message";
      message: Message;
      toolResults?: Record<string, ToolResult>;
      /** Set for the prompt itself (not tool results or hook nudges): its uuid, for checkpoints and rewind. */
      promptId?: string;
    }
  | { type: "tool_start"; id: string; name: string; input: unknown; summary: string }
  | { type: "tool_update"; id: string; text: string }
  | { type: "tool_end"; id: string; name: string; result: ToolResult; durationMs: number }
  | { type: "permission_denied"; id: string; name: string; input: unknown; reason: string }
  | { type: "usage"; model: string; usage: Usage }
  | { type: "compaction_start"; reason: "auto" | "manual" | "prompt_too_long" }
  | {
      type: "compaction_end";
      messagesSummarized: number;
      tokensBefore: number;
      tokensAfter: number;
      summary: string;
      filesMentioned: string[];
      /** The new history (summary message + kept messages). */
      messages: Message[];
    }
  | { type: "notice"; level: "info" | "warning"; message: string }
  /** Partial assistant text kept but marked interrupted (abort or unrecoverable stream error). */
  | { type: "interrupted"; partialText: string }
  /** An event of a subagent started by the Agent call `parentToolUseId` (its messages, tools, usage). */
  | { type: "subagent"; parentToolUseId: string; agentType: string; event: AgentEvent }
  | { type: "done"; summary: RunSummary };
