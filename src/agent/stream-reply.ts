// One request of the conversation loop: stream the model's reply, pass its deltas on as AgentEvents and collect
// the tool calls it makes. The Agent owns the history and the usage; this only reports what arrived.
import type { ApiError, AssistantMessage, Message, Provider, Usage } from "../api/types.js";
import type { Tool } from "../tools/types.js";
import type { AgentEvent } from "./events.js";
import type { ToolCall } from "./tool-runner.js";

const OUTPUT_LIMIT_CUT =
  "The response reached the output token limit (max_tokens) before this tool input was complete. Make the call again with a smaller input, e.g. write a large file in several parts.";

export interface ReplyRequest {
  provider: Provider;
  model: string;
  maxTokens: number;
  system: string[];
  messages: readonly Message[];
  tools: readonly Tool[];
  signal: AbortSignal;
  /** The first event of the answer arrived (the request is out and the model is answering). */
  onAnswerStarted?(): void;
  /** The reply's usage arrived (before its `usage` event is yielded). */
  onUsage(model: string, usage: Usage): void;
  /** The finished reply, without empty text blocks the API would reject (before `assistant_message`). */
  onReply(message: AssistantMessage, kept: AssistantMessage["content"]): void;
}

export type ReplyOutcome =
  | { kind: "message"; message: AssistantMessage; calls: ToolCall[]; stopReason: string | null }
  | { kind: "error"; error: ApiError; partialText: string };

export async function* streamReply(request: ReplyRequest): AsyncGenerator<AgentEvent, ReplyOutcome> {
  const { signal } = request;
  let partialText = "";
  const calls: ToolCall[] = [];
  const stream = request.provider.stream({
    model: request.model,
    maxTokens: request.maxTokens,
    system: request.system,
    messages: request.messages as Message[],
    tools: request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema,
    })),
    signal,
  });
  let started = false;
  for await (const event of stream) {
    if (!started) {
      started = true;
      request.onAnswerStarted?.();
    }
    switch (event.type) {
      case "text_delta":
        partialText += event.text;
        yield { type: "text_delta", text: event.text };
        break;
      case "thinking_delta":
        yield { type: "thinking_delta", text: event.text };
        break;
      case "retry":
        partialText = "";
        calls.length = 0;
        yield {
          type: "retry",
          attempt: event.attempt,
          delayMs: event.delayMs,
          reason: event.reason,
          maxAttempts: event.maxAttempts,
        };
        break;
      case "raw":
        yield { type: "raw", event: event.event };
        break;
      case "tool_use_start":
        // A lazily loaded tool's module loads while the model is still writing the call's input.
        void request.tools
          .find((tool) => tool.name === event.name)
          ?.load?.()
          .catch(() => undefined);
        break;
      case "notice":
        yield { type: "notice", level: "warning", message: event.message };
        break;
      case "tool_use_end":
        calls.push({
          block: { type: "tool_use", id: event.id, name: event.name, input: event.input },
          inputError: event.inputError,
        });
        break;
      case "error":
        return { kind: "error", error: event.error, partialText };
      case "message_end": {
        const message = event.message;
        if (message.stopReason === "max_tokens") {
          // The input was cut by the output limit, not garbled: say so, or the model repeats the same call.
          for (const call of calls) if (call.inputError) call.inputError = OUTPUT_LIMIT_CUT;
        }
        const model = message.model || request.model;
        request.onUsage(model, message.usage);
        yield { type: "usage", model, usage: message.usage };
        // The API rejects (400) whitespace-only text blocks and an empty assistant message that is not the
        // last one, so the next prompt or a Stop-hook nudge would fail: both stay out (replay drops them too).
        request.onReply(
          message,
          message.content.filter((b) => b.type !== "text" || b.text.trim() !== ""),
        );
        yield { type: "assistant_message", message };
        return { kind: "message", message, calls, stopReason: message.stopReason };
      }
      default:
        break;
    }
  }
  if (signal.aborted) return { kind: "error", error: abortedError(), partialText };
  return {
    kind: "error",
    error: { kind: "stream", message: "The response stream ended before the message was complete." },
    partialText,
  };
}

export function abortedError(): ApiError {
  return { kind: "aborted", message: "Interrupted by user." };
}

/** The reply's text blocks joined: the prompt's answer when the model made no tool calls. */
export function textOf(message: AssistantMessage): string {
  return message.content
    .filter((b): b is { type: "text"; text: string } => b.type === "text")
    .map((b) => b.text)
    .join("");
}
