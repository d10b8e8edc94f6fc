// A Provider that answers from a fixed script, in process, and logs every request it received.
// For loop, compaction and session unit tests; the HTTP-level fake is mock-anthropic.ts.
import type {
  ApiError,
  AssistantMessage,
  ContentBlock,
  ModelRequest,
  Provider,
  ProviderEvent,
  Usage,
} from "../../src/api/types.js";

export type ScriptedReply =
  | {
      text?: string;
      toolUses?: Array<{ id: string; name: string; input: unknown }>;
      usage?: Partial<Usage>;
      stopReason?: string;
    }
  | { error: ApiError; partialText?: string }
  | { events: ProviderEvent[] };

function fullUsage(usage: Partial<Usage> | undefined): Usage {
  return {
    input_tokens: usage?.input_tokens ?? 10,
    output_tokens: usage?.output_tokens ?? 5,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
  };
}

export class ScriptedProvider implements Provider {
  readonly requests: ModelRequest[] = [];
  private counter = 0;

  constructor(
    private readonly replies: ScriptedReply[],
    private readonly model = "claude-test",
  ) {}

  /** Replies not yet used. */
  get remaining(): number {
    return this.replies.length;
  }

  async *stream(request: ModelRequest): AsyncIterable<ProviderEvent> {
    // Deep copy: the caller may mutate its history after the call.
    this.requests.push(structuredClone({ ...request, signal: undefined }));
    const reply = this.replies.shift();
    if (!reply) {
      yield {
        type: "error",
        error: { kind: "invalid_request", message: "scripted provider: no reply left" },
      };
      return;
    }
    if ("events" in reply) {
      yield* reply.events;
      return;
    }
    const id = `msg_${++this.counter}`;
    if ("error" in reply) {
      yield { type: "message_start", id, model: this.model, usage: fullUsage(undefined) };
      if (reply.partialText) yield { type: "text_delta", index: 0, text: reply.partialText };
      yield { type: "error", error: reply.error };
      return;
    }
    const usage = fullUsage(reply.usage);
    yield { type: "message_start", id, model: this.model, usage };
    const content: ContentBlock[] = [];
    let index = 0;
    if (reply.text !== undefined) {
      yield { type: "text_delta", index, text: reply.text };
      content.push({ type: "text", text: reply.text });
      index++;
    }
    for (const use of reply.toolUses ?? []) {
      yield { type: "tool_use_start", index, id: use.id, name: use.name };
      yield { type: "tool_input_delta", index, partialJson: JSON.stringify(use.input) };
      yield { type: "tool_use_end", index, id: use.id, name: use.name, input: use.input };
      content.push({ type: "tool_use", id: use.id, name: use.name, input: use.input });
      index++;
    }
    yield { type: "usage", usage };
    const message: AssistantMessage = {
      id,
      model: this.model,
      content,
      stopReason: reply.stopReason ?? (reply.toolUses?.length ? "tool_use" : "end_turn"),
      usage,
    };
    yield { type: "message_end", message };
  }
}
