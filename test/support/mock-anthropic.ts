// A mock Anthropic Messages API on 127.0.0.1 for unit and end-to-end tests: scripted replies (SSE or JSON),
// every stream fault the provider must survive, and a log of every request so tests assert on what was sent.
//
// Usage:
//   const mock = await startMockAnthropic();            // mock.url = "http://127.0.0.1:<port>"
//   mock.enqueue(reply.text("hello"), reply.toolUse({ name: "Read", input: { file_path: "a" }, chunks: 3 }));
//   ... run claw with ANTHROPIC_BASE_URL=mock.url ...
//   expect(mock.requests).toHaveLength(2); expect(mock.requests[0]?.body.model)...
//   await mock.close();
//
// Each request to POST <any prefix>/v1/messages consumes one queued reply; with an empty queue the server
// answers `defaultReply` (text "mock: no scripted reply" unless configured). `handler(request, index)` can
// compute a reply from the request (return undefined to fall back to the queue). Message replies
// (text/toolUse/message) are sent as SSE when the request has `stream: true`, else as one JSON message.
// Faults: reply.status(...), rateLimited, overloaded, promptTooLong, unauthorized, streamError, resetMidStream,
// stallAfterHeaders, stall, noHeaders, connectionReset, badJson, noisy, endAfterMessageDelta,
// endBeforeStopReason, endMidBlock, emptyStream, interrupted(message, {afterBlock, fault}), and
// reply.sse([...items]) for anything else. reply.after(promise, r) holds a reply back (concurrency tests);
// mock.handle(fn) sets a handler for one test. A request offering the web_search_20250305 server tool is
// answered with search results (reply.webSearch) unless a handler answers it.
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import {
  defaultWebSearchReply,
  errorBody,
  type MockReply,
  messageEvents,
  messageJson,
  reply,
  webSearchToolOf,
} from "./mock-anthropic-replies.js";

export * from "./mock-anthropic-replies.js";

export interface LoggedRequest {
  method: string;
  /** Path including any prefix, e.g. "/proxy/v1/messages". */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was empty or not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request fields
  body: any;
  rawBody: string;
  /** Which TCP connection it came on (1 = the server's first): shows whether the client kept it alive. */
  connection: number;
}

export interface MockAnthropicOptions {
  /** Computes a reply from the request; undefined falls back to the queue. */
  handler?: (request: LoggedRequest, index: number) => MockReply | undefined;
  /** Reply used when the queue is empty. */
  defaultReply?: MockReply;
  /** Serve https with the test certificate (clients trust it through NODE_EXTRA_CA_CERTS=TEST_CA_PATH). */
  tls?: boolean;
  /** Which paths are the Messages endpoint (default .../v1/messages); Vertex's is .../models/<m>:streamRawPredict. */
  messagePath?: RegExp;
}

/** The self-signed certificate (CN and SAN 127.0.0.1, valid until 2126) of the https mock servers. */
export const TEST_CA_PATH = fileURLToPath(new URL("./tls/cert.pem", import.meta.url));
const TEST_KEY_PATH = fileURLToPath(new URL("./tls/key.pem", import.meta.url));

