// Retry policy for API calls: which failures are retried, how long to wait (server hints first, else
// exponential backoff with jitter), the attempt budget, and a sleep that the caller's signal cancels.

export interface RetrySettings {
  /** First backoff delay; doubles per retry. Env CLAW_RETRY_BASE_MS (tests make it tiny). */
  baseMs: number;
  /** Backoff ceiling (16 × base: 0.5 s → 8 s). */
  maxDelayMs: number;
  /** Total attempts per request, the first one included. Env CLAW_MAX_ATTEMPTS. */
  maxAttempts: number;
  /** Longest server-requested wait claw honours; a longer one fails fast with the server's reason. */
  maxServerWaitMs: number;
}

export function retrySettings(env: NodeJS.ProcessEnv): RetrySettings {
  const baseMs = positiveInt(env.CLAW_RETRY_BASE_MS) ?? 500;
  return {
    baseMs,
    maxDelayMs: baseMs * 16,
    maxAttempts: positiveInt(env.CLAW_MAX_ATTEMPTS) ?? 8,
    maxServerWaitMs: 60_000,
  };
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Backoff before retry number `retry` (1 = first retry): base·2^(retry−1), capped, minus up to 25% jitter. */
export function backoffDelay(
  retry: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  const raw = Math.min(settings.maxDelayMs, settings.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(raw * (1 - 0.25 * random()));
}

/** The wait the server asked for (retry-after-ms, else retry-after in seconds or as an HTTP date), in ms. */
export function serverRequestedDelay(
  headers: Record<string, string>,
  now: number = Date.now(),
): number | undefined {
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const after = headers["retry-after"];
  if (after !== undefined && after.trim() !== "") {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** Statuses that never succeed on a second try, whatever x-should-retry says. */
const NEVER_RETRIED = new Set([400, 401, 403, 404, 413, 422]);

/** Whether an HTTP error status is worth another attempt; x-should-retry (true/false) wins when present. */
export function isRetryableStatus(status: number, headers: Record<string, string>): boolean {
  if (NEVER_RETRIED.has(status)) return false;
  const hint = headers["x-should-retry"]?.trim().toLowerCase();
  if (hint === "false") return false;
  if (hint === "true") return true;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Waits `ms`; resolves false at once when the signal fires (before or during the wait). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
