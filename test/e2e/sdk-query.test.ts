// The Claude Agent SDK drives the built claw (`pathToClaudeCodeExecutable: dist/claw.js`) against the mock
// API: prompts, streaming input, canUseTool, hook callbacks, in-process MCP tools, interrupt, setModel, resume.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSdkMcpServer, query, tool } from "@anthropic-ai/claude-agent-sdk";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";
import { promptQueue, resultOf, runQuery, sdkOptions } from "../support/sdk-query.js";

const e2e = setupMockApi();
const TIMEOUT = 60_000;

function requestText(index: number): string {
  return JSON.stringify(e2e.mock.messageRequests()[index]?.body);
}

describe("Agent SDK query() driving claw", () => {
  it(
    "answers a plain prompt with init, assistant and a success result",
    async () => {
      e2e.mock.enqueue(reply.text("hello from mock"));
      const run = await runQuery("hello", sdkOptions(e2e.sandbox, e2e.env()));
      const types = run.messages.map((m) => (m.type === "system" ? `system/${m.subtype}` : m.type));
      expect(types).toEqual(["system/init", "assistant", "result"]);
      const result = resultOf(run);
      expect(result.subtype).toBe("success");
      expect(result.subtype === "success" && result.result).toBe("hello from mock");
      const ids = new Set(run.messages.map((m) => m.session_id));
      expect(ids.size).toBe(1);
      expect(requestText(0)).toContain("hello");
    },
    TIMEOUT,
  );

  it(
    "runs two turns of streaming input in one session",
    async () => {
      e2e.mock.enqueue(reply.text("first answer"), reply.text("second answer"));
      const prompts = promptQueue();
      prompts.push("first turn");
      const messages = [];
      for await (const message of query({
        prompt: prompts.iterable,
        options: sdkOptions(e2e.sandbox, e2e.env()),
      })) {
        messages.push(message);
        if (message.type === "result" && messages.filter((m) => m.type === "result").length === 1) {
          prompts.push("second turn");
        }
        if (message.type === "result" && messages.filter((m) => m.type === "result").length === 2)
          prompts.end();
      }
      const results = messages.filter((m) => m.type === "result");
      expect(results.map((r) => r.type === "result" && r.subtype === "success" && r.result)).toEqual([
        "first answer",
        "second answer",
      ]);
      // The second request carries the first exchange: one conversation, not two.
      expect(requestText(1)).toContain("first turn");
      expect(requestText(1)).toContain("first answer");
      expect(new Set(messages.map((m) => m.session_id)).size).toBe(1);
    },
    TIMEOUT,
  );

  it(
    "asks canUseTool and runs the tool with the updated input it returns",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "Bash", input: { command: "echo original", description: "say" } }),
        reply.text("done"),
      );
      const asked: Array<{ tool: string; input: unknown }> = [];
      const run = await runQuery(
        "run it",
        sdkOptions(e2e.sandbox, e2e.env(), {
          settings: { permissions: { ask: ["Bash"] } },
          canUseTool: async (toolName, input) => {
            asked.push({ tool: toolName, input });
            return { behavior: "allow", updatedInput: { ...input, command: "echo rewritten" } };
          },
        }),
      );
      expect(asked).toEqual([{ tool: "Bash", input: { command: "echo original", description: "say" } }]);
      expect(resultOf(run).subtype).toBe("success");
      expect(requestText(1)).toContain("rewritten");
      expect(requestText(1)).not.toContain("original\\n");
    },
    TIMEOUT,
  );

  it(
    "turns a canUseTool deny into an error tool result with the host's message",
    async () => {
      e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo hi" } }), reply.text("ok"));
      const run = await runQuery(
        "run it",
        sdkOptions(e2e.sandbox, e2e.env(), {
          settings: { permissions: { ask: ["Bash"] } },
          canUseTool: async () => ({ behavior: "deny", message: "not on my watch" }),
        }),
      );
      const result = resultOf(run);
      expect(result.permission_denials.map((d) => d.tool_name)).toEqual(["Bash"]);
      const toolResult = e2e.mock.messageRequests()[1]?.body.messages.at(-1).content[0];
      expect(toolResult.is_error).toBe(true);
      expect(JSON.stringify(toolResult.content)).toContain("not on my watch");
    },
    TIMEOUT,
  );

  it(
    "lets a PreToolUse hook callback deny a call",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "Bash", input: { command: "touch hooked.txt" } }),
        reply.text("ok"),
      );
      const seen: unknown[] = [];
      const run = await runQuery(
        "run it",
        sdkOptions(e2e.sandbox, e2e.env(), {
          hooks: {
            PreToolUse: [
              {
                matcher: "Bash",
                hooks: [
                  async (input) => {
                    seen.push(input);
                    return {
                      hookSpecificOutput: {
                        hookEventName: "PreToolUse",
                        permissionDecision: "deny",
                        permissionDecisionReason: "hook says no",
                      },
                    };
                  },
                ],
              },
            ],
          },
        }),
      );
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ hook_event_name: "PreToolUse", tool_name: "Bash" });
      expect(resultOf(run).permission_denials).toHaveLength(1);
      expect(requestText(1)).toContain("hook says no");
      expect(existsSync(join(e2e.sandbox.workspace, "hooked.txt"))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    "offers an in-process MCP server's tool as mcp__<server>__<tool> and calls it over the control channel",
    async () => {
      const calls: unknown[] = [];
      const server = createSdkMcpServer({
        name: "probe",
        version: "1.0.0",
        tools: [
          tool("shout", "Returns the text in capitals", { text: z.string() }, async (args) => {
            calls.push(args);
            return { content: [{ type: "text", text: args.text.toUpperCase() }] };
          }),
        ],
      });
      e2e.mock.enqueue(
        reply.toolUse({ name: "mcp__probe__shout", input: { text: "quiet" } }),
        reply.text("done"),
      );
      const run = await runQuery(
        "shout",
        sdkOptions(e2e.sandbox, e2e.env(), {
          mcpServers: { probe: server },
          allowedTools: ["mcp__probe__shout"],
        }),
      );
      const init = run.messages.find((m) => m.type === "system" && m.subtype === "init");
      expect(init && "mcp_servers" in init && init.mcp_servers).toEqual([
        { name: "probe", status: "connected" },
      ]);
      const offered = e2e.mock.messageRequests()[0]?.body.tools.map((t: { name: string }) => t.name);
      expect(offered).toContain("mcp__probe__shout");
      expect(calls).toEqual([{ text: "quiet" }]);
      expect(requestText(1)).toContain("QUIET");
      expect(resultOf(run).subtype).toBe("success");
    },
    TIMEOUT,
  );

  it(
    "interrupt() stops a slow turn with an error result, and the session takes the next prompt",
    async () => {
      e2e.mock.enqueue(reply.stall({ afterText: "thinking slowly" }), reply.text("after interrupt"));
      const prompts = promptQueue();
      prompts.push("slow turn");
      const q = query({ prompt: prompts.iterable, options: sdkOptions(e2e.sandbox, e2e.env()) });
      const results = [];
      const waiting = e2e.mock.waitForRequests(1).then(() => q.interrupt());
      for await (const message of q) {
        if (message.type !== "result") continue;
        results.push(message);
        if (results.length === 1) prompts.push("after interrupt");
        else prompts.end();
      }
      await waiting;
      expect(results.map((r) => r.subtype)).toEqual(["error_during_execution", "success"]);
      expect(results[0]?.is_error && "errors" in results[0] && results[0].errors.length).toBeGreaterThan(0);
      expect(requestText(1)).toContain("after interrupt");
    },
    TIMEOUT,
  );

  it(
    "setModel between turns applies to the next request",
    async () => {
      e2e.mock.enqueue(reply.text("one"), reply.text("two"));
      const prompts = promptQueue();
      prompts.push("first");
      const q = query({ prompt: prompts.iterable, options: sdkOptions(e2e.sandbox, e2e.env()) });
      let results = 0;
      for await (const message of q) {
        if (message.type !== "result") continue;
        results++;
        if (results === 1) {
          await q.setModel("claude-probe-model");
          prompts.push("second");
        } else prompts.end();
      }
      const models = e2e.mock.messageRequests().map((r) => r.body.model);
      expect(models[0]).not.toBe("claude-probe-model");
      expect(models[1]).toBe("claude-probe-model");
    },
    TIMEOUT,
  );

  it(
    "resumes an earlier session by id",
    async () => {
      e2e.mock.enqueue(reply.text("first answer"), reply.text("resumed answer"));
      const first = await runQuery("remember PLUM", sdkOptions(e2e.sandbox, e2e.env()));
      const sessionId = resultOf(first).session_id;
      const second = await runQuery("what fruit?", sdkOptions(e2e.sandbox, e2e.env(), { resume: sessionId }));
      expect(resultOf(second).session_id).toBe(sessionId);
      expect(requestText(1)).toContain("remember PLUM");
      expect(requestText(1)).toContain("first answer");
    },
    TIMEOUT,
  );

  it(
    "maxTurns ends the run with error_max_turns and an errors array",
    async () => {
      e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo hi" } }), reply.text("never"));
      const run = await runQuery("loop", sdkOptions(e2e.sandbox, e2e.env(), { maxTurns: 1 }));
      const result = resultOf(run);
      expect(result.subtype).toBe("error_max_turns");
      expect(result.is_error).toBe(true);
      expect("errors" in result && result.errors[0]).toMatch(/maximum number of turns/);
      expect(e2e.mock.messageRequests()).toHaveLength(1);
      // As with Claude Code, the process exits 1 after an error result and query() reports it.
      expect(run.error?.message).toMatch(/maximum number of turns/);
    },
    TIMEOUT,
  );

  it(
    "settingSources: [] reads no settings files and no CLAUDE.md",
    async () => {
      const project = join(e2e.sandbox.workspace, ".claude");
      mkdirSync(project, { recursive: true });
      writeFileSync(
        join(project, "settings.json"),
        JSON.stringify({ model: "claude-from-project-settings" }),
      );
      writeFileSync(join(e2e.sandbox.workspace, "CLAUDE.md"), "PROJECT-INSTRUCTIONS-MARK\n");
      e2e.mock.enqueue(reply.text("a"), reply.text("b"));
      await runQuery("with settings", sdkOptions(e2e.sandbox, e2e.env()));
      await runQuery("without settings", sdkOptions(e2e.sandbox, e2e.env(), { settingSources: [] }));
      const [withFiles, withoutFiles] = e2e.mock.messageRequests();
      expect(withFiles?.body.model).toBe("claude-from-project-settings");
      expect(JSON.stringify(withFiles?.body.system)).toContain("PROJECT-INSTRUCTIONS-MARK");
      expect(withoutFiles?.body.model).not.toBe("claude-from-project-settings");
      expect(JSON.stringify(withoutFiles?.body.system)).not.toContain("PROJECT-INSTRUCTIONS-MARK");
    },
    TIMEOUT,
  );

  it(
    "systemPrompt replaces claw's instructions and a preset's append adds to them",
    async () => {
      e2e.mock.enqueue(reply.text("a"), reply.text("b"));
      await runQuery("custom", sdkOptions(e2e.sandbox, e2e.env(), { systemPrompt: "CUSTOM-SYSTEM-MARK" }));
      await runQuery(
        "appended",
        sdkOptions(e2e.sandbox, e2e.env(), {
          systemPrompt: { type: "preset", preset: "claude_code", append: "APPEND-MARK" },
        }),
      );
      const [custom, appended] = e2e.mock.messageRequests().map((r) => JSON.stringify(r.body.system));
      expect(custom).toContain("CUSTOM-SYSTEM-MARK");
      expect(custom).not.toContain("You are claw");
      expect(appended).toContain("You are claw");
      expect(appended).toContain("APPEND-MARK");
    },
    TIMEOUT,
  );

  it(
    "tools narrows the built-in tools offered to the model",
    async () => {
      e2e.mock.enqueue(reply.text("ok"));
      const run = await runQuery("hi", sdkOptions(e2e.sandbox, e2e.env(), { tools: ["Read", "Grep"] }));
      expect(resultOf(run).subtype).toBe("success");
      const offered = e2e.mock.messageRequests()[0]?.body.tools.map((t: { name: string }) => t.name);
      expect(offered).toEqual(["Read", "Grep"]);
    },
    TIMEOUT,
  );

  it(
    "maxBudgetUsd stops the run with error_max_budget_usd once the spend reaches it",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse(
          { name: "Bash", input: { command: "echo hi" } },
          { usage: { input_tokens: 1_000_000, output_tokens: 100_000 } },
        ),
        reply.text("never sent"),
      );
      const run = await runQuery("spend", sdkOptions(e2e.sandbox, e2e.env(), { maxBudgetUsd: 0.01 }));
      const result = resultOf(run);
      expect(result.subtype).toBe("error_max_budget_usd");
      expect(e2e.mock.messageRequests()).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "persistSession: false writes no session file",
    async () => {
      e2e.mock.enqueue(reply.text("a"), reply.text("b"));
      const sessionFiles = () =>
        readdirSync(e2e.sandbox.configHome, { recursive: true }).filter((f) => String(f).endsWith(".jsonl"));
      await runQuery("kept", sdkOptions(e2e.sandbox, e2e.env()));
      const before = sessionFiles().length;
      expect(before).toBeGreaterThan(0);
      const run = await runQuery("not kept", sdkOptions(e2e.sandbox, e2e.env(), { persistSession: false }));
      expect(resultOf(run).subtype).toBe("success");
      expect(sessionFiles()).toHaveLength(before);
    },
    TIMEOUT,
  );
});
