// Builds the Messages API request body from a ModelRequest, placing prompt-cache breakpoints on the stable
// prefix (tools, system) and on the newest turn, so a multi-turn session is mostly cache reads.
import { apiModelId } from "./models.js";
import type { ContentBlock, Message, ModelRequest } from "./types.js";

const EPHEMERAL = { type: "ephemeral" } as const;

type WireBlock = ContentBlock & { cache_control?: typeof EPHEMERAL };
interface WireMessage {
  role: Message["role"];
  content: string | WireBlock[];
}

export interface WireRequest {
  model: string;
  max_tokens: number;
  system?: Array<{ type: "text"; text: string; cache_control?: typeof EPHEMERAL }>;
  messages: WireMessage[];
  tools?: Array<Record<string, unknown>>;
  stream: boolean;
}

/**
 * At most 4 breakpoints (the API's limit): last tool, last system block, the last message, and the
 * previous user message (so the prefix written by the last turn is read back even after many new blocks).
 */
export function buildRequestBody(request: ModelRequest, options: { stream: boolean }): WireRequest {
  const body: WireRequest = {
    model: apiModelId(request.model),
    max_tokens: request.maxTokens,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: options.stream,
  };
  const system = request.system.filter((text) => text.trim() !== "");
  if (system.length > 0) {
    body.system = system.map((text) => ({ type: "text" as const, text }));
    body.system[body.system.length - 1]!.cache_control = EPHEMERAL;
  }
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.input_schema,
    }));
    body.tools[body.tools.length - 1]!.cache_control = EPHEMERAL;
  }
  if (request.serverTools?.length) body.tools = [...(body.tools ?? []), ...request.serverTools];
  const last = body.messages.length - 1;
  if (last >= 0) markLastBlock(body.messages, last);
  for (let i = last - 1; i >= 0; i--) {
    if (body.messages[i]!.role === "user") {
      markLastBlock(body.messages, i);
      break;
    }
  }
  return body;
}

// Copies the message it marks: the caller's history is never mutated.
function markLastBlock(messages: WireMessage[], index: number): void {
  const message = messages[index]!;
  const blocks: WireBlock[] =
    typeof message.content === "string"
      ? message.content === ""
        ? []
        : [{ type: "text", text: message.content }]
      : message.content.map((b) => ({ ...b }));
  // Thinking blocks and empty text cannot carry cache_control: mark the last block that can.
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i]!;
    if (block.type === "thinking" || (block.type === "text" && block.text === "")) continue;
    block.cache_control = EPHEMERAL;
    messages[index] = { role: message.role, content: blocks };
    return;
  }
}
