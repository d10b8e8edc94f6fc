// Hooks end to end: settings `hooks` run by dist/claw.js -p around real tool calls from the mock model.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
const env = () => ({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url, SHELL: "/bin/sh" });

beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  sandbox = makeSandbox("claw-hooks-e2e-");
  mock.reset();
});
afterEach(() => sandbox.cleanup());

function settingsWithHooks(hooks: Record<string, unknown>): void {
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ hooks }, null, 2));
}
const hook = (command: string, timeout?: number) => ({
  type: "command",
  command,
  ...(timeout ? { timeout } : {}),
});

type Block = { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean; text?: string };
function lastUserContent(n: number): unknown {
  const body = mock.messageRequests()[n]?.body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages.at(-1)?.content;
}
function toolResult(n: number): Block | undefined {
  const content = lastUserContent(n);
  return Array.isArray(content) ? (content as Block[]).find((b) => b.type === "tool_result") : undefined;
}

describe("hooks through the built CLI", () => {
  it("a PreToolUse hook exiting 2 blocks a Bash call: the command never runs and the model sees why", async () => {
    settingsWithHooks({
      PreToolUse: [
        { matcher: "Bash", hooks: [hook("cat > hook-input.json; echo 'Bash is frozen today' >&2; exit 2")] },
      ],
    });
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" }, id: "b1" }),
      reply.text("ok"),
    );
    const r = await runClaw(["-p", "make a file", "--dangerously-skip-permissions"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(existsSync(join(sandbox.workspace, "ran.txt"))).toBe(false);
    const result = toolResult(1);
    expect(result?.tool_use_id).toBe("b1");
    expect(result?.is_error).toBe(true);
    expect(JSON.stringify(result?.content)).toContain("Bash is frozen today");
    const input = JSON.parse(readFileSync(join(sandbox.workspace, "hook-input.json"), "utf8"));
    expect(input).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "touch ran.txt" },
      cwd: sandbox.workspace,
    });
    expect(typeof input.session_id).toBe("string");
    expect(existsSync(input.transcript_path)).toBe(true);
  });

  it("a PostToolUse hook runs after Edit and its additionalContext reaches the model", async () => {
    writeFileSync(join(sandbox.workspace, "a.txt"), "hello world\n");
    const out = JSON.stringify({
      hookSpecificOutput: { hookEventName: "PostToolUse", additionalContext: "formatted a.txt" },
    });
    settingsWithHooks({
      PostToolUse: [{ matcher: "Edit|Write", hooks: [hook(`cat > post-input.json; echo '${out}'`)] }],
    });
    const file = join(sandbox.workspace, "a.txt");
    mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: file } }),
      reply.toolUse({ name: "Edit", input: { file_path: file, old_string: "world", new_string: "claw" } }),
      reply.text("edited"),
    );
    const r = await runClaw(["-p", "edit a.txt"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("hello claw\n");
    const input = JSON.parse(readFileSync(join(sandbox.workspace, "post-input.json"), "utf8"));
    expect(input).toMatchObject({ hook_event_name: "PostToolUse", tool_name: "Edit" });
    expect(input.tool_input.new_string).toBe("claw");
    expect(JSON.stringify(toolResult(2)?.content)).toContain("formatted a.txt");
  });

  it("a UserPromptSubmit hook adds context to the prompt; exit 2 keeps the prompt from being sent", async () => {
    settingsWithHooks({ UserPromptSubmit: [{ hooks: [hook("echo 'Current ticket: CLAW-42'")] }] });
    mock.enqueue(reply.text("ok"));
    const r = await runClaw(["-p", "what is my ticket?"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    const sent = JSON.stringify(lastUserContent(0));
    expect(sent).toContain("what is my ticket?");
    expect(sent).toContain("Current ticket: CLAW-42");

    settingsWithHooks({ UserPromptSubmit: [{ hooks: [hook("echo 'prompts are closed' >&2; exit 2")] }] });
    const blocked = await runClaw(["-p", "hello"], { sandbox, env: env() });
    expect(mock.messageRequests()).toHaveLength(1);
    expect(blocked.stdout + blocked.stderr).toContain("prompts are closed");
  });

  it("a hook that times out is stopped and reported; the tool call still runs", async () => {
    settingsWithHooks({ PreToolUse: [{ hooks: [hook("sleep 30", 0.5)] }] });
    mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" } }), reply.text("ok"));
    const r = await runClaw(["-p", "go", "--dangerously-skip-permissions"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("timed out after 0.5 s");
    expect(existsSync(join(sandbox.workspace, "ran.txt"))).toBe(true);
  });

  it("a hook that is not executable or not found is a notice, not a failure", async () => {
    writeFileSync(join(sandbox.workspace, "hook.sh"), "#!/bin/sh\nexit 2\n");
    chmodSync(join(sandbox.workspace, "hook.sh"), 0o644);
    settingsWithHooks({
      PreToolUse: [
        { matcher: "Bash", hooks: [hook('"$CLAUDE_PROJECT_DIR"/hook.sh'), hook("/nonexistent/hook")] },
      ],
    });
    mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" } }), reply.text("ok"));
    const r = await runClaw(["-p", "go", "--dangerously-skip-permissions"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("not executable");
    expect(r.stderr).toContain("command not found");
    expect(existsSync(join(sandbox.workspace, "ran.txt"))).toBe(true);
  });

  it("a Stop hook exiting 2 sends the model back to work with the reason", async () => {
    settingsWithHooks({
      Stop: [
        {
          hooks: [
            hook(
              "if [ -f stopped-once ]; then exit 0; fi; touch stopped-once; echo 'run the tests' >&2; exit 2",
            ),
          ],
        },
      ],
    });
    mock.enqueue(reply.text("first answer"), reply.text("tests pass"));
    const r = await runClaw(["-p", "fix it"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tests pass");
    expect(mock.messageRequests()).toHaveLength(2);
    expect(JSON.stringify(lastUserContent(1))).toContain("run the tests");
  });

  it("a PreToolUse permissionDecision of allow skips the ask in print mode", async () => {
    const allow = JSON.stringify({
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "allow" },
    });
    settingsWithHooks({ PreToolUse: [{ matcher: "Bash", hooks: [hook(`echo '${allow}'`)] }] });
    mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" } }), reply.text("ok"));
    const r = await runClaw(["-p", "go", "--permission-mode", "read-only"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    expect(existsSync(join(sandbox.workspace, "ran.txt"))).toBe(true);
  });
});
