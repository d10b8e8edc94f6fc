// Turns Messages API stream events into our ProviderEvents and assembles the finished AssistantMessage.
// Unknown event, block and delta types are ignored so that new API features never break a stream.

import { isRecord } from "../util/is-record.js";
import { jsonNestsDeeperThan, stringifyOrUndefined } from "../util/json-depth.js";
import type { ApiErrorKind, AssistantMessage, ContentBlock, ProviderEvent, Usage } from "./types.js";
import { emptyUsage } from "./types.js";

/** Real tool inputs nest a few levels; far deeper ones crash serialisation (the session append). */
export const MAX_TOOL_INPUT_DEPTH = 256;

/** Something went wrong inside a 200 stream. */
export interface StreamFault {
  reason: string;
  kind: ApiErrorKind;
  /** False for errors a retry cannot fix (e.g. an invalid_request_error event). */
  retryable: boolean;
}

export type FeedOutcome = { kind: "continue" } | { kind: "complete" } | { kind: "fault"; fault: StreamFault };

type BlockState =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | {
      type: "tool_use";
      id: string;
      name: string;
      json: string;
      done: boolean;
      input: unknown;
      inputError?: string;
    };

type Wire = Record<string, unknown>;

const CONTINUE: FeedOutcome = { kind: "continue" };

export class MessageAssembler {
  /** A tool_use block has been closed in this attempt: a broken stream can no longer be retried silently. */
  toolCompleted = false;
  /** Any event at all (pings included) arrived. */
  sawAnyEvent = false;
  stopReason: string | undefined;
  private id = "";
  private model = "";
  private usage: Usage = emptyUsage();
  private readonly blocks = new Map<number, BlockState>();

  constructor(readonly fallbackModel: string) {}

  feed(wire: unknown, emit: (event: ProviderEvent) => void): FeedOutcome {
    if (!isRecord(wire)) return CONTINUE;
    this.sawAnyEvent = true;
    switch (wire.type) {
      case "message_start": {
        const message = isRecord(wire.message) ? wire.message : {};
        this.id = typeof message.id === "string" ? message.id : "";
        this.model = typeof message.model === "string" ? message.model : this.fallbackModel;
        this.usage = mergeUsage(this.usage, message.usage);
        emit({ type: "message_start", id: this.id, model: this.model, usage: { ...this.usage } });
        return CONTINUE;
      }
      case "content_block_start":
        this.blockStart(wire, emit);
        return CONTINUE;
      case "content_block_delta":
        this.blockDelta(wire, emit);
        return CONTINUE;
      case "content_block_stop": {
        const index = typeof wire.index === "number" ? wire.index : -1;
        const block = this.blocks.get(index);
        if (block?.type === "tool_use" && !block.done) this.closeTool(index, block, emit);
        return CONTINUE;
      }
      case "message_delta": {
        const delta = isRecord(wire.delta) ? wire.delta : {};
        if (typeof delta.stop_reason === "string") this.stopReason = delta.stop_reason;
        this.usage = mergeUsage(this.usage, wire.usage);
        emit({ type: "usage", usage: { ...this.usage } });
        return CONTINUE;
      }
      case "message_stop":
        return this.stopReason !== undefined
          ? { kind: "complete" }
          : {
              kind: "fault",
              fault: { reason: "message_stop without a stop_reason", kind: "stream", retryable: true },
            };
      case "error":
        return { kind: "fault", fault: errorEventFault(wire) };
      default:
        return CONTINUE; // ping and anything new
    }
  }

  /** The finished message; tool blocks the stream never closed are closed here. */
  finish(emit: (event: ProviderEvent) => void): AssistantMessage {
    const content: ContentBlock[] = [];
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const block = this.blocks.get(index)!;
      if (block.type === "text") {
        if (block.text !== "") content.push({ type: "text", text: block.text });
      } else if (block.type === "thinking") {
        content.push({ type: "thinking", thinking: block.thinking, signature: block.signature });
      } else {
        if (!block.done) this.closeTool(index, block, emit);
        content.push({ type: "tool_use", id: block.id, name: block.name, input: block.input });
      }
    }
    return {
      id: this.id,
      model: this.model || this.fallbackModel,
      content,
      stopReason: this.stopReason ?? "end_turn",
      usage: { ...this.usage },
    };
  }

  private blockStart(wire: Wire, emit: (event: ProviderEvent) => void): void {
    const index = typeof wire.index === "number" ? wire.index : -1;
    const block = isRecord(wire.content_block) ? wire.content_block : {};
    if (block.type === "text") {
      const text = typeof block.text === "string" ? block.text : "";
      this.blocks.set(index, { type: "text", text });
      if (text) emit({ type: "text_delta", index, text });
    } else if (block.type === "thinking") {
      this.blocks.set(index, { type: "thinking", thinking: "", signature: "" });
    } else if (block.type === "tool_use") {
      const id = typeof block.id === "string" ? block.id : `toolu_${index}`;
      const name = typeof block.name === "string" ? block.name : "";
      // The start carries `input: {}`; the real input arrives as input_json_delta chunks and replaces it.
      this.blocks.set(index, { type: "tool_use", id, name, json: "", done: false, input: {} });
      emit({ type: "tool_use_start", index, id, name });
    } else if (typeof block.type === "string" && block.type.endsWith("_tool_result")) {
      // A server tool's result (web search) arrives whole in its start event; it is not replayed in history.
      emit({ type: "server_tool_result", index, block });
    }
  }

  private blockDelta(wire: Wire, emit: (event: ProviderEvent) => void): void {
    const index = typeof wire.index === "number" ? wire.index : -1;
    const block = this.blocks.get(index);
    const delta = isRecord(wire.delta) ? wire.delta : {};
    if (!block) return;
    if (delta.type === "text_delta" && block.type === "text" && typeof delta.text === "string") {
      block.text += delta.text;
      emit({ type: "text_delta", index, text: delta.text });
    } else if (
      delta.type === "thinking_delta" &&
      block.type === "thinking" &&
      typeof delta.thinking === "string"
    ) {
      block.thinking += delta.thinking;
      emit({ type: "thinking_delta", index, text: delta.thinking });
    } else if (
      delta.type === "signature_delta" &&
      block.type === "thinking" &&
      typeof delta.signature === "string"
    ) {
      block.signature += delta.signature;
    } else if (
      delta.type === "input_json_delta" &&
      block.type === "tool_use" &&
      typeof delta.partial_json === "string"
    ) {
      block.json += delta.partial_json;
      emit({ type: "tool_input_delta", index, partialJson: delta.partial_json });
    }
  }

  private closeTool(
    index: number,
    block: Extract<BlockState, { type: "tool_use" }>,
    emit: (event: ProviderEvent) => void,
  ): void {
    block.done = true;
    this.toolCompleted = true;
    const parsed = parseToolInput(block.json);
    block.input = parsed.input;
    block.inputError = parsed.error;
    emit({
      type: "tool_use_end",
      index,
      id: block.id,
      name: block.name,
      input: parsed.input,
      ...(parsed.error ? { inputError: parsed.error } : {}),
    });
  }
}

