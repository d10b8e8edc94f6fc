// Provider-neutral message, content-block and stream-event types. No SDK type appears here.

export type Role = "user" | "assistant";

export interface TextBlock {
  type: "text";
  text: string;
}
export interface ImageBlock {
  type: "image";
  source: { type: "base64"; media_type: string; data: string };
}
export interface ToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}
export interface ToolResultBlock {
  type: "tool_result";
  tool_use_id: string;
  content: string | Array<TextBlock | ImageBlock>;
  is_error?: boolean;
}
export interface ThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}
export type ContentBlock = TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock;

export interface Message {
  role: Role;
  content: string | ContentBlock[];
}

/** A tool as offered to the model. */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

export interface ModelRequest {
  model: string;
  maxTokens: number;
  /** System prompt blocks, stable prefix first; the provider places cache breakpoints. */
  system: string[];
  messages: Message[];
  tools: ToolDefinition[];
  /** Tools the API runs itself (`{type: "web_search_20250305", name: "web_search", ...}`), sent as given. */
  serverTools?: Array<Record<string, unknown>>;
  signal?: AbortSignal;
}

/** A finished assistant message as the provider assembled it. */
export interface AssistantMessage {
  id: string;
  model: string;
  content: ContentBlock[];
  stopReason: string;
  usage: Usage;
}

export type ApiErrorKind =
  | "auth" // 401/403
  | "invalid_request" // 400/404/422
  | "prompt_too_long" // 413 or 400 "prompt is too long"
  | "rate_limit" // 429 after retries
  | "overloaded" // 529 / overloaded_error after retries
  | "server" // 5xx after retries
  | "network" // connection failures after retries
  | "stream" // broken stream after retries (bad JSON, ended early, idle)
  | "aborted"; // the caller's signal fired

export interface ApiError {
  kind: ApiErrorKind;
  /** One line for the user: what happened and what to do next. Never contains a credential. */
  message: string;
  status?: number;
}

export type ProviderEvent =
  | { type: "message_start"; id: string; model: string; usage: Usage }
  | { type: "text_delta"; index: number; text: string }
  | { type: "thinking_delta"; index: number; text: string }
  | { type: "tool_use_start"; index: number; id: string; name: string }
  | { type: "tool_input_delta"; index: number; partialJson: string }
  /** inputError is set when the assembled input was not valid JSON: the call must not run. */
  | { type: "tool_use_end"; index: number; id: string; name: string; input: unknown; inputError?: string }
  | { type: "usage"; usage: Usage }
  | { type: "message_end"; message: AssistantMessage }
  /** The provider is retrying; any partial output of the current attempt must be discarded. */
  | { type: "retry"; attempt: number; delayMs: number; reason: string; maxAttempts?: number }
  /** The result block of a tool the API ran itself (e.g. `web_search_tool_result`), as sent. */
  | { type: "server_tool_result"; index: number; block: Record<string, unknown> }
  /** Raw wire event, for stream-json --include-partial-messages. */
  | { type: "raw"; event: unknown }
  /** Something the user should know about the request (e.g. it went to the fallback model). */
  | { type: "notice"; message: string }
  | { type: "error"; error: ApiError };

export interface Provider {
  /** Server-side tools this provider's API runs (web search); absent = none. */
  readonly serverTools?: { webSearch?: boolean };
  /** Streams one model response. Never throws once iteration starts: failures arrive as `error`. */
  stream(request: ModelRequest): AsyncIterable<ProviderEvent>;
}
