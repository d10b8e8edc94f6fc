// One HTTP POST over node:http(s), with a deadline for the response headers and the caller's AbortSignal.
// Direct: node:http rather than fetch (undici costs ~100 ms and ~40 MB at first use). Through a proxy: undici,
// the one proxy stack every request of claw shares (util/proxy-fetch.ts).
import type { Agent, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import * as http from "node:http";

export type TransportErrorKind = "connection" | "headers_timeout" | "aborted";

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: IncomingMessage;
}

export interface PostOptions {
  signal?: AbortSignal;
  /** Abort when no status line and headers arrive within this many ms. */
  headersTimeoutMs: number;
  /** An http:// proxy (see util/proxy.ts): every target is tunnelled through it with CONNECT. */
  proxy?: URL;
}

// Keep-alive agents: a multi-turn session reuses the connection. Idle sockets are unref'd by Node, so they
// never keep the process alive, and closed after FREE_SOCKET_TIMEOUT_MS: a proxy or NAT that silently drops
// idle connections would otherwise leave the next prompt waiting on a dead socket.
const FREE_SOCKET_TIMEOUT_MS = 15_000;
const AGENT_OPTIONS = { keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS };
let httpAgent: Agent | undefined;
let httpsAgent: Agent | undefined;

/** How one direct request is sent: which module, through which agent. */
interface Route {
  request: typeof http.request;
  agent: Agent;
  options: http.RequestOptions;
}

async function directRoute(url: URL): Promise<Route> {
  if (url.protocol === "https:") {
    const https = await import("node:https");
    httpsAgent ??= new https.Agent(AGENT_OPTIONS);
    return { request: https.request, agent: httpsAgent, options: {} };
  }
  httpAgent ??= new http.Agent(AGENT_OPTIONS);
  return { request: http.request, agent: httpAgent, options: {} };
}

/** Errors of a kept-alive socket the server closed just as it was reused: the request never reached it. */
const STALE_SOCKET_CODES = new Set(["ECONNRESET", "EPIPE"]);

export async function postJson(
  url: URL,
  headers: OutgoingHttpHeaders,
  body: string,
  options: PostOptions,
): Promise<HttpResponse> {
  const { signal } = options;
  if (signal?.aborted) throw new TransportError("aborted", "Request cancelled.");
  const payload = Buffer.from(body, "utf8");
  if (options.proxy) return sendThroughProxy(url, headers, payload, options, options.proxy);
  const route = await directRoute(url);
  try {
    return await sendOnce(route, url, headers, payload, options);
  } catch (error) {
    // The keep-alive race: resent at once on a new connection, without counting as a failed attempt.
    if (!(error instanceof StaleSocketError)) throw error;
    return sendOnce(route, url, headers, payload, options, false);
  }
}

class StaleSocketError extends Error {}

function sendOnce(
  route: Route,
  url: URL,
  headers: OutgoingHttpHeaders,
  payload: Buffer,
  options: PostOptions,
  mayBeStale = true,
): Promise<HttpResponse> {
  const { signal } = options;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = route.request(url, {
      method: "POST",
      agent: route.agent,
      ...route.options,
      headers: { ...headers, ...route.options.headers, "content-length": payload.length },
    });
    // Bun destroys the request's socket with the same error after taking its own listener off the socket: one
    // more listener keeps that from becoming an uncaught exception (req's "error" below reports it, as on Node).
    const destroy = (error: TransportError) => {
      req.socket?.once("error", () => {});
      req.destroy(error);
    };
    const onAbort = () => destroy(new TransportError("aborted", "Request cancelled."));
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => {
      const seconds = Math.round(options.headersTimeoutMs / 100) / 10;
      destroy(new TransportError("headers_timeout", `no response headers within ${seconds} s`));
    }, options.headersTimeoutMs);
    req.on("error", (error: Error & { code?: string }) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) reject(new TransportError("aborted", "Request cancelled."));
      else if (error instanceof TransportError) reject(error);
      else if (mayBeStale && req.reusedSocket && STALE_SOCKET_CODES.has(error.code ?? ""))
        reject(new StaleSocketError(error.message));
      else reject(new TransportError("connection", error.code ?? error.message, error.code));
    });
    req.on("response", (res) => {
      clearTimeout(timer);
      // The abort listener stays until the body is done, so a cancel also stops reading the stream.
      res.once("close", () => signal?.removeEventListener("abort", onAbort));
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      resolve({ status: res.statusCode ?? 0, headers: flat, body: res });
    });
    req.end(payload);
  });
}

/** Through a proxy: the one proxy stack (undici's ProxyAgent, util/proxy-fetch.ts) that login and WebFetch use too. */
async function sendThroughProxy(
  url: URL,
  headers: OutgoingHttpHeaders,
  payload: Buffer,
  options: PostOptions,
  proxy: URL,
): Promise<HttpResponse> {
  const { loadUndici, proxyDispatcher, refusedTunnelStatus } = await import("../util/proxy-fetch.js");
  const undici = await loadUndici();
  const requestHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) requestHeaders[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  try {
    const res = await undici.request(url, {
      method: "POST",
      headers: requestHeaders,
      body: payload,
      dispatcher: (await proxyDispatcher(proxy)) as never,
      signal: options.signal,
      headersTimeout: options.headersTimeoutMs,
    });
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    // undici's body is a Readable like node:http's: read, drained and destroyed the same way.
    return { status: res.statusCode, headers: flat, body: res.body as unknown as IncomingMessage };
  } catch (error) {
    if (options.signal?.aborted) throw new TransportError("aborted", "Request cancelled.");
    const code = (error as { code?: string }).code;
    if (code === "UND_ERR_HEADERS_TIMEOUT") {
      const seconds = Math.round(options.headersTimeoutMs / 100) / 10;
      throw new TransportError("headers_timeout", `no response headers within ${seconds} s`);
    }
    const refused = refusedTunnelStatus(error);
    if (refused !== undefined)
      throw new TransportError(
        "connection",
        `the proxy ${proxy.host} refused the tunnel to ${url.host} (HTTP ${refused})`,
      );
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new TransportError(
      "connection",
      cause ?? code ?? (error instanceof Error ? error.message : String(error)),
      cause ?? code,
    );
  }
}

/** Reads a whole (error or JSON) body, up to `limit` bytes. */
export async function readBody(res: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
