// The provider's retries and stream-fault handling (FAULTS.md A1–A14) against the mock server.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthSource } from "../../../src/api/auth-source.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../../support/mock-anthropic.js";
import { collect, finalText, ofType, provider, request } from "./provider-helpers.js";

let mock: MockAnthropic;
beforeEach(async () => {
  mock = await startMockAnthropic();
});
afterEach(async () => {
  await mock.close();
});

const errorOf = (events: Awaited<ReturnType<typeof collect>>) => ofType(events, "error")[0]?.error;

describe("a request that cannot be built", () => {
  it("fails at once, without retries or a request, when the conversation nests too deeply to serialise", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const messages = [
      { role: "user" as const, content: [{ type: "text" as const, text: "hi", extra: deep }] },
    ] as unknown as ReturnType<typeof request>["messages"];
    const events = await collect(provider(mock.url).stream(request({ messages })));
    expect(ofType(events, "retry")).toEqual([]);
    expect(errorOf(events)?.kind).toBe("invalid_request");
    expect(errorOf(events)?.message).toMatch(/could not be built.*nested too deeply/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("HTTP errors", () => {
  it("retries 429 honouring retry-after-ms, then succeeds", async () => {
    mock.enqueue(
      reply.rateLimited({ retryAfterMs: 20 }),
      reply.rateLimited({ retryAfter: "0.02" }),
      reply.text("ok"),
    );
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry").map((e) => [e.attempt, e.delayMs])).toEqual([
      [2, 20],
      [3, 20],
    ]);
    expect(finalText(events)).toBe("ok");
    expect(mock.requests).toHaveLength(3);
  });

  it("honours retry-after given as an HTTP date", async () => {
    mock.enqueue(
      reply.rateLimited({ retryAfter: new Date(Date.now() - 1000).toUTCString() }),
      reply.text("ok"),
    );
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")[0]?.delayMs).toBe(0);
    expect(finalText(events)).toBe("ok");
  });

  it("fails fast when the server asks for a wait over 60 s, with its reason", async () => {
    mock.enqueue(reply.rateLimited({ retryAfter: 3600 }), reply.text("never"));
    const events = await collect(provider(mock.url).stream(request()));
    const error = errorOf(events);
    expect(error?.kind).toBe("rate_limit");
    expect(error?.status).toBe(429);
    expect(error?.message).toMatch(/rate limit/i);
    expect(error?.message).toMatch(/3600 s/);
    expect(mock.requests).toHaveLength(1);
  });

  it.each([408, 409, 500, 502, 503, 529])("retries %i with backoff", async (status) => {
    mock.enqueue(reply.status(status), reply.text("ok"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")).toHaveLength(1);
    expect(finalText(events)).toBe("ok");
  });

  it("does not retry 529 with x-should-retry: false and says the API is overloaded", async () => {
    mock.enqueue(reply.overloaded({ shouldRetry: false }), reply.text("never"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(errorOf(events)?.kind).toBe("overloaded");
    expect(errorOf(events)?.message).toMatch(/overloaded/i);
    expect(mock.requests).toHaveLength(1);
  });

  it("retries a status it would not by default when x-should-retry: true", async () => {
    mock.enqueue(reply.status(418, { headers: { "x-should-retry": "true" } }), reply.text("ok"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(finalText(events)).toBe("ok");
  });

  it("gives up after the attempt budget", async () => {
    const p = provider(mock.url, { env: { CLAW_MAX_ATTEMPTS: "3" } });
    mock.enqueue(reply.status(500), reply.status(500), reply.status(500), reply.text("never"));
    const events = await collect(p.stream(request()));
    expect(errorOf(events)?.kind).toBe("server");
    expect(errorOf(events)?.message).toMatch(/after 3 attempts/);
    expect(mock.requests).toHaveLength(3);
  });

  it.each([400, 403, 404, 413])("does not retry %i", async (status) => {
    mock.enqueue(reply.status(status), reply.text("never"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "error")).toHaveLength(1);
    expect(mock.requests).toHaveLength(1);
  });

  it.each([400, 413] as const)("reports prompt too long (%i) as its own kind", async (status) => {
    mock.enqueue(reply.promptTooLong(status));
    const events = await collect(provider(mock.url).stream(request()));
    expect(errorOf(events)?.kind).toBe("prompt_too_long");
    expect(mock.requests).toHaveLength(1);
  });

  it("names the credential on 401 and 403, never its value, even when the server echoes it", async () => {
    const auth = new AuthSource("sk-secret-value-42", undefined, ["ANTHROPIC_API_KEY"]);
    mock.enqueue(reply.unauthorized("invalid x-api-key sk-secret-value-42"));
    const events = await collect(provider(mock.url, { auth }).stream(request()));
    const error = errorOf(events);
    expect(error?.kind).toBe("auth");
    expect(error?.message).toContain("ANTHROPIC_API_KEY");
    expect(error?.message).not.toContain("sk-secret-value-42");
    // No `oauth` block in settings: `claw login` could not help, so the advice names only the variable.
    expect(error?.message).toContain("Set ANTHROPIC_API_KEY to a valid API key.");
    expect(error?.message).not.toContain("claw login");
    expect(mock.requests).toHaveLength(1);

    auth.loginConfigured = true;
    mock.enqueue(reply.unauthorized("invalid x-api-key"));
    const withLogin = errorOf(await collect(provider(mock.url, { auth }).stream(request())));
    expect(withLogin?.message).toContain("or unset it and run `claw login`");

    mock.enqueue(reply.status(403, { errorType: "permission_error", message: "no access" }));
    const token = new AuthSource(undefined, "tok-secret-9", ["ANTHROPIC_AUTH_TOKEN"]);
    const forbidden = errorOf(await collect(provider(mock.url, { auth: token }).stream(request())));
    expect(forbidden?.message).toContain("ANTHROPIC_AUTH_TOKEN");
    expect(forbidden?.message).not.toContain("tok-secret-9");
  });

  it("on 401 asks onUnauthorized once and retries with the new credentials", async () => {
    const fresh = AuthSource.fromOAuthToken("fresh-token");
    const stale = AuthSource.fromOAuthToken("stale-token");
    let calls = 0;
    stale.onUnauthorized = async () => {
      calls++;
      return fresh;
    };
    mock.enqueue(reply.unauthorized("OAuth token has expired"), reply.text("ok"));
    const events = await collect(provider(mock.url, { auth: stale }).stream(request()));
    expect(calls).toBe(1);
    expect(finalText(events)).toBe("ok");
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer stale-token",
      "Bearer fresh-token",
    ]);
  });

  it("a second 401 after a refresh ends with `claw login`, with no loop", async () => {
    const stale = AuthSource.fromOAuthToken("stale-token");
    let calls = 0;
    stale.onUnauthorized = async () => {
      calls++;
      const next = AuthSource.fromOAuthToken("still-bad");
      next.onUnauthorized = async () => {
        calls++;
        return AuthSource.fromOAuthToken("never-used");
      };
      return next;
    };
    mock.enqueue(reply.unauthorized("expired"), reply.unauthorized("expired"), reply.text("never"));
    const events = await collect(provider(mock.url, { auth: stale }).stream(request()));
    expect(calls).toBe(1);
    expect(errorOf(events)?.kind).toBe("auth");
    expect(errorOf(events)?.message).toContain("claw login");
    expect(mock.requests).toHaveLength(2);
  });

  it("when onUnauthorized has nothing, fails at once", async () => {
    const stale = AuthSource.fromOAuthToken("stale-token");
    stale.onUnauthorized = async () => undefined;
    mock.enqueue(reply.unauthorized("expired"));
    const events = await collect(provider(mock.url, { auth: stale }).stream(request()));
    expect(errorOf(events)?.message).toMatch(/saved login.*claw login/);
    expect(mock.requests).toHaveLength(1);
  });
});

describe("broken streams", () => {
  it("retries from scratch after an overloaded_error event mid-stream (A3)", async () => {
    mock.enqueue(reply.streamError({ afterText: "partial answer" }), reply.text("full answer"));
    const events = await collect(provider(mock.url).stream(request()));
    const kinds = events.map((e) => e.type);
    expect(kinds.indexOf("retry")).toBeGreaterThan(kinds.indexOf("text_delta"));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/overloaded_error/);
    expect(finalText(events)).toBe("full answer");
    expect(ofType(events, "message_end")).toHaveLength(1);
    expect(mock.requests).toHaveLength(2);
  });

  it.each(["error", "reset", "bad_json", "stall"] as const)(
    "does not retry once a tool call completed (%s); the error says it was not run",
    async (fault) => {
      const message = reply.toolUse({ name: "Bash", input: { command: "rm -rf build" }, text: "Cleaning." });
      mock.enqueue(reply.interrupted(message, { fault }), reply.text("never"));
      const events = await collect(provider(mock.url).stream(request()));
      expect(ofType(events, "tool_use_end")).toHaveLength(1);
      expect(ofType(events, "message_end")).toHaveLength(0);
      expect(ofType(events, "retry")).toHaveLength(0);
      expect(errorOf(events)?.kind).toBe("stream");
      expect(errorOf(events)?.message).toMatch(/tool was not run/);
      expect(mock.requests).toHaveLength(1);
    },
  );

  it("retries when the stream breaks inside a tool call that never completed", async () => {
    const message = reply.toolUse({ name: "Bash", input: { command: "ls" }, chunks: 4 });
    mock.enqueue(reply.interrupted(message, { afterEvents: 4, fault: "reset" }), reply.text("fine"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "tool_use_start")).toHaveLength(1);
    expect(ofType(events, "tool_use_end")).toHaveLength(0);
    expect(finalText(events)).toBe("fine");
  });

  it("retries after a socket reset mid-stream (A4)", async () => {
    mock.enqueue(reply.resetMidStream(), reply.text("recovered"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/connection was lost/);
    expect(finalText(events)).toBe("recovered");
  });

  it("aborts a stalled stream after the idle limit and retries (A5)", async () => {
    mock.enqueue(reply.stall(), reply.text("after stall"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/stalled/);
    expect(finalText(events)).toBe("after stall");
  });

  it("aborts when headers arrive but no byte ever follows (A5)", async () => {
    mock.enqueue(reply.stallAfterHeaders(), reply.text("ok"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(finalText(events)).toBe("ok");
  });

  it("handles a data line that is not JSON like a broken stream, without its content (A6)", async () => {
    mock.enqueue(reply.badJson({ line: "{not json SECRET-LINE" }), reply.text("clean"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/not valid JSON/);
    expect(JSON.stringify(events)).not.toContain("SECRET-LINE");
    expect(finalText(events)).toBe("clean");
  });

  it("ends with a one-line stream error when bad JSON persists", async () => {
    const always = await startMockAnthropic({ handler: () => reply.badJson({ line: "{garbage SECRET" }) });
    try {
      const events = await collect(
        provider(always.url, { env: { CLAW_MAX_ATTEMPTS: "3" } }).stream(request()),
      );
      const error = errorOf(events);
      expect(error?.kind).toBe("stream");
      expect(error?.message).not.toContain("\n");
      expect(error?.message).not.toContain("SECRET");
      expect(always.requests).toHaveLength(3);
    } finally {
      await always.close();
    }
  });

  it.each([
    ["after content_block_stop", reply.endBeforeStopReason("cut ")],
    ["mid-block with no final blank line", reply.endMidBlock("cut ")],
  ])(
    "treats a stream that ends before a stop_reason as an error, never a success (A9: %s)",
    async (_n, cut) => {
      mock.enqueue(cut, cut, cut);
      const events = await collect(provider(mock.url, { env: { CLAW_MAX_ATTEMPTS: "3" } }).stream(request()));
      expect(ofType(events, "message_end")).toHaveLength(0);
      expect(errorOf(events)?.kind).toBe("stream");
      expect(errorOf(events)?.message).toMatch(/ended before the message was complete/);
    },
  );

  it("retries an empty stream once without streaming", async () => {
    mock.enqueue(reply.emptyStream(), reply.text("from json"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(finalText(events)).toBe("from json");
    expect(mock.requests.map((r) => r.body.stream)).toEqual([true, false]);
    expect(ofType(events, "message_end")).toHaveLength(1);
  });

  it("replays a non-streaming tool call as the same events a stream gives", async () => {
    mock.enqueue(reply.emptyStream(), reply.toolUse({ name: "Read", id: "t9", input: { file_path: "x" } }));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "tool_use_start")[0]).toMatchObject({ id: "t9", name: "Read" });
    expect(ofType(events, "tool_use_end")[0]).toMatchObject({ id: "t9", input: { file_path: "x" } });
    expect(ofType(events, "message_end")[0]?.message.stopReason).toBe("tool_use");
  });

  it("retries a connection accepted with no headers after the header timeout (A13)", async () => {
    mock.enqueue(reply.noHeaders(), reply.text("ok"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(ofType(events, "retry")[0]?.reason).toMatch(/no response headers/);
    expect(finalText(events)).toBe("ok");
  });

  it("retries a connection reset before any response", async () => {
    mock.enqueue(reply.connectionReset(), reply.text("ok"));
    const events = await collect(provider(mock.url).stream(request()));
    expect(finalText(events)).toBe("ok");
  });

  it("reports an unreachable server as a network error after retries", async () => {
    const closed = await startMockAnthropic();
    const url = closed.url;
    await closed.close();
    const events = await collect(provider(url, { env: { CLAW_MAX_ATTEMPTS: "2" } }).stream(request()));
    expect(errorOf(events)?.kind).toBe("network");
    expect(errorOf(events)?.message).toMatch(/could not reach the API/i);
  });
});

describe("abort", () => {
  it("stops a stalled stream promptly with kind aborted", async () => {
    mock.enqueue(reply.stall());
    const controller = new AbortController();
    const p = provider(mock.url, { env: { CLAW_STREAM_IDLE_TIMEOUT_MS: "60000" } });
    const done = collect(p.stream(request({ signal: controller.signal })));
    await mock.waitForRequests(1);
    controller.abort();
    const events = await done;
    expect(errorOf(events)?.kind).toBe("aborted");
  });

  it("cancels a backoff sleep", async () => {
    mock.enqueue(reply.rateLimited({ retryAfter: 50 }));
    const controller = new AbortController();
    const events: string[] = [];
    const p = provider(mock.url);
    for await (const event of p.stream(request({ signal: controller.signal }))) {
      events.push(event.type === "error" ? `error:${event.error.kind}` : event.type);
      if (event.type === "retry") controller.abort();
    }
    expect(events).toEqual(["retry", "error:aborted"]);
    expect(mock.requests).toHaveLength(1);
  });

  it("does nothing when already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collect(provider(mock.url).stream(request({ signal: controller.signal })));
    expect(errorOf(events)?.kind).toBe("aborted");
    expect(mock.requests).toHaveLength(0);
  });
});
