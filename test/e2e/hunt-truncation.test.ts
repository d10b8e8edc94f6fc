// A long Bash output is cut for the model with a notice naming the file that holds all of it; following that
// notice (Read or Grep on the file) must work, also in print mode where nobody can approve a prompt.
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";

let handler: ((request: LoggedRequest) => MockReply | undefined) | undefined;
const e2e = setupMockApi({ handler: (request) => handler?.(request) });

type WireBlock = { type: string; content?: unknown; is_error?: boolean };
const lastToolResult = (request: LoggedRequest): WireBlock | undefined => {
  const last = request.body?.messages?.at(-1) as { content: WireBlock[] } | undefined;
  return last?.content.find((b) => b.type === "tool_result");
};

describe("the full output of a truncated Bash call", () => {
  it.each([
    ["Read", (path: string) => ({ file_path: path, offset: 10_000, limit: 2 })],
    ["Grep", (path: string) => ({ pattern: "^12345$", path, output_mode: "content" })],
  ])("can be read back with %s as the notice says", async (tool, inputFor) => {
    let step = 0;
    let savedPath: string | undefined;
    handler = (request) => {
      step++;
      if (step === 1) return reply.toolUse({ name: "Bash", input: { command: "seq 1 20000" }, id: "b1" });
      if (step === 2) {
        savedPath = JSON.stringify(lastToolResult(request)?.content).match(/saved to (\/[^;"]+);/)?.[1];
        return reply.toolUse({ name: tool, input: inputFor(savedPath ?? "missing"), id: "r1" });
      }
      return reply.text("done");
    };
    const r = await runClaw(["-p", "count", "--allowedTools", "Bash"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    handler = undefined;
    expect(r.code).toBe(0);
    expect(savedPath).toBeDefined();
    const result = lastToolResult(e2e.mock.messageRequests()[2]!);
    expect(result?.is_error ?? false).toBe(false);
    expect(JSON.stringify(result?.content)).toMatch(tool === "Read" ? /10000/ : /12345/);
    expect(r.stderr).not.toContain("denied");
  });
});