export interface MockAnthropic {
  /** "http://127.0.0.1:<port>" — use as ANTHROPIC_BASE_URL (append a path to test prefixes). */
  url: string;
  port: number;
  /** Every request received, in order (all paths, not only /v1/messages). */
  requests: LoggedRequest[];
  /** Requests to .../v1/messages only. */
  messageRequests(): LoggedRequest[];
  enqueue(...replies: MockReply[]): void;
  /** Sets (or clears) a per-test handler, consulted after the server's own and before the queue; reset() clears it. */
  handle(handler: ((request: LoggedRequest, index: number) => MockReply | undefined) | undefined): void;
  /** Replies still queued. */
  pending(): number;
  /** Clears the queue and the request log (between tests sharing one server). */
  reset(): void;
  /** Resolves once at least n requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function frame(item: { event?: string; data: unknown }): string {
  const data = typeof item.data === "string" ? item.data : JSON.stringify(item.data);
  return `${item.event ? `event: ${item.event}\n` : ""}data: ${data}\n\n`;
}

export async function startMockAnthropic(options: MockAnthropicOptions = {}): Promise<MockAnthropic> {
  const queue: MockReply[] = [];
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<() => void> = [];
  const fallback = options.defaultReply ?? reply.text("mock: no scripted reply");
  let testHandler: ((request: LoggedRequest, index: number) => MockReply | undefined) | undefined;
  const isMessagePath = (path: string) => (options.messagePath ?? /\/v1\/messages(\?|$)/).test(path);

  async function send(r: MockReply, req: LoggedRequest, res: ServerResponse): Promise<void> {
    const socket = res.socket;
    switch (r.kind) {
      case "no-headers":
        return; // keep the socket open, say nothing
      case "connection-reset":
        socket?.destroy();
        return;
      case "deferred":
        await r.until;
        return send(r.then, req, res);
      case "http":
        res.writeHead(r.status, { ...r.headers });
        res.end(r.body ?? "");
        return;
      case "json":
        res.writeHead(r.status ?? 200, { "content-type": "application/json", ...r.headers });
        res.end(JSON.stringify(r.body));
        return;
      case "message":
        if (req.body?.stream !== true) {
          res.writeHead(200, { "content-type": "application/json", "request-id": "req_mock", ...r.headers });
          res.end(JSON.stringify(messageJson(r)));
          return;
        }
        return send({ kind: "sse", items: messageEvents(r), end: "close", headers: r.headers }, req, res);
      case "sse": {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          "request-id": "req_mock",
          ...r.headers,
        });
        res.flushHeaders();
        for (const item of r.items) {
          if (res.destroyed) return;
          if ("pauseMs" in item) await pause(item.pauseMs);
          else res.write("raw" in item ? item.raw : frame(item));
        }
        if (r.end === "close") res.end();
        else if (r.end === "reset") socket?.destroy();
        // "stall": leave it open; close() or the client ends it
        return;
      }
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const logged: LoggedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        rawBody,
        connection: connectionNumbers.get(req.socket) ?? 0,
      };
      const index = requests.length;
      requests.push(logged);
      for (const w of waiters.splice(0)) w();
      if (!isMessagePath(logged.path)) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(errorBody("not_found_error", `mock: no route ${logged.method} ${logged.path}`));
        return;
      }
      // A request offering the web search server tool is a side request (WebSearch): answered with search
      // results unless a handler says otherwise, so the queue stays scripted for the conversation.
      const chosen =
        options.handler?.(logged, index) ??
        testHandler?.(logged, index) ??
        (webSearchToolOf(body) ? defaultWebSearchReply(body) : undefined) ??
        queue.shift() ??
        fallback;
      send(chosen, logged, res).catch(() => socketDestroy(res));
    });
  };
  const server = options.tls
    ? createHttpsServer({ key: readFileSync(TEST_KEY_PATH), cert: readFileSync(TEST_CA_PATH) }, onRequest)
    : createServer(onRequest);
  const socketDestroy = (res: ServerResponse) => res.socket?.destroy();
  const connectionNumbers = new WeakMap<Socket, number>();
  let connectionCount = 0;
  server.on(options.tls ? "secureConnection" : "connection", (s: Socket) => {
    connectionNumbers.set(s, ++connectionCount);
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    messageRequests: () => requests.filter((r) => isMessagePath(r.path)),
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    pending: () => queue.length,
    handle: (handler) => {
      testHandler = handler;
    },
    reset: () => {
      testHandler = undefined;
      queue.length = 0;
      requests.length = 0;
    },
    waitForRequests: async (n, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`mock: expected ${n} requests, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 50);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
