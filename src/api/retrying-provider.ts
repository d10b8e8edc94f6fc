// What every provider shares: the attempt loop with its retries (HTTP errors, broken streams, stalls), the
// headers deadline, the idle watchdog's settings, the 401 refresh, the proxy, and one-line errors. A provider
// only says how to address, sign and read its wire format (a ProviderWire), so each guarantee holds for each.

import { ProxyConfigError, proxyFor } from "../util/proxy.js";
import {
  afterAttempts,
  apiError,
  capitalised,
  type ErrorContext,
  type Explained,
  explainHttpError,
  httpErrorMessage,
  isPromptTooLong,
  kindForStatus,
  parseErrorBody,
  redact,
  sentence,
} from "./api-errors.js";
import { type HttpResponse, postJson, readBody, TransportError } from "./http-transport.js";
import { MessageAssembler, type StreamFault } from "./message-assembler.js";
import type { ReadOutcome } from "./response-reader.js";
import { backoffDelay, isRetryableStatus, retrySettings, serverRequestedDelay, sleep } from "./retry.js";
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS } from "./stream-watchdog.js";
import type { ApiError, ApiErrorKind, ModelRequest, Provider, ProviderEvent } from "./types.js";

const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
/** A non-streaming reply only starts once the whole message is generated. */
const NON_STREAMING_TIMEOUT_MS = 10 * 60_000;

/** Credentials could not be had (no AWS profile, no ADC, a token endpoint refused): one line, no stack. */
export class CredentialError extends Error {
  constructor(
    message: string,
    /** A passing failure (a token endpoint's 5xx, a timeout) worth the usual retries. */
    readonly retryable = false,
  ) {
    super(message);
  }
}

export interface ReadOptions {
  idleMs: number;
  signal?: AbortSignal;
  /** False for the one non-streaming retry after an empty stream. */
  streaming: boolean;
}

/** How one provider speaks: where to send, what to send, how to read the answer. */
export interface ProviderWire {
  /** Names the service and credential in messages (it may change after a 401 refresh). */
  errors(): ErrorContext;
  /** The request URL; a string is a one-line configuration error. */
  endpoint(request: ModelRequest, options: { streaming: boolean }): URL | string;
  /** Headers and body of one attempt, built per attempt (signatures and tokens expire). May throw CredentialError. */
  prepare(
    url: URL,
    request: ModelRequest,
    options: { streaming: boolean; signal?: AbortSignal },
  ): Promise<{ headers: Record<string, string>; body: string }>;
  /** Reads a 2xx body into events; says how it ended. */
  read(
    res: HttpResponse,
    assembler: MessageAssembler,
    options: ReadOptions,
  ): AsyncGenerator<ProviderEvent, ReadOutcome>;
  /** An empty stream is asked once more without streaming (only where the endpoint can answer in JSON). */
  canAnswerWithoutStreaming: boolean;
  /** After a 401: switch to fresh credentials and return true, or false when there are none. Called once. */
  refreshAfterUnauthorized?(): Promise<boolean>;
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

export function createRetryingProvider(
  wire: ProviderWire,
  env: NodeJS.ProcessEnv,
  serverTools?: Provider["serverTools"],
): Provider {
  return new RetryingProvider(wire, env, serverTools);
}

class RetryingProvider implements Provider {
  constructor(
    private readonly wire: ProviderWire,
    private readonly env: NodeJS.ProcessEnv,
    readonly serverTools?: Provider["serverTools"],
  ) {}

  stream(request: ModelRequest): AsyncIterable<ProviderEvent> {
    return this.run(request);
  }

  private get ctx(): ErrorContext {
    return this.wire.errors();
  }

