// Translates a Chat Completions stream into Messages stream events, so the one MessageAssembler builds the
// answer whatever the vendor: text becomes a text block, each tool call (assembled by its `index`) a tool_use
// block, `finish_reason` the stop reason, the usage chunk our usage. Reasoning text never reaches the answer.

import { isRecord } from "../util/is-record.js";
import type { FeedOutcome, MessageAssembler } from "./message-assembler.js";
import { oneLine } from "./message-assembler.js";
import type { SseHandler } from "./response-reader.js";
import type { SseMessage } from "./sse.js";
import type { ProviderEvent } from "./types.js";

type Emit = (event: ProviderEvent) => void;
type Wire = Record<string, unknown>;

const STOP_REASONS: Record<string, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

interface ToolCallState {
  block: number;
  id: string;
  name: string;
  /** Arguments that arrived before the name (the block starts once the name is known). */
  pendingArgs: string;
  started: boolean;
}

/** One per attempt: holds the open blocks of the message being translated. */
export class ChatStreamTranslator implements SseHandler {
  private started = false;
  private nextBlock = 0;
  private textBlock: number | undefined;
  private readonly toolCalls = new Map<number, ToolCallState>();
  private finishReason: string | undefined;
  private usage: Wire | undefined;
  private readonly think = new ThinkTagFilter();

  constructor(private readonly model: string) {}

  message(message: SseMessage, assembler: MessageAssembler, emit: Emit): FeedOutcome {
    const data = message.data.trim();
    if (data === "[DONE]") return this.finish(assembler, emit);
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      // The line's content is never logged or shown: it may hold anything.
      return streamFault("the endpoint sent a stream chunk that is not valid JSON");
    }
    if (!isRecord(chunk)) return { kind: "continue" };
    if (isRecord(chunk.error)) return errorChunkFault(chunk.error);
    const feed = (wire: Wire): FeedOutcome => {
      emit({ type: "raw", event: wire });
      return assembler.feed(wire, emit);
    };
    if (!this.started) {
      this.started = true;
      const id = typeof chunk.id === "string" ? chunk.id : "";
      // The name claw routed by ("openai/gpt-4o"), not the server's dated id: usage and cost are kept under it.
      feed({ type: "message_start", message: { id, model: this.model, usage: {} } });
    }
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (!choice) return { kind: "continue" };
    const delta = isRecord(choice.delta) ? choice.delta : {};
    // delta.reasoning / reasoning_content (vLLM, Ollama, DeepSeek) are the model's thinking: not the answer.
    if (typeof delta.content === "string") {
      const text = this.think.filter(delta.content);
      if (text !== "") this.text(text, feed);
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isRecord(call)) this.toolCall(call, feed);
    }
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    return { kind: "continue" };
  }

  /** A body that ends without `[DONE]` is still complete once a finish_reason came (some servers omit it). */
  end(assembler: MessageAssembler, emit: Emit): FeedOutcome {
    if (this.finishReason === undefined) return { kind: "continue" };
    return this.finish(assembler, emit);
  }

  private finish(assembler: MessageAssembler, emit: Emit): FeedOutcome {
    if (this.finishReason === undefined) return streamFault("the stream ended before a finish_reason");
    const feed = (wire: Wire) => {
      emit({ type: "raw", event: wire });
      return assembler.feed(wire, emit);
    };
    if (this.textBlock !== undefined) feed({ type: "content_block_stop", index: this.textBlock });
    for (const call of this.toolCalls.values()) {
      // A call whose name never came cannot run; its block is still closed so the message stays whole.
      if (!call.started) this.startTool(call, feed);
      feed({ type: "content_block_stop", index: call.block });
    }
    const stopReason =
      this.toolCalls.size > 0 && this.finishReason === "stop"
        ? "tool_use" // some servers say "stop" after tool calls
        : (STOP_REASONS[this.finishReason] ?? this.finishReason);
    feed({ type: "message_delta", delta: { stop_reason: stopReason }, usage: mapUsage(this.usage) });
    return feed({ type: "message_stop" });
  }

  private text(text: string, feed: (wire: Wire) => FeedOutcome): void {
    if (this.textBlock === undefined) {
      this.textBlock = this.nextBlock++;
      feed({ type: "content_block_start", index: this.textBlock, content_block: { type: "text", text: "" } });
    }
    feed({ type: "content_block_delta", index: this.textBlock, delta: { type: "text_delta", text } });
  }

  private toolCall(call: Wire, feed: (wire: Wire) => FeedOutcome): void {
    const index = typeof call.index === "number" ? call.index : this.toolCalls.size;
    const fn = isRecord(call.function) ? call.function : {};
    let state = this.toolCalls.get(index);
    if (!state) {
      state = { block: this.nextBlock++, id: "", name: "", pendingArgs: "", started: false };
      this.toolCalls.set(index, state);
    }
    if (typeof call.id === "string" && call.id !== "" && !state.started) state.id = call.id;
    if (typeof fn.name === "string" && !state.started) state.name += fn.name;
    const args = typeof fn.arguments === "string" ? fn.arguments : "";
    if (!state.started && state.name !== "") this.startTool(state, feed);
    if (!state.started) state.pendingArgs += args;
    else if (args !== "") this.toolArgs(state, args, feed);
  }

  private startTool(state: ToolCallState, feed: (wire: Wire) => FeedOutcome): void {
    state.started = true;
    feed({
      type: "content_block_start",
      index: state.block,
      content_block: { type: "tool_use", id: state.id || `call_${state.block}`, name: state.name, input: {} },
    });
    if (state.pendingArgs !== "") this.toolArgs(state, state.pendingArgs, feed);
    state.pendingArgs = "";
  }

  private toolArgs(state: ToolCallState, args: string, feed: (wire: Wire) => FeedOutcome): void {
    feed({
      type: "content_block_delta",
      index: state.block,
      delta: { type: "input_json_delta", partial_json: args },
    });
  }
}

