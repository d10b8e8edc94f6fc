// Builds an OpenAI Chat Completions request from a ModelRequest: system prompt first, tool calls and their
// results as the `tool_calls` / `role: "tool"` pairs that API expects, images as data-URL `image_url` parts.
// Thinking blocks (Claude's) are left out: another vendor cannot check their signatures.

import type { ContentBlock, ImageBlock, Message, ModelRequest, TextBlock } from "./types.js";

type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
    }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: true;
  stream_options: { include_usage: true };
  tools?: Array<{ type: "function"; function: { name: string; description: string; parameters: unknown } }>;
  max_tokens?: number;
  max_completion_tokens?: number;
}

export interface ChatRequestOptions {
  /** The model id the endpoint knows (without claw's "openai/" prefix). */
  model: string;
  /**
   * How to send the output limit: OpenAI's own API wants `max_completion_tokens` (its reasoning models reject
   * `max_tokens`); other servers know `max_tokens`; undefined sends none (the server's own limit applies).
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
}

export function buildChatRequest(request: ModelRequest, options: ChatRequestOptions): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = request.system.filter((text) => text.trim() !== "").join("\n\n");
  if (system) messages.push({ role: "system", content: system });
  for (const message of request.messages) messages.push(...chatMessages(message));
  const body: ChatRequest = {
    model: options.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
    }));
  }
  if (options.maxTokensField) body[options.maxTokensField] = request.maxTokens;
  return body;
}

function chatMessages(message: Message): ChatMessage[] {
  if (typeof message.content === "string") {
    return message.role === "user"
      ? [{ role: "user", content: message.content }]
      : [{ role: "assistant", content: message.content }];
  }
  return message.role === "user" ? userMessages(message.content) : [assistantMessage(message.content)];
}

/** Tool results become `tool` messages, which must directly follow the assistant's calls; the rest one user message. */
function userMessages(blocks: ContentBlock[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    if (block.type === "tool_result") {
      const content =
        typeof block.content === "string" ? [{ type: "text" as const, text: block.content }] : block.content;
      const text = content
        .filter((b): b is TextBlock => b.type === "text")
        .map((b) => b.text)
        .join("\n");
      out.push({
        role: "tool",
        tool_call_id: block.tool_use_id,
        content: block.is_error ? `Error: ${text}` : text,
      });
      // Most servers take only text in a tool message: its images follow as user content.
      for (const image of content.filter((b): b is ImageBlock => b.type === "image"))
        parts.push(imagePart(image));
    } else if (block.type === "text") {
      if (block.text !== "") parts.push({ type: "text", text: block.text });
    } else if (block.type === "image") {
      parts.push(imagePart(block));
    }
  }
  if (parts.length > 0) {
    const onlyText = parts.every((p) => p.type === "text");
    out.push({
      role: "user",
      content: onlyText ? parts.map((p) => (p as { text: string }).text).join("\n\n") : parts,
    });
  }
  return out;
}

function assistantMessage(blocks: ContentBlock[]): ChatMessage {
  const text = blocks
    .filter((b): b is TextBlock => b.type === "text")
    .map((b) => b.text)
    .join("");
  const calls = blocks.flatMap((b) =>
    b.type === "tool_use"
      ? [
          {
            id: b.id,
            type: "function" as const,
            function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
          },
        ]
      : [],
  );
  return calls.length > 0
    ? { role: "assistant", content: text === "" ? null : text, tool_calls: calls }
    : { role: "assistant", content: text };
}

function imagePart(image: ImageBlock): ContentPart {
  return {
    type: "image_url",
    image_url: { url: `data:${image.source.media_type};base64,${image.source.data}` },
  };
}
