// The Agent SDK options that map onto claw's session features, driven through the real query() against the
// mock API: the initialize answer's commands and agents, forkSession, fallbackModel, outputFormat (json_schema),
// agent, includeHookEvents.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { query } from "@anthropic-ai/claude-agent-sdk";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";
import { promptQueue, resultOf, runQuery, sdkOptions } from "../support/sdk-query.js";

const e2e = setupMockApi();
const TIMEOUT = 60_000;

function requestText(index: number): string {
  return JSON.stringify(e2e.mock.messageRequests()[index]?.body);
}

function sessionFiles(): string[] {
  return readdirSync(e2e.sandbox.configHome, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".jsonl") && !f.includes("subagents"))
    .map((f) => join(e2e.sandbox.configHome, f));
}

function writeProjectFile(relative: string, text: string): void {
  const path = join(e2e.sandbox.workspace, relative);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("Agent SDK options", () => {
  it(
    "answers initialize with the skills as commands and the agents, and runs a /skill prompt",
    async () => {
      writeProjectFile(
        ".claude/skills/greet/SKILL.md",
        "---\nname: greet\ndescription: Greets someone warmly\n---\nSKILL-BODY-MARK: greet $ARGUMENTS\n",
      );
      writeProjectFile(
        ".claude/agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews diffs\nmodel: haiku\n---\nYou review.\n",
      );
      e2e.mock.enqueue(reply.text("greeted"));
      const prompts = promptQueue();
      const q = query({ prompt: prompts.iterable, options: sdkOptions(e2e.sandbox, e2e.env()) });
      const commands = await q.supportedCommands();
      const agents = await q.supportedAgents();
      prompts.push("/greet Ada");
      for await (const message of q) if (message.type === "result") prompts.end();
      expect(commands).toContainEqual({
        name: "greet",
        description: "Greets someone warmly",
        argumentHint: "",
      });
      expect(agents).toContainEqual({ name: "reviewer", description: "Reviews diffs", model: "haiku" });
      expect(agents.map((a) => a.name)).toContain("general-purpose");
      expect(requestText(0)).toContain("SKILL-BODY-MARK");
    },
    TIMEOUT,
  );

  it(
    "forkSession with resume continues under a new session id and leaves the original file as it was",
    async () => {
      e2e.mock.enqueue(reply.text("first answer"), reply.text("forked answer"), reply.text("original again"));
      const first = await runQuery("remember PLUM", sdkOptions(e2e.sandbox, e2e.env()));
      const originalId = resultOf(first).session_id;
      const [originalPath] = sessionFiles();
      const before = readFileSync(originalPath as string, "utf8");

      const forked = await runQuery(
        "what fruit?",
        sdkOptions(e2e.sandbox, e2e.env(), { resume: originalId, forkSession: true }),
      );
      const forkId = resultOf(forked).session_id;
      expect(forkId).not.toBe(originalId);
      expect(new Set(forked.messages.map((m) => m.session_id))).toEqual(new Set([forkId]));
      // The fork's first request carries the original conversation.
      expect(requestText(1)).toContain("remember PLUM");
      expect(requestText(1)).toContain("first answer");
      expect(readFileSync(originalPath as string, "utf8")).toBe(before);
      const forkPath = sessionFiles().find((f) => f.includes(forkId));
      expect(forkPath && readFileSync(forkPath, "utf8")).toContain("what fruit?");

      // The fork can be resumed on its own, with both exchanges.
      const again = await runQuery("and now?", sdkOptions(e2e.sandbox, e2e.env(), { resume: forkId }));
      expect(resultOf(again).session_id).toBe(forkId);
      expect(requestText(2)).toContain("remember PLUM");
      expect(requestText(2)).toContain("forked answer");
    },
    TIMEOUT,
  );

  it(
    "-p --resume --fork-session --session-id forks under the id given; --session-id with --resume alone is refused",
    async () => {
      e2e.mock.enqueue(reply.text("one"), reply.text("two"));
      const opts = { sandbox: e2e.sandbox, env: e2e.env() };
      const first = await runClaw(["-p", "first", "--output-format", "json"], opts);
      const original = JSON.parse(first.stdout).session_id;
      const id = randomUUID();
      const args = ["-p", "second", "--output-format", "json", "--resume", original, "--session-id", id];
      const forked = await runClaw([...args, "--fork-session"], opts);
      expect(JSON.parse(forked.stdout).session_id).toBe(id);
      expect(requestText(1)).toContain("first");
      const refused = await runClaw(args, opts);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("cannot be combined with --continue or --resume");
    },
    TIMEOUT,
  );

  it(
    "fallbackModel takes over the rest of a prompt the main model cannot serve, says so, and the next prompt tries the main model again",
    async () => {
      e2e.mock.enqueue(
        reply.overloaded(),
        reply.overloaded(),
        reply.toolUse({ name: "Bash", input: { command: "echo hi" } }),
        reply.text("from the fallback"),
        reply.text("main is back"),
      );
      const prompts = promptQueue();
      prompts.push("hello");
      const messages = [];
      const options = sdkOptions(e2e.sandbox, e2e.env({ CLAW_MAX_ATTEMPTS: "2", CLAW_RETRY_BASE_MS: "1" }), {
        model: "claude-main-probe",
        fallbackModel: "claude-fallback-probe",
        allowedTools: ["Bash"],
      });
      for await (const message of query({ prompt: prompts.iterable, options })) {
        messages.push(message);
        const results = messages.filter((m) => m.type === "result").length;
        if (message.type === "result" && results === 1) prompts.push("again");
        if (message.type === "result" && results === 2) prompts.end();
      }
      const results = messages.filter((m) => m.type === "result");
      expect(results.map((r) => r.type === "result" && r.subtype === "success" && r.result)).toEqual([
        "from the fallback",
        "main is back",
      ]);
      expect(e2e.mock.messageRequests().map((r) => r.body.model)).toEqual([
        "claude-main-probe",
        "claude-main-probe",
        "claude-fallback-probe",
        "claude-fallback-probe",
        "claude-main-probe",
      ]);
      const notice = messages.find((m) => m.type === "system" && m.subtype === "informational");
      expect(JSON.stringify(notice)).toContain("fallback model claude-fallback-probe");
    },
    TIMEOUT,
  );

  it(
    "-p --fallback-model says on stderr that the fallback answered; the same model twice is refused",
    async () => {
      e2e.mock.enqueue(reply.overloaded(), reply.text("fallback text"));
      const env = e2e.env({ CLAW_MAX_ATTEMPTS: "1" });
      const r = await runClaw(
        ["-p", "hi", "--model", "claude-a-probe", "--fallback-model", "claude-b-probe"],
        {
          sandbox: e2e.sandbox,
          env,
        },
      );
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe("fallback text");
      expect(r.stderr).toContain("claude-a-probe is unavailable");
      expect(r.stderr).toContain("fallback model claude-b-probe");
      const same = await runClaw(
        ["-p", "hi", "--model", "claude-a-probe", "--fallback-model", "claude-a-probe"],
        {
          sandbox: e2e.sandbox,
          env,
        },
      );
      expect(same.code).toBe(1);
      expect(same.stderr).toContain("name a different model");
      expect(existsSync(e2e.sandbox.workspace)).toBe(true);
    },
    TIMEOUT,
  );

  const WEATHER = {
    type: "object",
    properties: { city: { type: "string" }, celsius: { type: "number" } },
    required: ["city", "celsius"],
    additionalProperties: false,
  };

  it(
    "outputFormat json_schema: the StructuredOutput call's validated input is the result's structured_output",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "StructuredOutput", input: { city: "Oslo", celsius: "cold" } }),
        reply.toolUse({ name: "StructuredOutput", input: { city: "Oslo", celsius: -3 } }),
      );
      const run = await runQuery(
        "weather in Oslo?",
        sdkOptions(e2e.sandbox, e2e.env(), { outputFormat: { type: "json_schema", schema: WEATHER } }),
      );
      const result = resultOf(run);
      expect(result.subtype).toBe("success");
      expect(result.subtype === "success" && result.structured_output).toEqual({ city: "Oslo", celsius: -3 });
      const [first, second] = e2e.mock.messageRequests();
      const offered = first?.body.tools.find((t: { name: string }) => t.name === "StructuredOutput");
      expect(offered?.input_schema).toEqual(WEATHER);
      // The answer that did not match the schema went back to the model as an error to fix.
      const fix = second?.body.messages.at(-1).content[0];
      expect(fix.is_error).toBe(true);
      expect(JSON.stringify(fix.content)).toContain("celsius");
      // The valid call ends the run: no request after it.
      expect(e2e.mock.messageRequests()).toHaveLength(2);
    },
    TIMEOUT,
  );

  it(
    "a model that never calls StructuredOutput is reminded, then the run ends with error_max_structured_output_retries",
    async () => {
      e2e.mock.enqueue(reply.text("plain 1"), reply.text("plain 2"), reply.text("plain 3"));
      const run = await runQuery(
        "weather?",
        sdkOptions(e2e.sandbox, e2e.env({ CLAW_MAX_STRUCTURED_OUTPUT_RETRIES: "2" }), {
          outputFormat: { type: "json_schema", schema: WEATHER },
        }),
      );
      const result = resultOf(run);
      expect(result.subtype).toBe("error_max_structured_output_retries");
      expect(result.is_error).toBe(true);
      expect(e2e.mock.messageRequests()).toHaveLength(3);
      expect(requestText(1)).toContain("call the StructuredOutput tool");
    },
    TIMEOUT,
  );

  it(
    "-p --json-schema with json output carries structured_output; text output prints it; a non-object schema is refused",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "StructuredOutput", input: { city: "Rome", celsius: 21 } }),
        reply.toolUse({ name: "StructuredOutput", input: { city: "Lima", celsius: 18 } }),
      );
      const schema = JSON.stringify(WEATHER);
      const json = await runClaw(["-p", "weather", "--output-format", "json", "--json-schema", schema], {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout).structured_output).toEqual({ city: "Rome", celsius: 21 });
      const text = await runClaw(["-p", "weather", "--json-schema", schema], {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      });
      expect(JSON.parse(text.stdout)).toEqual({ city: "Lima", celsius: 18 });
      const refused = await runClaw(["-p", "x", "--json-schema", '{"type":"array"}'], {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("needs an object schema");
      expect(e2e.mock.messageRequests()).toHaveLength(2);
    },
    TIMEOUT,
  );

  it(
    "agent runs the main conversation as a project agent: its prompt, model and tools",
    async () => {
      writeProjectFile(
        ".claude/agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews\ntools: Read, Grep\nmodel: claude-agent-probe\n---\nAGENT-PROMPT-MARK\n",
      );
      e2e.mock.enqueue(reply.text("reviewed"));
      const run = await runQuery("review", sdkOptions(e2e.sandbox, e2e.env(), { agent: "reviewer" }));
      expect(resultOf(run).subtype).toBe("success");
      const request = e2e.mock.messageRequests()[0]?.body;
      expect(request.model).toBe("claude-agent-probe");
      expect(JSON.stringify(request.system)).toContain("AGENT-PROMPT-MARK");
      expect(JSON.stringify(request.system)).not.toContain("You are claw");
      expect(request.tools.map((t: { name: string }) => t.name)).toEqual(["Read", "Grep"]);
    },
    TIMEOUT,
  );

  it(
    "agent names an agent the SDK defines in initialize; an unknown --agent is one line",
    async () => {
      e2e.mock.enqueue(reply.text("audited"));
      const run = await runQuery(
        "audit",
        sdkOptions(e2e.sandbox, e2e.env(), {
          agents: { auditor: { description: "Audits", prompt: "AUDITOR-MARK", tools: ["Glob"] } },
          agent: "auditor",
        }),
      );
      expect(resultOf(run).subtype).toBe("success");
      const request = e2e.mock.messageRequests()[0]?.body;
      expect(JSON.stringify(request.system)).toContain("AUDITOR-MARK");
      expect(request.tools.map((t: { name: string }) => t.name)).toEqual(["Glob"]);
      const unknown = await runClaw(["-p", "x", "--agent", "nobody"], {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/--agent nobody: there is no such agent \(defined: .*general-purpose/);
      expect(e2e.mock.messageRequests()).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "includeHookEvents: each hook's start and result arrive as hook_started / hook_response system messages",
    async () => {
      const settings = {
        hooks: {
          PreToolUse: [
            { matcher: "Bash", hooks: [{ type: "command" as const, command: "echo hook-said-this" }] },
          ],
        },
      };
      const hookLines = (messages: Array<{ type: string }>) =>
        messages.filter(
          (m) => m.type === "system" && /^hook_/.test(String((m as { subtype?: string }).subtype)),
        ) as Array<Record<string, unknown>>;
      e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo hi" } }), reply.text("done"));
      const run = await runQuery(
        "run",
        sdkOptions(e2e.sandbox, e2e.env(), { settings, includeHookEvents: true }),
      );
      expect(resultOf(run).subtype).toBe("success");
      const [started, response] = hookLines(run.messages);
      expect(started).toMatchObject({
        subtype: "hook_started",
        hook_name: "PreToolUse:Bash",
        hook_event: "PreToolUse",
      });
      expect(response).toMatchObject({
        subtype: "hook_response",
        hook_id: started?.hook_id,
        hook_name: "PreToolUse:Bash",
        outcome: "success",
        exit_code: 0,
        stdout: "hook-said-this\n",
      });
      // The hook ran before the tool's result came back.
      const order = run.messages.map((m) => (m.type === "system" ? m.subtype : m.type));
      expect(order.indexOf("hook_response")).toBeLessThan(order.lastIndexOf("user"));

      e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "echo hi" } }), reply.text("done"));
      const quiet = await runQuery("run", sdkOptions(e2e.sandbox, e2e.env(), { settings }));
      expect(hookLines(quiet.messages)).toEqual([]);

      const refused = await runClaw(["-p", "x", "--include-hook-events"], {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("--include-hook-events needs --output-format stream-json");
    },
    TIMEOUT,
  );
});