/** Assembled tool input: "" is {}, anything but a JSON object is an error (and the call must not run). */
function parseToolInput(json: string): { input: unknown; error?: string } {
  if (json.trim() === "") return { input: {} };
  // Such an input could not be stored in the session or checked against a schema: the call is refused.
  if (jsonNestsDeeperThan(json, MAX_TOOL_INPUT_DEPTH))
    return {
      input: {},
      error: `The tool input nests more than ${MAX_TOOL_INPUT_DEPTH} levels deep; send a flatter input.`,
    };
  try {
    const value: unknown = JSON.parse(json);
    if (!isRecord(value)) return { input: {}, error: "The tool input was not a JSON object." };
    return { input: value };
  } catch {
    return { input: {}, error: "The tool input was not valid JSON (the stream may have been cut)." };
  }
}

function errorEventFault(wire: Wire): StreamFault {
  const error = isRecord(wire.error) ? wire.error : {};
  const type = typeof error.type === "string" ? error.type : "error";
  const message = typeof error.message === "string" ? oneLine(error.message) : "";
  const reason = message ? `${type}: ${message}` : type;
  if (/prompt is too long/i.test(message)) return { reason, kind: "prompt_too_long", retryable: false };
  switch (type) {
    case "overloaded_error":
      return { reason, kind: "overloaded", retryable: true };
    case "rate_limit_error":
      return { reason, kind: "rate_limit", retryable: true };
    case "invalid_request_error":
    case "not_found_error":
      return { reason, kind: "invalid_request", retryable: false };
    case "authentication_error":
    case "permission_error":
      return { reason, kind: "auth", retryable: false };
    default:
      return { reason, kind: "server", retryable: true };
  }
}

/** Folds a wire usage object into ours: known numeric fields replace, everything else is ignored. */
function mergeUsage(current: Usage, wire: unknown): Usage {
  if (!isRecord(wire)) return current;
  const next = { ...current };
  for (const key of [
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
  ] as const) {
    const value = wire[key];
    if (typeof value === "number" && Number.isFinite(value)) next[key] = value;
  }
  return next;
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Wire events equivalent to a non-streaming JSON message, so one code path assembles both. */
export function eventsFromJsonMessage(message: Record<string, unknown>): Wire[] {
  const content = Array.isArray(message.content) ? message.content : [];
  const events: Wire[] = [{ type: "message_start", message: { ...message, content: [], stop_reason: null } }];
  content.forEach((block: unknown, index) => {
    if (!isRecord(block)) return;
    if (block.type === "tool_use") {
      events.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      events.push({
        type: "content_block_delta",
        index,
        // Too deep to serialise: sent on as an over-deep text, which the assembler refuses like a streamed one.
        delta: {
          type: "input_json_delta",
          partial_json: stringifyOrUndefined(block.input ?? {}) ?? "[".repeat(MAX_TOOL_INPUT_DEPTH + 1),
        },
      });
    } else if (block.type === "text") {
      events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: block.text ?? "" },
      });
    } else if (block.type === "thinking") {
      events.push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } });
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: block.thinking ?? "" },
      });
      events.push({
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: block.signature ?? "" },
      });
    } else {
      events.push({ type: "content_block_start", index, content_block: block });
    }
    events.push({ type: "content_block_stop", index });
  });
  events.push({
    type: "message_delta",
    delta: { stop_reason: message.stop_reason ?? "end_turn", stop_sequence: message.stop_sequence ?? null },
    usage: message.usage ?? {},
  });
  events.push({ type: "message_stop" });
  return events;
}
