// The idle watchdog: a response body that sends no bytes (pings count) for too long is destroyed, so a
// stalled proxy turns into a retryable error instead of a hang.
import type { IncomingMessage } from "node:http";

export class StreamIdleError extends Error {
  constructor(readonly idleMs: number) {
    super(`no data for ${Math.round(idleMs / 100) / 10} s`);
  }
}

/** How long a finished response may take to end before its connection is closed instead of reused. */
const DRAIN_LIMIT_MS = 1000;

/**
 * Reads what is left of a response whose message is complete (usually just the end of the chunked body), so
 * the keep-alive agent can reuse the connection: one TCP and TLS handshake per session, not per request.
 */
export function drainForReuse(body: IncomingMessage): void {
  const timer = setTimeout(() => body.destroy(), DRAIN_LIMIT_MS);
  const done = () => clearTimeout(timer);
  body.once("end", done).once("close", done).on("error", done);
  body.resume();
}

/** Default idle limit; env CLAW_STREAM_IDLE_TIMEOUT_MS overrides it. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 90_000;

/** Yields the body's chunks; throws StreamIdleError when `idleMs` pass without a byte. */
export async function* readWithIdleTimeout(body: IncomingMessage, idleMs: number): AsyncGenerator<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => body.destroy(new StreamIdleError(idleMs)), idleMs);
  };
  arm();
  try {
    // Not destroyed when the reader stops early: after message_stop the caller drains the rest, so the
    // connection goes back to the keep-alive pool.
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      arm();
      yield chunk;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}
