// Drives the built claw with the real Claude Agent SDK (`query()`), as an application embedding Claude Code
// would: the SDK spawns dist/claw.js or the native build (never a downloaded binary) in the sandbox with the test environment.
import { type Options, query, type SDKMessage, type SDKUserMessage } from "@anthropic-ai/claude-agent-sdk";
import { CLAW_BIN, CLAW_JS, cleanEnv, type Sandbox } from "./claw-runner.js";

export interface SdkRun {
  messages: SDKMessage[];
  stderr: string;
  /** What query() threw after the last message (the SDK throws when claw exits 1 after an error result). */
  error?: Error;
}

/** The options every test passes: our executable, the sandbox's clean environment and its workspace. */
export function sdkOptions(
  sandbox: Sandbox,
  env: Record<string, string | undefined>,
  extra: Partial<Options> = {},
): Options & { stderrText: () => string } {
  let stderr = "";
  const environment = cleanEnv(sandbox, env) as Record<string, string>;
  return {
    // A path that does not end in .js is started as a native binary (the SDK's own rule).
    pathToClaudeCodeExecutable: CLAW_BIN ?? CLAW_JS,
    executable: "node",
    cwd: sandbox.workspace,
    env: environment,
    stderr: (data: string) => {
      stderr += data;
    },
    ...extra,
    stderrText: () => stderr,
  };
}

/** Runs one query to its end and collects every message. */
export async function runQuery(
  prompt: string | AsyncIterable<SDKUserMessage>,
  options: Options & { stderrText?: () => string },
): Promise<SdkRun> {
  const messages: SDKMessage[] = [];
  const { stderrText, ...sdkOptions } = options;
  try {
    for await (const message of query({ prompt, options: sdkOptions })) messages.push(message);
  } catch (error) {
    return { messages, stderr: stderrText?.() ?? "", error: error as Error };
  }
  return { messages, stderr: stderrText?.() ?? "" };
}

export function userMessage(text: string): SDKUserMessage {
  return { type: "user", message: { role: "user", content: text }, parent_tool_use_id: null };
}

/** An async iterable of user messages that the test feeds one at a time, and ends when told. */
export function promptQueue(): {
  iterable: AsyncIterable<SDKUserMessage>;
  push(text: string): void;
  end(): void;
} {
  const items: SDKUserMessage[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (items.length > 0) {
            yield items.shift() as SDKUserMessage;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    },
    push(text) {
      items.push(userMessage(text));
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
  };
}

export function resultOf(run: SdkRun): Extract<SDKMessage, { type: "result" }> {
  const result = run.messages.filter((m) => m.type === "result").at(-1);
  if (result?.type !== "result") throw new Error(`no result message; stderr: ${run.stderr}`);
  return result;
}
