// Reads one successful (2xx) response body into ProviderEvents: an SSE stream under the idle watchdog, or a
// JSON message (non-streaming retry, or a proxy that ignored `stream: true`). Says how the body ended.

import { isRecord } from "../util/is-record.js";
import type { HttpResponse } from "./http-transport.js";
import { readBody } from "./http-transport.js";
import {
  eventsFromJsonMessage,
  type FeedOutcome,
  type MessageAssembler,
  type StreamFault,
} from "./message-assembler.js";
import { SseDecoder, type SseMessage } from "./sse.js";
import { drainForReuse, readWithIdleTimeout, StreamIdleError } from "./stream-watchdog.js";
import type { ProviderEvent } from "./types.js";

export type ReadOutcome =
  | { kind: "done" }
  | { kind: "aborted" }
  /** 200 and not one event: worth one retry without streaming. */
  | { kind: "empty" }
  | { kind: "fault"; fault: StreamFault };

const fault = (reason: string, kind: StreamFault["kind"] = "stream"): ReadOutcome => ({
  kind: "fault",
  fault: { reason, kind, retryable: true },
});

/**
 * Reads a Messages API reply (Anthropic's endpoint, Vertex's streamRawPredict): SSE, or one JSON message when
 * streaming was not asked for or a proxy ignored `stream: true`.
 */
export async function* readMessagesResponse(
  res: HttpResponse,
  assembler: MessageAssembler,
  options: { idleMs: number; signal?: AbortSignal; streaming: boolean },
): AsyncGenerator<ProviderEvent, ReadOutcome> {
  const isJson = /application\/json/i.test(res.headers["content-type"] ?? "");
  if (options.streaming && !isJson) return yield* readSseResponse(res, assembler, options);
  const pending: ProviderEvent[] = [];
  const outcome = await readJsonResponse(res, assembler, (e) => pending.push(e), options.signal);
  yield* pending;
  return outcome;
}

/** Streams the SSE body; events are yielded as each chunk is parsed, message_end last. */
export function readSseResponse(
  res: HttpResponse,
  assembler: MessageAssembler,
  options: { idleMs: number; signal?: AbortSignal },
  handler: SseHandler = messagesSse,
): AsyncGenerator<ProviderEvent, ReadOutcome> {
  const decoder = new SseDecoder();
  const take = (messages: SseMessage[], emit: (event: ProviderEvent) => void): FeedOutcome => {
    for (const message of messages) {
      const result = handler.message(message, assembler, emit);
      if (result.kind !== "continue") return result;
    }
    return { kind: "continue" };
  };
  return readFramedResponse(res, assembler, options, {
    push: (chunk, emit) => take(decoder.push(chunk), emit),
    end: (emit) => {
      const last = take(decoder.end(), emit);
      return last.kind === "continue" && handler.end ? handler.end(assembler, emit) : last;
    },
  });
}

/** Splits a body into a wire format's frames and feeds them to the assembler (SSE, AWS event stream). */
export interface StreamFramer {
  /** Takes a chunk; processes every frame it completes. */
  push(chunk: Buffer, emit: (event: ProviderEvent) => void): FeedOutcome;
  /** The body ended cleanly: a frame left incomplete is dropped; a last chance to say "complete". */
  end(emit: (event: ProviderEvent) => void): FeedOutcome;
}

/**
 * Reads a streamed body under the idle watchdog; events are yielded as each chunk is parsed, message_end
 * last. A finished body is drained so its connection is reused; a broken one is destroyed.
 */
export async function* readFramedResponse(
  res: HttpResponse,
  assembler: MessageAssembler,
  options: { idleMs: number; signal?: AbortSignal },
  framer: StreamFramer,
): AsyncGenerator<ProviderEvent, ReadOutcome> {
  const pending: ProviderEvent[] = [];
  const emit = (event: ProviderEvent) => pending.push(event);
  let broken: StreamFault | undefined;
  let complete = false;
  const note = (result: FeedOutcome) => {
    if (result.kind === "complete") complete = true;
    else if (result.kind === "fault") broken = result.fault;
  };
  try {
    for await (const chunk of readWithIdleTimeout(res.body, options.idleMs)) {
      note(framer.push(chunk, emit));
      yield* pending.splice(0);
      if (complete || broken) break;
    }
    if (!complete && !broken) note(framer.end(emit));
  } catch (error) {
    if (options.signal?.aborted) return { kind: "aborted" };
    broken =
      error instanceof StreamIdleError
        ? { reason: `the stream stalled (${error.message})`, kind: "stream", retryable: true }
        : {
            reason: `the connection was lost mid-stream (${errorCode(error)})`,
            kind: "network",
            retryable: true,
          };
  } finally {
    if (!res.body.readableEnded) {
      if (complete && !broken) drainForReuse(res.body);
      else res.body.destroy();
    }
  }
  yield* pending.splice(0);
  if (options.signal?.aborted) return { kind: "aborted" };
  if (broken) return { kind: "fault", fault: broken };
  // message_delta carried a stop_reason: the message is complete even without message_stop.
  if (complete || assembler.stopReason !== undefined) {
    const message = assembler.finish(emit);
    yield* pending.splice(0);
    yield { type: "message_end", message };
    return { kind: "done" };
  }
  if (!assembler.sawAnyEvent) return { kind: "empty" };
  return fault("the stream ended before the message was complete");
}

/** Turns SSE messages of one wire format into Messages stream events for the assembler. */
export interface SseHandler {
  message(
    message: SseMessage,
    assembler: MessageAssembler,
    emit: (event: ProviderEvent) => void,
  ): FeedOutcome;
  /** The body ended cleanly without the handler having said "complete": a last chance to finish. */
  end?(assembler: MessageAssembler, emit: (event: ProviderEvent) => void): FeedOutcome;
}

/** The Messages API's own events (Anthropic, Vertex). */
const messagesSse: SseHandler = { message: handleSse };

function handleSse(
  message: SseMessage,
  assembler: MessageAssembler,
  emit: (event: ProviderEvent) => void,
): FeedOutcome {
  if (message.event === "ping") {
    assembler.sawAnyEvent = true;
    return { kind: "continue" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    // The line's content is never logged or shown: it may hold anything.
    return {
      kind: "fault",
      fault: {
        reason: "the API sent a stream event that is not valid JSON",
        kind: "stream",
        retryable: true,
      },
    };
  }
  if (message.event === "error" && isRecord(parsed) && parsed.type !== "error") {
    parsed = { type: "error", error: parsed };
  }
  if (isRecord(parsed) && parsed.type !== "error" && parsed.type !== "ping")
    emit({ type: "raw", event: parsed });
  return assembler.feed(parsed, emit);
}

/** Reads a whole JSON message and replays it as the events a stream would have produced. */
export async function readJsonResponse(
  res: HttpResponse,
  assembler: MessageAssembler,
  emit: (event: ProviderEvent) => void,
  signal: AbortSignal | undefined,
): Promise<ReadOutcome> {
  let text: string;
  try {
    text = await readBody(res.body);
  } catch (error) {
    if (signal?.aborted) return { kind: "aborted" };
    return fault(`the connection was lost (${errorCode(error)})`, "network");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fault("the API sent a reply that is not valid JSON");
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.content))
    return fault("the API sent a reply that is not a message");
  for (const event of eventsFromJsonMessage(parsed)) {
    emit({ type: "raw", event });
    assembler.feed(event, emit);
  }
  emit({ type: "message_end", message: assembler.finish(emit) });
  return { kind: "done" };
}

function errorCode(error: unknown): string {
  if (isRecord(error) && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : "error";
}
