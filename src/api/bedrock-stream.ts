// Reads Bedrock's invoke-with-response-stream reply: AWS event-stream frames (length-prefixed, CRC-checked by the
// vendor codec), whose `chunk` events carry base64 Messages stream events and whose exception frames become
// stream faults of the usual kinds (throttling is a rate limit, and so on).

import { namedExports } from "../util/cjs-exports.js";
import { isRecord } from "../util/is-record.js";
import type { HttpResponse } from "./http-transport.js";
import type { FeedOutcome, MessageAssembler, StreamFault } from "./message-assembler.js";
import { oneLine } from "./message-assembler.js";
import { type ReadOutcome, readFramedResponse, type StreamFramer } from "./response-reader.js";
import type { ProviderEvent } from "./types.js";

/** Frames larger than this are not Bedrock's (its chunks are small): the length field is corrupt. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** total length (4) + headers length (4) + prelude CRC (4) + message CRC (4). */
const MIN_FRAME_BYTES = 16;

type HeaderValue = { type: string; value: unknown };
interface DecodedFrame {
  headers: Record<string, HeaderValue>;
  body: Uint8Array;
}
interface FrameDecoder {
  decode(frame: ArrayBufferView): DecodedFrame;
}

async function loadDecoder(): Promise<FrameDecoder> {
  const [{ EventStreamCodec }, { toUtf8, fromUtf8 }] = await Promise.all([
    import("@smithy/eventstream-codec").then(namedExports),
    import("@smithy/util-utf8").then(namedExports),
  ]);
  return new EventStreamCodec(toUtf8, fromUtf8) as unknown as FrameDecoder;
}

export async function* readEventStreamResponse(
  res: HttpResponse,
  assembler: MessageAssembler,
  options: { idleMs: number; signal?: AbortSignal },
): AsyncGenerator<ProviderEvent, ReadOutcome> {
  const decoder = await loadDecoder();
  return yield* readFramedResponse(res, assembler, options, new EventStreamFramer(decoder, assembler));
}

class EventStreamFramer implements StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(
    private readonly decoder: FrameDecoder,
    private readonly assembler: MessageAssembler,
  ) {}

  push(chunk: Buffer, emit: (event: ProviderEvent) => void): FeedOutcome {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const total = this.buffer.readUInt32BE(0);
      if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES)
        return fault("Bedrock sent a corrupt event-stream frame (impossible length)");
      if (this.buffer.length < total) break;
      const frame = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      let decoded: DecodedFrame;
      try {
        decoded = this.decoder.decode(frame);
      } catch {
        return fault("Bedrock sent a corrupt event-stream frame (checksum mismatch)");
      }
      const outcome = this.frame(decoded, emit);
      if (outcome.kind !== "continue") return outcome;
    }
    return { kind: "continue" };
  }

  end(): FeedOutcome {
    // A partial frame at the end is dropped; the reader then reports an incomplete message.
    return { kind: "continue" };
  }

  private frame(frame: DecodedFrame, emit: (event: ProviderEvent) => void): FeedOutcome {
    const header = (name: string) => {
      const value = frame.headers[name]?.value;
      return typeof value === "string" ? value : undefined;
    };
    const messageType = header(":message-type") ?? "event";
    const body = Buffer.from(frame.body).toString("utf8");
    if (messageType === "exception")
      return { kind: "fault", fault: exceptionFault(header(":exception-type") ?? "exception", body) };
    if (messageType === "error")
      return {
        kind: "fault",
        fault: exceptionFault(
          header(":error-code") ?? "error",
          JSON.stringify({ message: header(":error-message") }),
        ),
      };
    if (header(":event-type") !== "chunk") return { kind: "continue" };
    let event: unknown;
    try {
      const payload: unknown = JSON.parse(body);
      const bytes = isRecord(payload) && typeof payload.bytes === "string" ? payload.bytes : "";
      event = JSON.parse(Buffer.from(bytes, "base64").toString("utf8"));
    } catch {
      return fault("Bedrock sent a chunk that is not a valid stream event");
    }
    if (isRecord(event) && event.type !== "error" && event.type !== "ping") emit({ type: "raw", event });
    return this.assembler.feed(event, emit);
  }
}

function fault(reason: string): FeedOutcome {
  return { kind: "fault", fault: { reason, kind: "stream", retryable: true } };
}

/** Bedrock's exception types → our fault kinds (names as the service sends them, first letter either case). */
export function exceptionFault(type: string, body: string): StreamFault {
  let message = "";
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      const text = parsed.message ?? parsed.Message;
      if (typeof text === "string") message = oneLine(text);
    }
  } catch {
    // not JSON: the type alone says enough
  }
  const reason = message ? `${type}: ${message}` : type;
  const name = type.toLowerCase();
  if (/too long|too many tokens|input is too long/i.test(message))
    return { reason, kind: "prompt_too_long", retryable: false };
  if (name.startsWith("throttling") || name.startsWith("toomanyrequests"))
    return { reason, kind: "rate_limit", retryable: true };
  if (name.startsWith("serviceunavailable")) return { reason, kind: "overloaded", retryable: true };
  if (name.startsWith("validation") || name.startsWith("resourcenotfound"))
    return { reason, kind: "invalid_request", retryable: false };
  if (name.startsWith("accessdenied") || name.startsWith("unrecognizedclient"))
    return { reason, kind: "auth", retryable: false };
  // internalServerException, modelStreamErrorException, modelTimeoutException and anything new.
  return { reason, kind: "server", retryable: true };
}