/** Chat Completions usage → ours; cached prompt tokens are cache reads. Missing fields count as 0. */
function mapUsage(usage: Wire | undefined): Wire {
  if (!usage) return {};
  const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);
  const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const cached = num(details.cached_tokens);
  return {
    input_tokens: Math.max(0, num(usage.prompt_tokens) - cached),
    output_tokens: num(usage.completion_tokens),
    cache_read_input_tokens: cached,
  };
}

function streamFault(reason: string): FeedOutcome {
  return { kind: "fault", fault: { reason, kind: "stream", retryable: true } };
}

function errorChunkFault(error: Wire): FeedOutcome {
  const message = typeof error.message === "string" ? oneLine(error.message) : "";
  const code = typeof error.code === "string" || typeof error.code === "number" ? String(error.code) : "";
  const type = typeof error.type === "string" ? error.type : code || "error";
  const reason = message ? `${type}: ${message}` : type;
  if (/context.length|too many tokens|maximum context/i.test(message))
    return { kind: "fault", fault: { reason, kind: "prompt_too_long", retryable: false } };
  if (/rate.limit|429/i.test(`${type} ${code}`))
    return { kind: "fault", fault: { reason, kind: "rate_limit", retryable: true } };
  if (/invalid_request|400|404/i.test(`${type} ${code}`))
    return { kind: "fault", fault: { reason, kind: "invalid_request", retryable: false } };
  return { kind: "fault", fault: { reason, kind: "server", retryable: true } };
}

/**
 * Drops a leading <think>…</think> section that some local models (Qwen, DeepSeek-R1 behind older servers)
 * write into the content itself. Tags split across chunks are held until they can be told apart.
 */
export class ThinkTagFilter {
  private state: "start" | "thinking" | "answer" = "start";
  private held = "";

  filter(chunk: string): string {
    if (this.state === "answer") return chunk;
    this.held += chunk;
    if (this.state === "start") {
      const trimmed = this.held.trimStart();
      if (trimmed === "" || ("<think>".startsWith(trimmed) && trimmed.length < 7)) return "";
      if (!trimmed.startsWith("<think>")) {
        this.state = "answer";
        const out = this.held;
        this.held = "";
        return out;
      }
      this.state = "thinking";
      this.held = trimmed.slice("<think>".length);
    }
    const close = this.held.indexOf("</think>");
    if (close === -1) {
      // Keep only what could be the start of a split closing tag.
      this.held = this.held.slice(-("</think>".length - 1));
      return "";
    }
    this.state = "answer";
    const rest = this.held.slice(close + "</think>".length).replace(/^\s+/, "");
    this.held = "";
    return rest;
  }
}
