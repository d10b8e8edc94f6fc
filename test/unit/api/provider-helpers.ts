// Helpers for driving the Anthropic provider against the mock server in unit tests.
import { createAnthropicProvider } from "../../../src/api/anthropic-provider.js";
import { AuthSource } from "../../../src/api/auth-source.js";
import type { ModelRequest, Provider, ProviderEvent } from "../../../src/api/types.js";

/** Small limits so fault tests take milliseconds. */
export const FAST_ENV = {
  CLAW_RETRY_BASE_MS: "1",
  CLAW_STREAM_IDLE_TIMEOUT_MS: "300",
  CLAW_HEADERS_TIMEOUT_MS: "300",
};

export function provider(
  baseUrl: string,
  options: { auth?: AuthSource; env?: Record<string, string> } = {},
): Provider {
  return createAnthropicProvider({
    auth: options.auth ?? new AuthSource("sk-test-key-123", undefined, ["ANTHROPIC_API_KEY"]),
    baseUrl,
    env: { ...FAST_ENV, ...options.env },
  });
}

export function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: "claude-sonnet-4-5",
    maxTokens: 1000,
    system: ["You are a test."],
    messages: [{ role: "user", content: "hi" }],
    tools: [],
    ...overrides,
  };
}

export async function collect(stream: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export function ofType<T extends ProviderEvent["type"]>(
  events: ProviderEvent[],
  type: T,
): Array<Extract<ProviderEvent, { type: T }>> {
  return events.filter((e): e is Extract<ProviderEvent, { type: T }> => e.type === type);
}

/** Text of the events after the last retry (what a consumer keeps). */
export function finalText(events: ProviderEvent[]): string {
  const lastRetry = events.map((e) => e.type).lastIndexOf("retry");
  return ofType(events.slice(lastRetry + 1), "text_delta")
    .map((e) => e.text)
    .join("");
}
