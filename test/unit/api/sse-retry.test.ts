// The SSE decoder and the retry policy helpers.
import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  isRetryableStatus,
  retrySettings,
  serverRequestedDelay,
  sleep,
} from "../../../src/api/retry.js";
import { SseDecoder } from "../../../src/api/sse.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("SseDecoder", () => {
  it("splits events across chunks, CRLF and multi-line data, skipping comments", () => {
    const d = new SseDecoder();
    const out = [
      ...d.push(bytes(': hello\r\nevent: a\r\ndata: {"x"')),
      ...d.push(bytes(":1}\r\n\r\nevent: b\ndata: one\ndata: two\n\n")),
      ...d.push(bytes("data: plain\n\n")),
    ];
    expect(out).toEqual([
      { event: "a", data: '{"x":1}' },
      { event: "b", data: "one\ntwo" },
      { event: "message", data: "plain" },
    ]);
  });

  it("keeps multi-byte characters split across chunks", () => {
    const d = new SseDecoder();
    const all = bytes("data: héllo ✓\n\n");
    const out = [...d.push(all.slice(0, 8)), ...d.push(all.slice(8))];
    expect(out).toEqual([{ event: "message", data: "héllo ✓" }]);
  });

  it("discards an event not closed by a blank line at the end", () => {
    const d = new SseDecoder();
    expect(d.push(bytes("event: x\ndata: 1"))).toEqual([]);
    expect(d.end()).toEqual([]);
  });
});

describe("retry policy", () => {
  it("retries 408, 409, 429, 5xx and honours x-should-retry", () => {
    for (const s of [408, 409, 429, 500, 503, 529]) expect(isRetryableStatus(s, {})).toBe(true);
    for (const s of [400, 401, 403, 404, 413])
      expect(isRetryableStatus(s, { "x-should-retry": "true" })).toBe(false);
    expect(isRetryableStatus(529, { "x-should-retry": "false" })).toBe(false);
    expect(isRetryableStatus(418, { "x-should-retry": "true" })).toBe(true);
  });

  it("reads retry-after-ms, retry-after seconds and dates", () => {
    expect(serverRequestedDelay({ "retry-after-ms": "1500" })).toBe(1500);
    expect(serverRequestedDelay({ "retry-after": "2" })).toBe(2000);
    expect(serverRequestedDelay({ "retry-after": new Date(10_000).toUTCString() }, 4_000)).toBe(6_000);
    expect(serverRequestedDelay({})).toBeUndefined();
  });

  it("backs off exponentially with jitter up to the cap", () => {
    const s = retrySettings({});
    expect(s.baseMs).toBe(500);
    expect(backoffDelay(1, s, () => 0)).toBe(500);
    expect(backoffDelay(2, s, () => 0)).toBe(1000);
    expect(backoffDelay(10, s, () => 0)).toBe(8000);
    expect(backoffDelay(1, s, () => 1)).toBe(375);
    expect(retrySettings({ CLAW_RETRY_BASE_MS: "5" }).baseMs).toBe(5);
  });

  it("sleep is cancelled by the signal", async () => {
    const c = new AbortController();
    const pending = sleep(60_000, c.signal);
    c.abort();
    expect(await pending).toBe(false);
    expect(await sleep(1)).toBe(true);
  });
});
