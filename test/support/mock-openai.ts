// A mock OpenAI-compatible Chat Completions server on 127.0.0.1: streamed text and tool calls (arguments split
// across chunks, several calls per reply), with or without the usage chunk, HTTP errors, and a request log.
//
// Usage:
//   const openai = await startMockOpenAi();                  // openai.url = "http://127.0.0.1:<port>/v1"
//   openai.enqueue(chat.text("hi"), chat.toolCalls([{ name: "Read", args: { file_path: "a" }, chunks: 3 }]));
//   ... run claw with OPENAI_BASE_URL=openai.url and --model openai/gpt-4o ...
//   expect(openai.requests[0]?.body.messages) ...
import { createServer, type IncomingHttpHeaders } from "node:http";
import { listenOnLoopback } from "./mock-listen.js";

export interface ChatToolCall {
  id?: string;
  name: string;
  args: unknown;
  /** Split the arguments JSON into this many chunks (default 1). */
  chunks?: number;
}

export type ChatReply =
  | {
      kind: "stream";
      text?: string;
      textChunks?: number;
      reasoning?: string;
      toolCalls?: ChatToolCall[];
      finishReason?: string;
      /** false: no usage chunk at the end (servers that ignore stream_options). */
      usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number } | false;
      /** false: the stream ends without `data: [DONE]`. */
      done?: boolean;
    }
  | { kind: "http"; status: number; body: unknown };

export interface LoggedChatRequest {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request fields
  body: any;
}

export const chat = {
  text: (
    text: string,
    opts: Omit<Extract<ChatReply, { kind: "stream" }>, "kind" | "text"> = {},
  ): ChatReply => ({
    kind: "stream",
    text,
    ...opts,
  }),
  toolCalls: (toolCalls: ChatToolCall[], opts: { text?: string; usage?: false } = {}): ChatReply => ({
    kind: "stream",
    toolCalls,
    finishReason: "tool_calls",
    ...opts,
  }),
  status: (status: number, message: string, type = "server_error"): ChatReply => ({
    kind: "http",
    status,
    body: { error: { message, type, code: null } },
  }),
};

function split(text: string, n: number): string[] {
  if (n <= 1 || text.length <= 1) return [text];
  const size = Math.ceil(text.length / Math.min(n, text.length));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** The chunks of one streamed reply, shaped as OpenAI sends them. */
export function chatChunks(r: Extract<ChatReply, { kind: "stream" }>, model: string): unknown[] {
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: 1, model };
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const out: unknown[] = [chunk({ role: "assistant", content: "" })];
  if (r.reasoning) out.push(chunk({ reasoning_content: r.reasoning }));
  if (r.text) for (const piece of split(r.text, r.textChunks ?? 1)) out.push(chunk({ content: piece }));
  (r.toolCalls ?? []).forEach((call, index) => {
    const json = JSON.stringify(call.args);
    const id = call.id ?? `call_mock_${index}`;
    out.push(
      chunk({
        tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of split(json, call.chunks ?? 1))
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  out.push(chunk({}, r.finishReason ?? (r.toolCalls?.length ? "tool_calls" : "stop")));
  if (r.usage !== false) {
    const usage = r.usage ?? { prompt_tokens: 20, completion_tokens: 7 };
    out.push({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.prompt_tokens + usage.completion_tokens,
        prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
      },
    });
  }
  return out;
}

export interface MockOpenAi {
  /** Base URL including /v1, as OPENAI_BASE_URL or a providers entry's baseUrl. */
  url: string;
  requests: LoggedChatRequest[];
  enqueue(...replies: ChatReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startMockOpenAi(): Promise<MockOpenAi> {
  const queue: ChatReply[] = [];
  const requests: LoggedChatRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      const logged: LoggedChatRequest = { path: req.url ?? "", headers: req.headers, body };
      requests.push(logged);
      if (!/\/chat\/completions$/.test(logged.path)) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { message: `no route ${logged.path}`, type: "invalid_request_error" } }),
        );
        return;
      }
      const r = queue.shift() ?? chat.text("mock: no scripted reply");
      if (r.kind === "http") {
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(JSON.stringify(r.body));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const model = (logged.body as { model?: string } | undefined)?.model ?? "mock";
      for (const c of chatChunks(r, model)) res.write(`data: ${JSON.stringify(c)}\n\n`);
      if (r.done !== false) res.write("data: [DONE]\n\n");
      res.end();
    });
  });
  const { port, ...controls } = await listenOnLoopback(server, queue, requests);
  return { url: `http://127.0.0.1:${port}/v1`, ...controls };
}
