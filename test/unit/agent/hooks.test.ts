// Hooks with real shell commands: inputs on stdin, exit codes, JSON output, matchers, timeouts, broken hooks.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileMatcher, createHookRunner } from "../../../src/agent/hooks.js";
import { isRunning } from "../../support/processes.js";

function workspace(): string {
  return mkdtempSync(join(tmpdir(), "claw-hooks-"));
}

function runner(cwd: string, hooks: unknown, extra: { defaultTimeoutMs?: number } = {}) {
  return createHookRunner({
    hooks,
    cwd,
    sessionId: "sess-1",
    transcriptPath: join(cwd, "t.jsonl"),
    baseEnv: { PATH: process.env.PATH ?? "", SHELL: "/bin/sh", ANTHROPIC_API_KEY: "sk-x", GH_TOKEN: "t" },
    ...extra,
  });
}

const cmd = (command: string, timeout?: number) => ({
  type: "command",
  command,
  ...(timeout ? { timeout } : {}),
});

describe("hook matchers", () => {
  it("plain names match exactly, patterns match the whole name, empty and * match all", () => {
    expect(compileMatcher("Edit|Write").test("Edit")).toBe(true);
    expect(compileMatcher("Edit|Write").test("NotebookEdit")).toBe(false);
    expect(compileMatcher("mcp__.*").test("mcp__db__query")).toBe(true);
    expect(compileMatcher("mcp__.*").test("Bash")).toBe(false);
    expect(compileMatcher("").test("Bash")).toBe(true);
    expect(compileMatcher("*").test("Bash")).toBe(true);
    expect(compileMatcher("(").error).toBeTruthy();
  });
});

