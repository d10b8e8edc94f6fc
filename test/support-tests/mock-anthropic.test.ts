// Checks the shared mock server itself: SSE and JSON replies, the request log, the queue and faults.
import { afterEach, describe, expect, it } from "vitest";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";

let mock: MockAnthropic | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "k" },
    body: JSON.stringify(body),
  });
}

describe("mock anthropic", () => {
  it("streams a scripted text reply as SSE and logs the request", async () => {
    mock = await startMockAnthropic();
    mock.enqueue(reply.text("hello world", { chunks: 3 }));
    const res = await post(mock.url, { model: "m", stream: true, messages: [] });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text.match(/text_delta/g)).toHaveLength(3);
    expect(text).toContain("event: message_stop");
    expect(mock.requests[0]?.body.model).toBe("m");
    expect(mock.requests[0]?.headers["x-api-key"]).toBe("k");
  });

  it("answers JSON for non-streaming requests and a default when the queue is empty", async () => {
    mock = await startMockAnthropic();
    mock.enqueue(reply.toolUse({ name: "Read", input: { file_path: "a" } }));
    const first = (await (await post(mock.url, { stream: false })).json()) as Record<string, unknown>;
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toMatchObject([{ type: "tool_use", name: "Read", input: { file_path: "a" } }]);
    const second = (await (await post(mock.url, {})).json()) as { content: Array<{ text: string }> };
    expect(second.content[0]?.text).toBe("mock: no scripted reply");
  });

  it("serves HTTP faults with headers and uses a handler", async () => {
    mock = await startMockAnthropic({
      handler: (req) => (req.body?.model === "special" ? reply.status(418) : undefined),
    });
    mock.enqueue(reply.rateLimited({ retryAfter: 2 }));
    const res = await post(mock.url, {});
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect((await post(mock.url, { model: "special" })).status).toBe(418);
  });

  it("resets the connection mid-stream", async () => {
    mock = await startMockAnthropic();
    mock.enqueue(reply.resetMidStream());
    const res = await post(mock.url, { stream: true });
    await expect(res.text()).rejects.toThrow();
  });
});
