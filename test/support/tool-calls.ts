// Runs one `claw -p` turn in which the mock model makes the given tool calls in order, and returns what each
// call's tool_result told the model: the usual shape of a permission test end to end.
import { expect } from "vitest";
import { type RunClawResult, runClaw, type Sandbox } from "./claw-runner.js";
import { type MockAnthropic, reply } from "./mock-anthropic.js";

export type ToolCall = { name: string; input: Record<string, unknown> };
export type ToolOutcome = { isError: boolean; text: string };

export const bash = (command: string): ToolCall => ({ name: "Bash", input: { command } });

export async function runToolCalls(
  mock: MockAnthropic,
  sandbox: Sandbox,
  calls: ToolCall[],
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<{ results: ToolOutcome[]; run: RunClawResult }> {
  mock.enqueue(
    ...calls.map((call, i) => reply.toolUse({ name: call.name, input: call.input, id: `t${i}` })),
    reply.text("done"),
  );
  const run = await runClaw(["-p", "go", ...args], {
    sandbox,
    env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: mock.url, ...env },
    timeoutMs: 60_000,
    ...(cwd ? { cwd } : {}),
  });
  expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  const results = mock
    .messageRequests()
    .slice(1)
    .map((request) => {
      const content = request.body.messages.at(-1).content as Array<{
        type: string;
        is_error?: boolean;
        content: unknown;
      }>;
      const result = content.find((b) => b.type === "tool_result");
      return { isError: result?.is_error === true, text: JSON.stringify(result?.content) };
    });
  return { results, run };
}

/** Everything the model was sent in the run, for asserting that a secret never reached it. */
export function everythingSent(mock: MockAnthropic): string {
  return mock
    .messageRequests()
    .map((r) => JSON.stringify(r.body))
    .join("\n");
}
