// The Anthropic Messages API provider: sends the request, parses the SSE stream into ProviderEvents, and
// owns retries (HTTP errors, broken streams, stalls) so the loop above only sees events.
//
// Why not @anthropic-ai/sdk here: measured on these machines, the SDK plus fetch cost ~140 ms and ~50 MB
// before the first byte (fetch/undici alone ~100 ms, 40 MB), far over claw's one-shot budget; and its
// stream parser drops pings before an idle watchdog could see them and logs unparseable data lines with
// their content. The wire protocol is small, so we speak it directly over node:http.

import { ProxyConfigError, proxyFor } from "../util/proxy.js";
import {
  afterAttempts,
  apiError,
  type Explained,
  explainHttpError,
  httpErrorMessage,
  isPromptTooLong,
  kindForStatus,
  parseErrorBody,
  redact,
  sentence,
} from "./api-errors.js";
import type { AuthSource } from "./auth-source.js";
import { type HttpResponse, postJson, readBody, TransportError } from "./http-transport.js";
import { MessageAssembler, type StreamFault } from "./message-assembler.js";
import { wantsLongContext } from "./models.js";
import { buildRequestBody } from "./request-body.js";
import { type ReadOutcome, readJsonResponse, readSseResponse } from "./response-reader.js";
import { backoffDelay, isRetryableStatus, retrySettings, serverRequestedDelay, sleep } from "./retry.js";
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS } from "./stream-watchdog.js";
import type { ApiError, ApiErrorKind, ModelRequest, Provider, ProviderEvent } from "./types.js";

const ANTHROPIC_VERSION = "2023-06-01";
const DEFAULT_BASE_URL = "https://api.anthropic.com";
const STREAM_ADVICE = "Try again; if it keeps happening, check the proxy or gateway at ANTHROPIC_BASE_URL.";
const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
/** A non-streaming reply only starts once the whole message is generated. */
const NON_STREAMING_TIMEOUT_MS = 10 * 60_000;

export interface AnthropicProviderOptions {
  auth: AuthSource;
  /** Defaults to env ANTHROPIC_BASE_URL, else https://api.anthropic.com. A path prefix is kept. */
  baseUrl?: string;
  /** Read for ANTHROPIC_BASE_URL, CLAW_RETRY_BASE_MS, CLAW_MAX_ATTEMPTS, CLAW_STREAM_IDLE_TIMEOUT_MS,
   * CLAW_HEADERS_TIMEOUT_MS. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  return new AnthropicProvider(options);
}

/** How one attempt ended. */
type AttemptOutcome =
  | { kind: "done" }
  | { kind: "aborted" }
  | { kind: "fatal"; error: ApiError }
  | { kind: "empty" }
  | { kind: "unauthorized"; status: number; body: { type?: string; message: string } }
  | {
      kind: "retry";
      errorKind: ApiErrorKind;
      reason: string;
      explained: Explained;
      status?: number;
      serverDelayMs?: number;
    };

class AnthropicProvider implements Provider {
  readonly serverTools = { webSearch: true };
  private auth: AuthSource;
  private readonly env: NodeJS.ProcessEnv;
  private readonly baseUrl: string;

  constructor(private readonly options: AnthropicProviderOptions) {
    this.auth = options.auth;
    this.env = options.env ?? process.env;
    this.baseUrl = options.baseUrl || this.env.ANTHROPIC_BASE_URL || DEFAULT_BASE_URL;
  }

  stream(request: ModelRequest): AsyncIterable<ProviderEvent> {
    return this.run(request);
  }

  private async *run(request: ModelRequest): AsyncGenerator<ProviderEvent> {
    try {
      yield* this.attempts(request);
    } catch (error) {
      // A bug of ours must still arrive as an event, never as a throw into the loop.
      const detail = error instanceof Error ? error.message : String(error);
      yield {
        type: "error",
        error: apiError(
          "stream",
          `Unexpected error while talking to the API: ${oneLineOf(detail)}`,
          this.auth,
        ),
      };
    }
  }

