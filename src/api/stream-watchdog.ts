// The idle watchdog: a response body that sends no bytes (pings count) for too long is destroyed, so a
// stalled proxy turns into a retryable error instead of a hang.
import type { IncomingMessage } from "node:http";

export class StreamIdleError extends Error {
  constructor(readonly idleMs: number) {
    super(`no data for ${Math.round(idleMs / 100) / 10} s`);
  }
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
    for await (const chunk of body as AsyncIterable<Buffer>) {
      arm();
      yield chunk;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}
