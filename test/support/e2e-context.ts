// The usual end-to-end setup in one call: one mock Messages API per test file and a fresh sandbox per test,
// so e2e files do not repeat the same vitest hooks. Call setupMockApi() once, at the top level of the file.
//
// Usage:
//   const e2e = setupMockApi();
//   it("…", async () => {
//     e2e.mock.enqueue(reply.text("hi"));
//     const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
//   });
// Hooks registered here run before the file's own beforeAll/beforeEach hooks (vitest runs them in order).
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { makeSandbox, type Sandbox } from "./claw-runner.js";
import { type MockAnthropic, type MockAnthropicOptions, startMockAnthropic } from "./mock-anthropic.js";

export interface MockApiOptions extends MockAnthropicOptions {
  /** Prefix of each test's sandbox directory (default that of makeSandbox). */
  sandboxPrefix?: string;
}

export interface MockApiContext {
  /** The mock API of this file; started in beforeAll. */
  readonly mock: MockAnthropic;
  /** This test's sandbox; made in beforeEach, removed in afterEach. */
  readonly sandbox: Sandbox;
  /** An API key plus the mock's URL, then `extra` (an undefined value removes a variable). */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
}

export function setupMockApi(options: MockApiOptions = {}): MockApiContext {
  const { sandboxPrefix, ...mockOptions } = options;
  let mock: MockAnthropic | undefined;
  let sandbox: Sandbox | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic(mockOptions);
  });
  afterAll(async () => {
    await mock?.close();
  });
  beforeEach(() => {
    sandbox = makeSandbox(sandboxPrefix);
    // Replies a failed test left queued must not answer the next test's requests.
    mock?.reset();
  });
  afterEach(() => {
    sandbox?.cleanup();
    sandbox = undefined;
  });

  const context: MockApiContext = {
    get mock() {
      if (!mock) throw new Error("setupMockApi: the mock API is only available inside tests and hooks");
      return mock;
    },
    get sandbox() {
      if (!sandbox) throw new Error("setupMockApi: the sandbox is only available inside a test");
      return sandbox;
    },
    env: (extra = {}) => ({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: context.mock.url, ...extra }),
  };
  return context;
}