  private async *attempts(request: ModelRequest): AsyncGenerator<ProviderEvent> {
    const { signal } = request;
    const settings = retrySettings(this.env);
    let url: URL;
    try {
      url = new URL(`${this.baseUrl.replace(/\/+$/, "")}/v1/messages`);
    } catch {
      yield {
        type: "error",
        error: { kind: "invalid_request", message: "ANTHROPIC_BASE_URL is not a valid URL." },
      };
      return;
    }
    let proxy: URL | undefined;
    try {
      proxy = proxyFor(url, this.env);
    } catch (error) {
      if (!(error instanceof ProxyConfigError)) throw error;
      yield { type: "error", error: { kind: "invalid_request", message: `${error.message}.` } };
      return;
    }
    let streaming = true;
    let emptyRetried = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return yield aborted();
      const outcome = yield* this.attempt(url, proxy, request, streaming);
      streaming = true;
      switch (outcome.kind) {
        case "done":
          return;
        case "aborted":
          return yield aborted();
        case "fatal":
          return yield { type: "error", error: outcome.error };
        case "empty":
          if (!emptyRetried) {
            emptyRetried = true;
            streaming = false;
            yield {
              type: "retry",
              attempt: attempt + 1,
              delayMs: 0,
              reason: "the stream was empty; asking once without streaming",
              maxAttempts: settings.maxAttempts,
            };
            continue;
          }
          break;
        case "unauthorized": {
          if (!refreshed && this.auth.onUnauthorized) {
            refreshed = true;
            const next = await this.auth.onUnauthorized().catch(() => undefined);
            if (next) {
              this.auth = next;
              yield {
                type: "retry",
                attempt: attempt + 1,
                delayMs: 0,
                reason: "credentials refreshed after a 401",
                maxAttempts: settings.maxAttempts,
              };
              continue;
            }
          }
          const message = httpErrorMessage(outcome.status, outcome.body, this.auth);
          return yield { type: "error", error: apiError("auth", message, this.auth, outcome.status) };
        }
        case "retry":
          break;
      }
      // A retryable failure (or a second empty stream).
      const failure =
        outcome.kind === "retry"
          ? outcome
          : {
              errorKind: "stream" as const,
              reason: "empty stream",
              explained: { what: "The API sent empty responses", advice: STREAM_ADVICE },
              serverDelayMs: undefined,
              status: undefined,
            };
      if (failure.serverDelayMs !== undefined && failure.serverDelayMs > settings.maxServerWaitMs) {
        const wait = Math.round(failure.serverDelayMs / 1000);
        const message = sentence({
          what: `${failure.explained.what}; the server asked to wait ${wait} s before retrying, longer than claw waits (${settings.maxServerWaitMs / 1000} s)`,
          advice: "Try again later.",
        });
        return yield {
          type: "error",
          error: apiError(failure.errorKind, message, this.auth, failure.status),
        };
      }
      if (attempt >= settings.maxAttempts) {
        const message = afterAttempts(attempt, sentence(failure.explained));
        return yield {
          type: "error",
          error: apiError(failure.errorKind, message, this.auth, failure.status),
        };
      }
      const delayMs = failure.serverDelayMs ?? backoffDelay(attempt, settings);
      yield {
        type: "retry",
        attempt: attempt + 1,
        delayMs,
        reason: redact(failure.reason, this.auth),
        maxAttempts: settings.maxAttempts,
      };
      if (!(await sleep(delayMs, signal))) return yield aborted();
    }
  }

