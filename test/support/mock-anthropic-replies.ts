// The reply builder of the mock Anthropic server (see mock-anthropic.ts): scripted messages as SSE events or
// JSON, HTTP errors, and every stream fault. Import from mock-anthropic.ts, which re-exports all of this.

export interface MockUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  [extra: string]: unknown;
}

export type MockBlock =
  | { type: "text"; text: string; chunks?: number }
  | { type: "tool_use"; id?: string; name: string; input: unknown; chunks?: number; rawJson?: string }
  | { type: "thinking"; thinking: string; signature?: string }
  /** A tool the API runs itself (web search): its call, then its result block, sent whole. */
  | { type: "server_tool_use"; id: string; name: string; input: unknown }
  | { type: "web_search_tool_result"; tool_use_id: string; content: unknown };

/** One SSE item: an event, raw bytes written as is, or a pause. */
export type SseItem = { event?: string; data: unknown } | { raw: string } | { pauseMs: number };

export type MockReply =
  | {
      kind: "message";
      id?: string;
      model?: string;
      content: MockBlock[];
      usage?: MockUsage;
      stopReason?: string;
      headers?: Record<string, string>;
    }
  | {
      kind: "sse";
      items: SseItem[];
      /** After the items: close normally, destroy the socket, or stay silent until the client leaves. */
      end: "close" | "reset" | "stall";
      headers?: Record<string, string>;
    }
  | { kind: "http"; status: number; headers?: Record<string, string>; body?: string }
  | { kind: "json"; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: "no-headers" }
  | { kind: "connection-reset" }
  /** `then` is sent once `until` resolves (hold a reply until other requests have arrived). */
  | { kind: "deferred"; until: Promise<unknown>; then: MockReply };

export interface MessageOptions {
  id?: string;
  model?: string;
  usage?: MockUsage;
  stopReason?: string;
  headers?: Record<string, string>;
}

const DEFAULT_USAGE: Required<Pick<MockUsage, "input_tokens" | "output_tokens">> & MockUsage = {
  input_tokens: 10,
  output_tokens: 5,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

let idCounter = 0;
const nextId = (prefix: string) => `${prefix}_mock${(++idCounter).toString().padStart(4, "0")}`;

export function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: "error", error: { type, message } });
}

/** Splits a string into n roughly equal, non-empty pieces (fewer when the string is short). */
export function splitInto(text: string, n: number): string[] {
  if (n <= 1 || text.length <= 1) return [text];
  const size = Math.ceil(text.length / Math.min(n, text.length));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** The SSE events of a message reply, exactly as the real API orders them. */
export function messageEvents(
  r: Extract<MockReply, { kind: "message" }>,
): Array<{ event: string; data: unknown }> {
  const usage = { ...DEFAULT_USAGE, ...r.usage };
  const hasTool = r.content.some((b) => b.type === "tool_use");
  const stopReason = r.stopReason ?? (hasTool ? "tool_use" : "end_turn");
  const out: Array<{ event: string; data: unknown }> = [];
  out.push({
    event: "message_start",
    data: {
      type: "message_start",
      message: {
        id: r.id ?? nextId("msg"),
        type: "message",
        role: "assistant",
        model: r.model ?? "claude-sonnet-4-5",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  });
  r.content.forEach((block, index) => {
    if (block.type === "text") {
      out.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      });
      for (const piece of splitInto(block.text, block.chunks ?? 1)) {
        out.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } },
        });
      }
    } else if (block.type === "thinking") {
      out.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } },
      });
      out.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "thinking_delta", thinking: block.thinking },
        },
      });
      out.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "signature_delta", signature: block.signature ?? "sig-mock" },
        },
      });
    } else if (block.type === "web_search_tool_result") {
      out.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: block },
      });
    } else {
      const id = block.id ?? nextId("toolu");
      out.push({
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index,
          content_block: { type: block.type, id, name: block.name, input: {} },
        },
      });
      const json = ("rawJson" in block ? block.rawJson : undefined) ?? JSON.stringify(block.input);
      for (const piece of splitInto(json, ("chunks" in block ? block.chunks : undefined) ?? 1)) {
        out.push({
          event: "content_block_delta",
          data: {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: piece },
          },
        });
      }
    }
    out.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  out.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
  });
  out.push({ event: "message_stop", data: { type: "message_stop" } });
  return out;
}

