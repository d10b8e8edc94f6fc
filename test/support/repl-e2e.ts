// The usual REPL end-to-end setup in one call: a fresh mock Messages API, sandbox and tmux session per test,
// so the REPL e2e files do not repeat the same vitest hooks. Call setupReplE2E() once, at the top of the file.
//
// Usage:
//   const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-x-" });
//   it("…", async () => {
//     e2e.mock.enqueue(reply.text("hi"));
//     e2e.start();
//     await e2e.tmux.waitFor("/help for commands");
//   });
import { afterEach, beforeEach, expect } from "vitest";
import { cleanEnv, makeSandbox, type Sandbox } from "./claw-runner.js";
import { type MockAnthropic, startMockAnthropic } from "./mock-anthropic.js";
import { startClawInTmux, TmuxSession } from "./tmux.js";

export interface ReplE2EOptions {
  /** Prefix of each test's sandbox directory. */
  sandboxPrefix?: string;
  /** Default terminal width of start() (default that of TmuxSession). */
  width?: number;
}

export interface ReplStartOptions {
  /** Variables on top of the API key and the mock's URL (an undefined value removes one). */
  env?: Record<string, string | undefined>;
  width?: number;
}

export interface ReplE2EContext {
  /** This test's mock API; started in beforeEach, closed in afterEach. */
  readonly mock: MockAnthropic;
  /** This test's sandbox; made in beforeEach, removed in afterEach. */
  readonly sandbox: Sandbox;
  /** This test's terminal; killed in afterEach. */
  readonly tmux: TmuxSession;
  /** An API key plus the mock's URL, then `extra`: for runClaw, which sandboxes the env itself. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Runs claw with `args` in the tmux session, in the sandbox's workspace with a sandboxed env. */
  start(args?: string[], options?: ReplStartOptions): void;
  /** Waits until claw shows its banner and takes input; returns the screen. */
  ready(): Promise<string>;
  /** Types `text` into the prompt and presses Enter. */
  submit(text: string): void;
  /** Kills the tmux session and puts a fresh one in its place, to start claw again in the same test. */
  newTmux(): TmuxSession;
}

export function setupReplE2E(options: ReplE2EOptions = {}): ReplE2EContext {
  let mock: MockAnthropic | undefined;
  let sandbox: Sandbox | undefined;
  let tmux: TmuxSession | undefined;

  beforeEach(async () => {
    mock = await startMockAnthropic();
    sandbox = makeSandbox(options.sandboxPrefix);
    tmux = new TmuxSession();
  });
  afterEach(async () => {
    tmux?.kill();
    await mock?.close();
    sandbox?.cleanup();
    tmux = undefined;
    mock = undefined;
    sandbox = undefined;
  });

  const context: ReplE2EContext = {
    get mock() {
      if (!mock) throw new Error("setupReplE2E: the mock API is only available inside a test");
      return mock;
    },
    get sandbox() {
      if (!sandbox) throw new Error("setupReplE2E: the sandbox is only available inside a test");
      return sandbox;
    },
    get tmux() {
      if (!tmux) throw new Error("setupReplE2E: the tmux session is only available inside a test");
      return tmux;
    },
    env: (extra = {}) => ({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: context.mock.url, ...extra }),
    start: (args = [], startOptions = {}) => {
      startClawInTmux(context.tmux, {
        args,
        env: cleanEnv(context.sandbox, context.env(startOptions.env)),
        cwd: context.sandbox.workspace,
        width: startOptions.width ?? options.width,
      });
    },
    ready: () => context.tmux.waitFor("/help for commands"),
    submit: (text) => {
      context.tmux.type(text);
      context.tmux.send("Enter");
    },
    newTmux: () => {
      context.tmux.kill();
      tmux = new TmuxSession();
      return tmux;
    },
  };
  return context;
}

/** Checks that a request's messages alternate roles and that every tool_use has its tool_result. */
// biome-ignore lint/suspicious/noExplicitAny: request bodies are plain JSON
export function expectValidConversation(messages: any[]): void {
  for (let i = 1; i < messages.length; i++) expect(messages[i].role).not.toBe(messages[i - 1].role);
  const uses = new Set<string>();
  const results = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_use") uses.add(b.id);
      if (b.type === "tool_result") results.add(b.tool_use_id);
    }
  }
  expect([...uses].sort()).toEqual([...results].sort());
}