  private headers(request: ModelRequest): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      "anthropic-version": ANTHROPIC_VERSION,
      "user-agent": this.options.userAgent ?? "claw",
      ...this.auth.headers(),
    };
    if (wantsLongContext(request.model)) headers["anthropic-beta"] = "context-1m-2025-08-07";
    return headers;
  }

  /** One HTTP exchange. Events are yielded live; the outcome says whether and how to go on. */
  private async *attempt(
    url: URL,
    proxy: URL | undefined,
    request: ModelRequest,
    streaming: boolean,
  ): AsyncGenerator<ProviderEvent, AttemptOutcome> {
    const { signal } = request;
    const body = JSON.stringify(buildRequestBody(request, { stream: streaming }));
    const headersTimeoutMs = positive(this.env.CLAW_HEADERS_TIMEOUT_MS) ?? DEFAULT_HEADERS_TIMEOUT_MS;
    let res: HttpResponse;
    try {
      res = await postJson(url, this.headers(request), body, {
        signal,
        proxy,
        headersTimeoutMs: streaming ? headersTimeoutMs : Math.max(headersTimeoutMs, NON_STREAMING_TIMEOUT_MS),
      });
    } catch (error) {
      if (signal?.aborted || (error instanceof TransportError && error.kind === "aborted"))
        return { kind: "aborted" };
      const detail = error instanceof Error ? error.message : String(error);
      const timeout = error instanceof TransportError && error.kind === "headers_timeout";
      return {
        kind: "retry",
        errorKind: "network",
        reason: timeout ? detail : `connection failed (${detail})`,
        explained: {
          what: timeout
            ? `The API at ${url.host} sent no response (${detail})`
            : `Could not reach the API at ${url.host}${proxy ? ` through the proxy ${proxy.host}` : ""} (${detail})`,
          advice: proxy
            ? "Check HTTPS_PROXY / HTTP_PROXY (or NO_PROXY), ANTHROPIC_BASE_URL and your network."
            : "Check ANTHROPIC_BASE_URL and your network.",
        },
      };
    }

    if (res.status < 200 || res.status >= 300) return this.httpFailure(res, signal);

    const assembler = new MessageAssembler(request.model);
    const isJson = /application\/json/i.test(res.headers["content-type"] ?? "");
    let outcome: ReadOutcome;
    if (!streaming || isJson) {
      const pending: ProviderEvent[] = [];
      outcome = await readJsonResponse(res, assembler, (e) => pending.push(e), signal);
      yield* pending;
    } else {
      const idleMs = positive(this.env.CLAW_STREAM_IDLE_TIMEOUT_MS) ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
      outcome = yield* readSseResponse(res, assembler, { idleMs, signal });
    }
    return outcome.kind === "fault" ? this.streamFailure(outcome.fault, assembler) : outcome;
  }

  private async httpFailure(res: HttpResponse, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    let text = "";
    try {
      text = await readBody(res.body, 64 * 1024);
    } catch {
      if (signal?.aborted) return { kind: "aborted" };
    }
    const body = parseErrorBody(text);
    const status = res.status;
    if (status === 401) return { kind: "unauthorized", status, body };
    const errorKind = kindForStatus(status, body.message);
    const explained = explainHttpError(status, body, this.auth);
    if (isPromptTooLong(status, body.message) || !isRetryableStatus(status, res.headers)) {
      return { kind: "fatal", error: apiError(errorKind, sentence(explained), this.auth, status) };
    }
    return {
      kind: "retry",
      errorKind,
      status,
      reason: `the API answered ${status}${body.type ? ` ${body.type}` : ""}`,
      explained,
      serverDelayMs: serverRequestedDelay(res.headers),
    };
  }

  private streamFailure(fault: StreamFault, assembler: MessageAssembler): AttemptOutcome {
    if (!fault.retryable) {
      const kind = fault.kind;
      const hint =
        kind === "prompt_too_long" ? " Compact the conversation (/compact) or start a new session." : "";
      return {
        kind: "fatal",
        error: apiError(kind, `The API stopped the response: ${fault.reason}.${hint}`, this.auth),
      };
    }
    if (assembler.toolCompleted) {
      // A finished tool call from a broken message is never run, and retrying silently could repeat work.
      const message = `The response stream broke after a tool call was complete (${fault.reason}); the tool was not run. Try again.`;
      return { kind: "fatal", error: apiError("stream", message, this.auth) };
    }
    const kind =
      fault.kind === "overloaded" || fault.kind === "rate_limit" || fault.kind === "server"
        ? fault.kind
        : fault.kind === "network"
          ? "network"
          : "stream";
    return {
      kind: "retry",
      errorKind: kind,
      reason: fault.reason,
      explained: { what: `The response stream broke: ${fault.reason}`, advice: STREAM_ADVICE },
    };
  }
}

function aborted(): ProviderEvent {
  return { type: "error", error: { kind: "aborted", message: "Request cancelled." } };
}

function positive(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function oneLineOf(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}