  private streamAdvice(): string {
    return `Try again; if it keeps happening, check the proxy or gateway at ${this.ctx.baseUrlVar}.`;
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
          `Unexpected error while talking to ${this.ctx.service}: ${oneLineOf(detail)}`,
          this.ctx,
        ),
      };
    }
  }

  private async *attempts(request: ModelRequest): AsyncGenerator<ProviderEvent> {
    const { signal } = request;
    const settings = retrySettings(this.env);
    let streaming = true;
    let emptyRetried = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return yield aborted();
      const url = this.wire.endpoint(request, { streaming });
      if (typeof url === "string")
        return yield { type: "error", error: { kind: "invalid_request", message: url } };
      let proxy: URL | undefined;
      try {
        proxy = proxyFor(url, this.env);
      } catch (error) {
        if (!(error instanceof ProxyConfigError)) throw error;
        yield { type: "error", error: { kind: "invalid_request", message: `${error.message}.` } };
        return;
      }
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
          if (!emptyRetried && this.wire.canAnswerWithoutStreaming) {
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
          if (!refreshed && this.wire.refreshAfterUnauthorized) {
            refreshed = true;
            if (await this.wire.refreshAfterUnauthorized().catch(() => false)) {
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
          const message = httpErrorMessage(outcome.status, outcome.body, this.ctx);
          return yield { type: "error", error: apiError("auth", message, this.ctx, outcome.status) };
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
              explained: {
                what: `${capitalised(this.ctx.service)} sent empty responses`,
                advice: this.streamAdvice(),
              },
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
          error: apiError(failure.errorKind, message, this.ctx, failure.status),
        };
      }
      if (attempt >= settings.maxAttempts) {
        const message = afterAttempts(attempt, sentence(failure.explained));
        return yield {
          type: "error",
          error: apiError(failure.errorKind, message, this.ctx, failure.status),
        };
      }
      const delayMs = failure.serverDelayMs ?? backoffDelay(attempt, settings);
      yield {
        type: "retry",
        attempt: attempt + 1,
        delayMs,
        reason: redact(failure.reason, this.ctx),
        maxAttempts: settings.maxAttempts,
      };
      if (!(await sleep(delayMs, signal))) return yield aborted();
    }
  }

  /** One HTTP exchange. Events are yielded live; the outcome says whether and how to go on. */
  private async *attempt(
    url: URL,
    proxy: URL | undefined,
    request: ModelRequest,
    streaming: boolean,
  ): AsyncGenerator<ProviderEvent, AttemptOutcome> {
    const { signal } = request;
    const headersTimeoutMs = positive(this.env.CLAW_HEADERS_TIMEOUT_MS) ?? DEFAULT_HEADERS_TIMEOUT_MS;
    let res: HttpResponse;
    try {
      const { headers, body } = await this.wire.prepare(url, request, { streaming, signal });
      res = await postJson(url, headers, body, {
        signal,
        proxy,
        headersTimeoutMs: streaming ? headersTimeoutMs : Math.max(headersTimeoutMs, NON_STREAMING_TIMEOUT_MS),
      });
    } catch (error) {
      if (signal?.aborted || (error instanceof TransportError && error.kind === "aborted"))
        return { kind: "aborted" };
      if (error instanceof CredentialError) return this.credentialFailure(error);
      // A header Node refuses to send (an API key with a newline in it) fails the same way every time.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ERR_INVALID_CHAR" || code === "ERR_INVALID_HTTP_TOKEN")
        return {
          kind: "fatal",
          error: apiError(
            "auth",
            "A request header holds a character HTTP does not allow (a newline or control character in the API key or a custom header?). Fix the value and try again.",
            this.ctx,
          ),
        };
      if (error instanceof RangeError)
        // Building the request failed here, not on the network (a conversation nested too deeply to
        // serialise): trying again would fail the same way.
        return {
          kind: "fatal",
          error: apiError(
            "invalid_request",
            `The request could not be built (${error.message}): the conversation holds something nested too deeply to send. Start a new session or rewind past it.`,
            this.ctx,
          ),
        };
      const detail = error instanceof Error ? error.message : String(error);
      const timeout = error instanceof TransportError && error.kind === "headers_timeout";
      const service = capitalised(this.ctx.service);
      return {
        kind: "retry",
        errorKind: "network",
        reason: timeout ? detail : `connection failed (${detail})`,
        explained: {
          what: timeout
            ? `${service} at ${url.host} sent no response (${detail})`
            : `Could not reach ${this.ctx.service} at ${url.host}${proxy ? ` through the proxy ${proxy.host}` : ""} (${detail})`,
          advice: proxy
            ? `Check HTTPS_PROXY / HTTP_PROXY (or NO_PROXY), ${this.ctx.baseUrlVar} and your network.`
            : `Check ${this.ctx.baseUrlVar} and your network.`,
        },
      };
    }

    if (res.status < 200 || res.status >= 300) return this.httpFailure(res, signal);

    const assembler = new MessageAssembler(request.model);
    const idleMs = positive(this.env.CLAW_STREAM_IDLE_TIMEOUT_MS) ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    const outcome = yield* this.wire.read(res, assembler, { idleMs, signal, streaming });
    return outcome.kind === "fault" ? this.streamFailure(outcome.fault, assembler) : outcome;
  }

  private credentialFailure(error: CredentialError): AttemptOutcome {
    if (!error.retryable) return { kind: "fatal", error: apiError("auth", error.message, this.ctx) };
    const what = error.message.replace(/\.$/, "");
    return {
      kind: "retry",
      errorKind: "network",
      reason: what,
      explained: { what, advice: "Check your network and try again." },
    };
  }

  private async httpFailure(res: HttpResponse, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    let text = "";
    try {
      text = await readBody(res.body, 64 * 1024);
    } catch {
      if (signal?.aborted) return { kind: "aborted" };
    }
    const body = parseErrorBody(text);
    // AWS names the error in a header ("ThrottlingException:http://...").
    const amzType = res.headers["x-amzn-errortype"]?.split(":")[0];
    if (!body.type && amzType) body.type = amzType;
    const status = res.status;
    if (status === 401) return { kind: "unauthorized", status, body };
    const errorKind = kindForStatus(status, body.message);
    const explained = explainHttpError(status, body, this.ctx);
    if (isPromptTooLong(status, body.message) || !isRetryableStatus(status, res.headers)) {
      return { kind: "fatal", error: apiError(errorKind, sentence(explained), this.ctx, status) };
    }
    return {
      kind: "retry",
      errorKind,
      status,
      reason: `${this.ctx.service} answered ${status}${body.type ? ` ${body.type}` : ""}`,
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
        error: apiError(
          kind,
          `${capitalised(this.ctx.service)} stopped the response: ${fault.reason}.${hint}`,
          this.ctx,
        ),
      };
    }
    if (assembler.toolCompleted) {
      // A finished tool call from a broken message is never run, and retrying silently could repeat work.
      const message = `The response stream broke after a tool call was complete (${fault.reason}); the tool was not run. Try again.`;
      return { kind: "fatal", error: apiError("stream", message, this.ctx) };
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
      explained: { what: `The response stream broke: ${fault.reason}`, advice: this.streamAdvice() },
    };
  }
}

function aborted(): ProviderEvent {
  return { type: "error", error: { kind: "aborted", message: "Request cancelled." } };
}

export function positive(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function oneLineOf(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}