/** The non-streaming JSON body of a message reply. */
export function messageJson(r: Extract<MockReply, { kind: "message" }>): Record<string, unknown> {
  const usage = { ...DEFAULT_USAGE, ...r.usage };
  const hasTool = r.content.some((b) => b.type === "tool_use");
  return {
    id: r.id ?? nextId("msg"),
    type: "message",
    role: "assistant",
    model: r.model ?? "claude-sonnet-4-5",
    content: r.content.map((b) => {
      if (b.type === "text") return { type: "text", text: b.text };
      if (b.type === "thinking")
        return { type: "thinking", thinking: b.thinking, signature: b.signature ?? "sig-mock" };
      if (b.type === "server_tool_use" || b.type === "web_search_tool_result") return b;
      return { type: "tool_use", id: b.id ?? nextId("toolu"), name: b.name, input: b.input };
    }),
    stop_reason: r.stopReason ?? (hasTool ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage,
  };
}

/** The first events of a text message: message_start, a text block start and its delta (no stop). */
function partialText(text: string): SseItem[] {
  const events = messageEvents({ kind: "message", content: [{ type: "text", text }] });
  return events.slice(0, 3);
}

export const block = {
  text: (text: string, opts: { chunks?: number } = {}): MockBlock => ({ type: "text", text, ...opts }),
  toolUse: (o: {
    name: string;
    input: unknown;
    id?: string;
    chunks?: number;
    rawJson?: string;
  }): MockBlock => ({
    type: "tool_use",
    ...o,
  }),
  thinking: (thinking: string, signature?: string): MockBlock => ({ type: "thinking", thinking, signature }),
};

export const reply = {
  /** A complete text answer; `chunks` splits it into several text_delta events. */
  text: (text: string, opts: MessageOptions & { chunks?: number } = {}): MockReply => {
    const { chunks, ...rest } = opts;
    return { kind: "message", content: [{ type: "text", text, chunks }], ...rest };
  },
  /** One tool call; `chunks` splits the input JSON into several input_json_delta events; `rawJson` sends
   * that exact (possibly invalid) JSON text instead of the serialized input. */
  toolUse: (
    o: { name: string; input: unknown; id?: string; chunks?: number; rawJson?: string; text?: string },
    opts: MessageOptions = {},
  ): MockReply => {
    const { text, ...tool } = o;
    const content: MockBlock[] = text ? [{ type: "text", text }] : [];
    content.push({ type: "tool_use", ...tool });
    return { kind: "message", content, ...opts };
  },
  /** Any combination of blocks in one message (text, several tool_use, thinking). */
  message: (content: MockBlock[], opts: MessageOptions = {}): MockReply => ({
    kind: "message",
    content,
    ...opts,
  }),

  /** An HTTP error with the API's JSON error body (or `body` verbatim). */
  status: (
    status: number,
    opts: { headers?: Record<string, string>; body?: string; errorType?: string; message?: string } = {},
  ): MockReply => ({
    kind: "http",
    status,
    headers: { "content-type": "application/json", ...opts.headers },
    body: opts.body ?? errorBody(opts.errorType ?? "api_error", opts.message ?? `mock status ${status}`),
  }),
  /** 429 with optional retry-after (seconds or date string) / retry-after-ms. */
  rateLimited: (opts: { retryAfter?: string | number; retryAfterMs?: number; shouldRetry?: boolean } = {}) =>
    reply.status(429, {
      errorType: "rate_limit_error",
      message: "Number of requests has exceeded your rate limit",
      headers: retryHeaders(opts),
    }),
  /** 529 overloaded; `shouldRetry: false` adds x-should-retry: false. */
  overloaded: (opts: { retryAfter?: string | number; retryAfterMs?: number; shouldRetry?: boolean } = {}) =>
    reply.status(529, { errorType: "overloaded_error", message: "Overloaded", headers: retryHeaders(opts) }),
  /** 400 "prompt is too long" (or 413 request_too_large with status 413). */
  promptTooLong: (status: 400 | 413 = 400) =>
    status === 413
      ? reply.status(413, {
          errorType: "request_too_large",
          message: "Request exceeds the maximum allowed size",
        })
      : reply.status(400, {
          errorType: "invalid_request_error",
          message: "prompt is too long: 250000 tokens > 200000 maximum",
        }),
  unauthorized: (message = "invalid x-api-key") =>
    reply.status(401, { errorType: "authentication_error", message }),

  /** Raw SSE: items then how the stream ends. */
  sse: (
    items: SseItem[],
    end: "close" | "reset" | "stall" = "close",
    headers?: Record<string, string>,
  ): MockReply => ({
    kind: "sse",
    items,
    end,
    headers,
  }),
  /** 200, some text, then `event: error` (default overloaded_error), then the stream closes. */
  streamError: (opts: { afterText?: string; errorType?: string; message?: string } = {}): MockReply =>
    reply.sse([
      ...partialText(opts.afterText ?? "partial "),
      {
        event: "error",
        data: {
          type: "error",
          error: { type: opts.errorType ?? "overloaded_error", message: opts.message ?? "Overloaded" },
        },
      },
    ]),
  /** 200, some text, then the socket is destroyed. */
  resetMidStream: (opts: { afterText?: string } = {}): MockReply =>
    reply.sse([...partialText(opts.afterText ?? "partial "), { pauseMs: 20 }], "reset"),
  /** 200 headers, then not one byte until the client gives up. */
  stallAfterHeaders: (): MockReply => reply.sse([], "stall"),
  /** 200, some text, then silence (no pings) until the client gives up. */
  stall: (opts: { afterText?: string } = {}): MockReply =>
    reply.sse(partialText(opts.afterText ?? "partial "), "stall"),
  /** The connection is accepted but no status line or headers are ever sent. */
  noHeaders: (): MockReply => ({ kind: "no-headers" }),
  /** The socket is destroyed before any response (a connection error). */
  connectionReset: (): MockReply => ({ kind: "connection-reset" }),
  /** 200, some text, then a `data:` line that is not JSON, then the stream closes. */
  badJson: (opts: { afterText?: string; line?: string } = {}): MockReply =>
    reply.sse([
      ...partialText(opts.afterText ?? "partial "),
      { raw: `event: content_block_delta\ndata: ${opts.line ?? "{not json"}\n\n` },
    ]),
  /** A complete text answer wrapped in noise: comments, pings, unknown events, delta and block types, fields. */
  noisy: (text: string, opts: MessageOptions = {}): MockReply => {
    const events = messageEvents({ kind: "message", content: [{ type: "text", text }], ...opts });
    const items: SseItem[] = [{ raw: ": a comment line\n\n" }];
    events.forEach((e, i) => {
      const data = { ...(e.data as Record<string, unknown>), some_future_field: { nested: true } };
      if (e.event === "message_delta") {
        const d = data as { usage?: Record<string, unknown> };
        d.usage = { ...d.usage, server_tool_use: { web_search_requests: 0 }, future_tokens: 7 };
      }
      items.push({ event: e.event, data });
      if (i === 0) {
        items.push({ event: "ping", data: { type: "ping" } });
        items.push({ event: "brand_new_event", data: { type: "brand_new_event", x: 1 } });
        items.push({
          event: "content_block_start",
          data: { type: "content_block_start", index: 7, content_block: { type: "future_block", stuff: 1 } },
        });
        items.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index: 7, delta: { type: "future_delta", stuff: 2 } },
        });
        items.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 7 } });
      }
      if (i === 2) {
        items.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: {} } },
        });
        items.push({ event: "ping", data: { type: "ping" } });
      }
    });
    return reply.sse(items);
  },
  /** A complete text message whose stream ends after message_delta (no message_stop): a success. */
  endAfterMessageDelta: (text: string, opts: MessageOptions = {}): MockReply => {
    const events = messageEvents({ kind: "message", content: [{ type: "text", text }], ...opts });
    return reply.sse(events.slice(0, -1));
  },
  /** Text whose stream ends after content_block_stop, before any stop_reason: an error. */
  endBeforeStopReason: (text = "partial "): MockReply => {
    const events = messageEvents({ kind: "message", content: [{ type: "text", text }] });
    return reply.sse(events.slice(0, -2));
  },
  /** Text whose stream ends in the middle of a block, with no final blank line. */
  endMidBlock: (text = "partial "): MockReply => {
    const events = partialText(text);
    const last = events.pop() as { event: string; data: unknown };
    return reply.sse([...events, { raw: `event: ${last.event}\ndata: ${JSON.stringify(last.data)}` }]);
  },
  /**
   * A message reply cut short: its events up to and including the content_block_stop of block `afterBlock`
   * (default: the last block), or the first `afterEvents` events, then a fault — an overloaded_error event
   * (default), a socket reset, a clean close, a stall, or a line of bad JSON.
   */
  interrupted: (
    message: MockReply,
    opts: {
      afterBlock?: number;
      afterEvents?: number;
      fault?: "error" | "reset" | "close" | "stall" | "bad_json";
    } = {},
  ): MockReply => {
    if (message.kind !== "message") throw new Error("reply.interrupted needs a message reply");
    const events = messageEvents(message);
    let keep = opts.afterEvents;
    if (keep === undefined) {
      const target = opts.afterBlock ?? message.content.length - 1;
      keep =
        events.findIndex(
          (e) => e.event === "content_block_stop" && (e.data as { index: number }).index === target,
        ) + 1;
    }
    const items: SseItem[] = events.slice(0, keep);
    const fault = opts.fault ?? "error";
    if (fault === "error") {
      items.push({
        event: "error",
        data: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      });
    } else if (fault === "bad_json") {
      items.push({ raw: "event: content_block_delta\ndata: {not json\n\n" });
    } else if (fault === "reset") {
      items.push({ pauseMs: 20 });
    }
    return reply.sse(items, fault === "reset" ? "reset" : fault === "stall" ? "stall" : "close");
  },
  /** 200 text/event-stream with no events at all. */
  emptyStream: (): MockReply => reply.sse([]),
  /** A JSON body as is (e.g. a non-streaming message built with messageJson). */
  json: (body: unknown, status = 200): MockReply => ({ kind: "json", status, body }),
  /** `then`, held back until `until` resolves (e.g. until two concurrent requests have both arrived). */
  after: (until: Promise<unknown>, then: MockReply): MockReply => ({ kind: "deferred", until, then }),
  /** What the API sends for a request offering web_search_20250305: the search call, its results, a summary. */
  webSearch: (
    query: string,
    results: WebSearchHit[],
    text = `Found ${results.length} results.`,
  ): MockReply => {
    const id = nextId("srvtoolu");
    return reply.message([
      { type: "server_tool_use", id, name: "web_search", input: { query } },
      {
        type: "web_search_tool_result",
        tool_use_id: id,
        content: results.map((r) => ({
          type: "web_search_result",
          title: r.title,
          url: r.url,
          encrypted_content: "opaque",
          page_age: r.pageAge ?? null,
        })),
      },
      { type: "text", text },
    ]);
  },
};