describe("hooks", () => {
  it("PreToolUse gets the call as JSON on stdin, runs in the workspace with CLAUDE_PROJECT_DIR and no secrets", async () => {
    const cwd = workspace();
    const hooks = runner(cwd, {
      PreToolUse: [
        {
          matcher: "Bash",
          hooks: [
            cmd('cat > input.json; pwd > pwd.txt; env > env.txt; echo "$CLAUDE_PROJECT_DIR" > dir.txt'),
          ],
        },
      ],
    });
    expect(await hooks.preToolUse({ toolName: "Bash", input: { command: "ls" }, toolUseId: "tu1" })).toEqual(
      {},
    );
    const input = JSON.parse(readFileSync(join(cwd, "input.json"), "utf8"));
    expect(input).toMatchObject({
      session_id: "sess-1",
      transcript_path: join(cwd, "t.jsonl"),
      cwd,
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: "ls" },
    });
    expect(readFileSync(join(cwd, "dir.txt"), "utf8").trim()).toBe(cwd);
    const env = readFileSync(join(cwd, "env.txt"), "utf8");
    expect(env).not.toContain("ANTHROPIC_API_KEY");
    expect(env).not.toContain("GH_TOKEN");
  });

  it("does not run hooks whose matcher does not match", async () => {
    const cwd = workspace();
    const hooks = runner(cwd, { PreToolUse: [{ matcher: "Edit|Write", hooks: [cmd("touch ran")] }] });
    await hooks.preToolUse({ toolName: "Bash", input: {}, toolUseId: "tu" });
    expect(existsSync(join(cwd, "ran"))).toBe(false);
    await hooks.preToolUse({ toolName: "Write", input: {}, toolUseId: "tu" });
    expect(existsSync(join(cwd, "ran"))).toBe(true);
  });

  it("exit 2 blocks with stderr as the reason", async () => {
    const hooks = runner(workspace(), {
      PreToolUse: [{ hooks: [cmd("echo 'rm is not allowed here' >&2; exit 2")] }],
    });
    const out = await hooks.preToolUse({ toolName: "Bash", input: { command: "rm -rf x" }, toolUseId: "tu" });
    expect(out.block).toBe("rm is not allowed here");
  });

  it("JSON permissionDecision and decision fields are honoured; deny beats allow", async () => {
    const allow = JSON.stringify({
      hookSpecificOutput: { permissionDecision: "allow", permissionDecisionReason: "ok" },
    });
    const deny = JSON.stringify({
      hookSpecificOutput: { permissionDecision: "deny", permissionDecisionReason: "no" },
    });
    const cwd = workspace();
    const one = runner(cwd, { PreToolUse: [{ hooks: [cmd(`echo '${allow}'`)] }] });
    expect(await one.preToolUse({ toolName: "X", input: {}, toolUseId: "a" })).toEqual({
      permissionDecision: "allow",
      reason: "ok",
    });
    const both = runner(cwd, { PreToolUse: [{ hooks: [cmd(`echo '${allow}'`), cmd(`echo '${deny}'`)] }] });
    expect(await both.preToolUse({ toolName: "X", input: {}, toolUseId: "a" })).toEqual({
      permissionDecision: "deny",
      reason: "no",
    });
    const legacy = runner(cwd, {
      PreToolUse: [{ hooks: [cmd(`echo '${JSON.stringify({ decision: "block", reason: "policy" })}'`)] }],
    });
    expect((await legacy.preToolUse({ toolName: "X", input: {}, toolUseId: "a" })).block).toBe("policy");
  });

  it("runs the hooks of one event concurrently", async () => {
    const cwd = workspace();
    // Each hook waits for the other's file: run one after the other, they would both time out.
    const hooks = runner(cwd, {
      Notification: [
        {
          hooks: [
            cmd("touch a; for i in $(seq 50); do [ -f b ] && exit 0; sleep 0.1; done; exit 1", 10),
            cmd("touch b; for i in $(seq 50); do [ -f a ] && exit 0; sleep 0.1; done; exit 1", 10),
          ],
        },
      ],
    });
    await hooks.notification("hello");
    expect(hooks.drainNotices()).toEqual([]);
  });

  it("PostToolUse receives the tool response; exit 2 stderr and additionalContext go to the model", async () => {
    const cwd = workspace();
    const ctx = JSON.stringify({
      hookSpecificOutput: { hookEventName: "PostToolUse", additionalContext: "formatted" },
    });
    const hooks = runner(cwd, {
      PostToolUse: [
        {
          matcher: "Edit",
          hooks: [cmd(`cat > post.json; echo '${ctx}'`), cmd("echo lint failed >&2; exit 2")],
        },
      ],
    });
    const out = await hooks.postToolUse({
      toolName: "Edit",
      input: { file_path: "a.ts" },
      toolUseId: "tu",
      result: { content: "edited a.ts" },
    });
    expect(out.additionalContext).toBe("formatted");
    expect(out.block).toContain("lint failed");
    const input = JSON.parse(readFileSync(join(cwd, "post.json"), "utf8"));
    expect(input.tool_response.content).toBe("edited a.ts");
  });

  it("UserPromptSubmit: plain stdout becomes context; exit 2 blocks", async () => {
    const cwd = workspace();
    const ctx = runner(cwd, { UserPromptSubmit: [{ hooks: [cmd("echo 'Current sprint: 42'")] }] });
    expect(await ctx.userPromptSubmit("hi")).toEqual({ additionalContext: "Current sprint: 42" });
    const block = runner(cwd, {
      UserPromptSubmit: [
        { hooks: [cmd("grep -q secret && { echo 'no secrets please' >&2; exit 2; }; exit 0")] },
      ],
    });
    expect(await block.userPromptSubmit("my secret is x")).toEqual({ block: "no secrets please" });
    expect(await block.userPromptSubmit("hello")).toEqual({});
  });

  it("Stop: exit 2 sends the model back with the reason; the hook is told when it already did", async () => {
    const cwd = workspace();
    const hooks = runner(cwd, {
      Stop: [{ hooks: [cmd("cat > stop-input.json; echo 'tests are failing' >&2; exit 2")] }],
    });
    expect(await hooks.stop()).toEqual({ continueWith: "tests are failing" });
    expect(JSON.parse(readFileSync(join(cwd, "stop-input.json"), "utf8")).stop_hook_active).toBe(false);
    expect(await hooks.stop({ active: true })).toEqual({ continueWith: "tests are failing" });
    expect(JSON.parse(readFileSync(join(cwd, "stop-input.json"), "utf8")).stop_hook_active).toBe(true);
  });

  it("other exit codes, missing and non-executable commands are notices, not errors", async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, "hook.sh"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(cwd, "hook.sh"), 0o644);
    const hooks = runner(cwd, {
      PreToolUse: [{ hooks: [cmd("echo oops >&2; exit 1"), cmd("./no-such-hook.sh"), cmd("./hook.sh")] }],
    });
    expect(await hooks.preToolUse({ toolName: "Bash", input: {}, toolUseId: "tu" })).toEqual({});
    const notices = hooks.drainNotices().join("\n");
    expect(notices).toContain("exit code 1): oops");
    expect(notices).toContain("command not found");
    expect(notices).toContain("not executable");
    expect(hooks.drainNotices()).toEqual([]);
  });

  it("a hook that times out is stopped with its children and reported", async () => {
    const cwd = workspace();
    const hooks = runner(cwd, {
      // Long enough for the shell to write the pid file even on a loaded machine, short enough to time out.
      PreToolUse: [{ hooks: [cmd(`sleep 30 & echo $! > child.pid; wait`, 3)] }],
    });
    expect(await hooks.preToolUse({ toolName: "Bash", input: {}, toolUseId: "tu" })).toEqual({});
    expect(hooks.drainNotices().join("\n")).toContain("timed out after 3 s");
    const pid = Number(readFileSync(join(cwd, "child.pid"), "utf8"));
    for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isRunning(pid)).toBe(false);
  });

  it("an abort stops a running hook at once", async () => {
    const hooks = runner(workspace(), { UserPromptSubmit: [{ hooks: [cmd("sleep 30")] }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await hooks.userPromptSubmit("x", controller.signal)).toEqual({});
  });

  it("SessionStart stdout is context; invalid config is a notice", async () => {
    const cwd = workspace();
    const hooks = runner(cwd, {
      SessionStart: [{ matcher: "startup", hooks: [cmd("echo 'branch: main'")] }],
      Bogus: [],
      PreToolUse: [{ hooks: [{ type: "prompt", prompt: "x" }] }],
    });
    expect(await hooks.sessionStart("startup")).toEqual({ additionalContext: "branch: main" });
    expect(await hooks.sessionStart("resume")).toEqual({});
    const notices = hooks.drainNotices().join("\n");
    expect(notices).toContain('unknown event "Bogus"');
    expect(notices).toContain("was skipped");
  });
});