export interface WebSearchHit {
  title: string;
  url: string;
  pageAge?: string;
}

/** The web search server tool a request offers (Messages API `tools` entry of type web_search_*), if any. */
export function webSearchToolOf(body: unknown): Record<string, unknown> | undefined {
  const tools = (body as { tools?: unknown } | undefined)?.tools;
  if (!Array.isArray(tools)) return undefined;
  return tools.find(
    (t): t is Record<string, unknown> =>
      typeof t === "object" && t !== null && String((t as { type?: unknown }).type).startsWith("web_search"),
  );
}

/** The mock's default answer to a web search request: two hits on the allowed domain (or example.com). */
export function defaultWebSearchReply(body: unknown): MockReply {
  const tool = webSearchToolOf(body) ?? {};
  const allowed = Array.isArray(tool.allowed_domains) ? String(tool.allowed_domains[0]) : "example.com";
  const messages = (body as { messages?: Array<{ content: unknown }> }).messages ?? [];
  const first = messages[0]?.content;
  const query = typeof first === "string" ? first.replace(/^[^:]*:\s*/, "") : "query";
  return reply.webSearch(query, [
    { title: `First result about ${query}`, url: `https://${allowed}/first`, pageAge: "2 days ago" },
    { title: `Second result about ${query}`, url: `https://docs.${allowed}/second` },
  ]);
}

function retryHeaders(opts: { retryAfter?: string | number; retryAfterMs?: number; shouldRetry?: boolean }) {
  const headers: Record<string, string> = {};
  if (opts.retryAfter !== undefined) headers["retry-after"] = String(opts.retryAfter);
  if (opts.retryAfterMs !== undefined) headers["retry-after-ms"] = String(opts.retryAfterMs);
  if (opts.shouldRetry !== undefined) headers["x-should-retry"] = String(opts.shouldRetry);
  return headers;
}
