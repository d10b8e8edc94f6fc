// Subagents through the built CLI (dist/claw.js -p) against the mock API: custom agents from .claude/agents and
// --agents, their prompt and tool subset on the wire, concurrency, errors, stream-json, usage, interrupts,
// transcripts and hooks. The mock routes each request by its system prompt: parent or which subagent.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSession } from "../../src/session/session-load.js";
import { projectDir } from "../../src/session/session-paths.js";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-subagents-" });

type Block = { type: string; text?: string; tool_use_id?: string; content?: unknown; is_error?: boolean };

function systemText(request: LoggedRequest): string {
  const system = request.body?.system as Array<{ text: string }> | undefined;
  return (system ?? []).map((b) => b.text).join("\n");
}
function lastContent(request: LoggedRequest): Block[] {
  const content = request.body.messages.at(-1).content;
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
function toolResultOf(request: LoggedRequest): Block | undefined {
  return lastContent(request).find((b) => b.type === "tool_result");
}
function resultText(block: Block | undefined): string {
  if (!block) return "";
  return typeof block.content === "string" ? block.content : JSON.stringify(block.content);
}
function writeAgent(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
}
const projectAgents = () => join(e2e.sandbox.workspace, ".claude", "agents");
const agentCall = (id: string, type: string, prompt: string, description = "a task") =>
  ({ type: "tool_use", id, name: "Agent", input: { description, prompt, subagent_type: type } }) as const;

/** Routes requests: subagents by a marker in their system prompt, the parent otherwise. */
function route(routes: {
  parent: (request: LoggedRequest, turn: number) => MockReply;
  agents: Record<string, (request: LoggedRequest, turn: number) => MockReply>;
}): void {
  const turns = new Map<string, number>();
  e2e.mock.handle((request) => {
    const system = systemText(request);
    const key = Object.keys(routes.agents).find((marker) => system.includes(marker)) ?? "parent";
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    return key === "parent" ? routes.parent(request, turn) : routes.agents[key]!(request, turn);
  });
}

const READER =
  "---\nname: reader\ndescription: Reads files and reports\ntools: Read\n---\nYou are the READER agent.\n";

describe("subagents", () => {
  it("a custom agent runs with its own prompt and only its tools; its Read result comes back to the parent", async () => {
    writeAgent(projectAgents(), "reader.md", READER);
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "the secret is 4242\n");
    route({
      parent: (req, turn) =>
        turn === 0
          ? reply.message([agentCall("call_a", "reader", "Read notes.txt and tell me the secret")])
          : reply.text(`parent saw: ${resultText(toolResultOf(req))}`),
      agents: {
        "READER agent": (req, turn) =>
          turn === 0
            ? reply.toolUse({ name: "Read", input: { file_path: "notes.txt" }, id: "r1" })
            : reply.text(`report: ${resultText(toolResultOf(req))}`),
      },
    });
    const r = await runClaw(["-p", "what is the secret?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("parent saw: report:");
    expect(r.stdout).toContain("the secret is 4242");
    const requests = e2e.mock.messageRequests();
    const parentFirst = requests[0]!;
    expect(parentFirst.body.tools.map((t: { name: string }) => t.name)).toContain("Agent");
    const agentTool = parentFirst.body.tools.find((t: { name: string }) => t.name === "Agent");
    expect(agentTool.description).toContain("- reader: Reads files and reports");
    expect(agentTool.description).toContain("- Explore:");
    const sub = requests.filter((q) => systemText(q).includes("READER agent"));
    expect(sub).toHaveLength(2);
    expect(sub[0]!.body.system[0].text).toBe("You are the READER agent.");
    expect(systemText(sub[0]!)).toContain(`Working directory: ${e2e.sandbox.workspace}`);
    expect(systemText(sub[0]!)).not.toContain("You are claw");
    expect(sub[0]!.body.tools.map((t: { name: string }) => t.name)).toEqual(["Read"]);
    expect(sub[0]!.body.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "Read notes.txt and tell me the secret",
            cache_control: { type: "ephemeral" },
          },
        ],
      },
    ]);
    const parentSecond = requests.at(-1)!;
    expect(toolResultOf(parentSecond)).toMatchObject({ tool_use_id: "call_a" });
    expect(toolResultOf(parentSecond)?.is_error).toBeUndefined();
  });

  it("two Agent calls in one message run at the same time: both first requests arrive before either is answered", async () => {
    let arrived = 0;
    let bothArrived: () => void = () => {};
    const both = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    const subagent = (name: string) => (_req: LoggedRequest) => {
      arrived++;
      if (arrived === 2) bothArrived();
      return reply.after(both, reply.text(`${name} finished`));
    };
    route({
      parent: (req, turn) =>
        turn === 0
          ? reply.message([
              agentCall("c1", "general-purpose", "TASK-ONE"),
              agentCall("c2", "general-purpose", "TASK-TWO"),
            ])
          : reply.text(`results: ${lastContent(req).map(resultText).join(" | ")}`),
      agents: {
        "subagent of claw": (req) =>
          subagent(JSON.stringify(req.body.messages).includes("TASK-ONE") ? "one" : "two")(req),
      },
    });
    const r = await runClaw(["-p", "do two things"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
      timeoutMs: 30_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("results: one finished | two finished");
  });

  it("an unknown subagent_type is an error result naming the agents there are; the run goes on", async () => {
    route({
      parent: (req, turn) =>
        turn === 0
          ? reply.message([agentCall("c1", "nobody", "x")])
          : reply.text(`got: ${resultText(toolResultOf(req))}`),
      agents: {},
    });
    const r = await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const result = toolResultOf(e2e.mock.messageRequests()[1]!);
    expect(result?.is_error).toBe(true);
    expect(resultText(result)).toBe(
      'Unknown subagent_type "nobody". Available agents: general-purpose, Explore.',
    );
  });

  it("--disallowedTools Task (Claude Code 1.x's name) takes the Agent tool away", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(["-p", "hi", "--disallowedTools", "Task"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    const names = e2e.mock.messageRequests()[0]!.body.tools.map((t: { name: string }) => t.name);
    expect(names).toContain("Read");
    expect(names).not.toContain("Agent");
  });

  it("--agents defines an agent for the run; stream-json shows its messages under the Agent call's id", async () => {
    const agents = JSON.stringify({
      tester: { description: "Runs checks", prompt: "You are the TESTER agent.", tools: ["Glob"] },
    });
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("call_t", "tester", "check it")]) : reply.text("all done"),
      agents: {
        "TESTER agent": (_req, turn) =>
          turn === 0
            ? reply.toolUse({ name: "Glob", input: { pattern: "*.md" }, id: "g1" })
            : reply.text("checked"),
      },
    });
    const r = await runClaw(
      ["-p", "check", "--agents", agents, "--output-format", "stream-json", "--verbose"],
      {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "system", subtype: "init" });
    expect(lines[0].agents).toContain("tester");
    const nested = lines.filter((l) => l.parent_tool_use_id === "call_t");
    expect(nested.map((l) => l.type)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(nested[0].message.content).toBe("check it");
    expect(nested[1].message.content[0]).toMatchObject({ type: "tool_use", name: "Glob" });
    expect(nested[2].message.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "g1" });
    const top = lines.filter(
      (l) => (l.type === "assistant" || l.type === "user") && l.parent_tool_use_id === null,
    );
    expect(top).toHaveLength(3);
    expect(top[1].message.content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: "call_t",
      content: "checked",
    });
    expect(top[1].tool_use_result).toMatchObject({
      status: "completed",
      agentType: "tester",
      totalToolUseCount: 1,
    });
    const sub = e2e.mock.messageRequests().filter((q) => systemText(q).includes("TESTER agent"));
    expect(sub[0]!.body.tools.map((t: { name: string }) => t.name)).toEqual(["Glob"]);
  });

  it("the json result's usage and cost include the subagent's tokens", async () => {
    const parentUsage = { input_tokens: 10, output_tokens: 5 };
    const subUsage = { input_tokens: 1000, output_tokens: 500 };
    route({
      parent: (_req, turn) =>
        turn === 0
          ? reply.message([agentCall("c1", "Explore", "find it")], { usage: parentUsage })
          : reply.text("ok", { usage: parentUsage }),
      agents: { "read-only search subagent": () => reply.text("found", { usage: subUsage }) },
    });
    const r = await runClaw(["-p", "go", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.usage.input_tokens).toBe(1020);
    expect(result.usage.output_tokens).toBe(510);
    const perModel = Object.values(result.modelUsage as Record<string, { inputTokens: number }>);
    expect(perModel.reduce((n, m) => n + m.inputTokens, 0)).toBe(1020);
    expect(result.total_cost_usd).toBeGreaterThan(0.003 * 1.02 - 1e-9);
  });

  it("a subagent's refused call is listed in the json result's permission_denials", async () => {
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("c1", "general-purpose", "make a file")]) : reply.text("ok"),
      agents: {
        "subagent of claw": (_req, turn) =>
          turn === 0
            ? reply.toolUse({ name: "Bash", input: { command: "touch nope.txt" }, id: "b1" })
            : reply.text("could not"),
      },
    });
    const r = await runClaw(["-p", "go", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).permission_denials).toEqual([
      { tool_name: "Bash", tool_use_id: "b1", tool_input: { command: "touch nope.txt" } },
    ]);
    expect(existsSync(join(e2e.sandbox.workspace, "nope.txt"))).toBe(false);
  });

  it("a subagent whose requests fail returns an error saying why; the parent goes on", async () => {
    route({
      parent: (req, turn) =>
        turn === 0
          ? reply.message([agentCall("c1", "Explore", "find")])
          : reply.text(`parent: ${resultText(toolResultOf(req))}`),
      agents: {
        "read-only search subagent": () =>
          reply.status(400, { errorType: "invalid_request_error", message: "bad sub request" }),
      },
    });
    const r = await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const result = toolResultOf(e2e.mock.messageRequests().at(-1)!);
    expect(result?.is_error).toBe(true);
    expect(resultText(result)).toMatch(/^The Explore agent failed: .*bad sub request/);
  });

  it("a malformed agent file is one warning naming it; the valid agents still work", async () => {
    writeAgent(projectAgents(), "reader.md", READER);
    writeAgent(projectAgents(), "broken.md", "---\nname: broken\ndescription: [oops\n---\nbody\n");
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("c1", "reader", "r")]) : reply.text("fine"),
      agents: { "READER agent": () => reply.text("read") },
    });
    const r = await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const warnings = r.stderr.trim().split("\n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^claw: agent file .*broken\.md: invalid YAML in the frontmatter: .*; skipped$/,
    );
    const agentTool = e2e.mock
      .messageRequests()[0]!
      .body.tools.find((t: { name: string }) => t.name === "Agent");
    expect(agentTool.description).not.toContain("broken");
    expect(resultText(toolResultOf(e2e.mock.messageRequests().at(-1)!))).toBe("read");
  });

  it("SIGINT during a subagent stops it and the parent; the session file is valid and resumes", async () => {
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("c1", "Explore", "slow")]) : reply.text("resumed fine"),
      agents: { "read-only search subagent": () => reply.stall({ afterText: "searching" }) },
    });
    const run = spawnClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env(), timeoutMs: 30_000 });
    await e2e.mock.waitForRequests(2, 20_000);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(/^\s*at /m);
    const dir = projectDir(e2e.sandbox.configHome, e2e.sandbox.workspace);
    const file = readdirSync(dir).find((f) => f.endsWith(".jsonl"))!;
    const session = loadSession(join(dir, file));
    expect(session.warnings).toEqual([]);
    const last = session.messages.at(-1)!;
    expect(last.role).toBe("user");
    expect(JSON.stringify(last.content)).toContain('"tool_use_id":"c1"');
    // The subagent's transcript sits beside the session file.
    const transcripts = join(dir, file.replace(/\.jsonl$/, ""), "subagents");
    expect(readdirSync(transcripts)).toHaveLength(1);

    e2e.mock.reset();
    route({ parent: () => reply.text("resumed fine"), agents: {} });
    const again = await runClaw(["-c", "-p", "and now?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("resumed fine\n");
    const sent = e2e.mock.messageRequests()[0]!.body.messages as Array<{ role: string; content: Block[] }>;
    const result = sent[2]!.content.find((b) => b.type === "tool_result");
    expect(result).toMatchObject({ tool_use_id: "c1", is_error: true });
  });

  it("the transcript is saved beside the session; hooks see SubagentStart/SubagentStop and the subagent's tool calls", async () => {
    writeAgent(projectAgents(), "reader.md", READER);
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "alpha\n");
    const log = join(e2e.sandbox.root, "hooks.log");
    const hook = (command: string) => [{ hooks: [{ type: "command", command }] }];
    const append = `cat >> ${log}; echo >> ${log}`;
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({
        hooks: {
          SubagentStart: hook(append),
          SubagentStop: hook(append),
          PreToolUse: [
            { matcher: "Read", hooks: [{ type: "command", command: append }] },
            { matcher: "Task", hooks: [{ type: "command", command: append }] },
          ],
        },
      }),
    );
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("c1", "reader", "read a.txt")]) : reply.text("done"),
      agents: {
        "READER agent": (_req, turn) =>
          turn === 0
            ? reply.toolUse({ name: "Read", input: { file_path: "a.txt" }, id: "r1" })
            : reply.text("alpha it is"),
      },
    });
    const r = await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const inputs = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(inputs.map((i) => `${i.hook_event_name}:${i.tool_name ?? i.agent_type}`)).toEqual([
      "PreToolUse:Agent",
      "SubagentStart:reader",
      "PreToolUse:Read",
      "SubagentStop:reader",
    ]);
    const start = inputs[1];
    const stop = inputs[3];
    expect(typeof start.agent_id).toBe("string");
    expect(start.session_id).toBe(inputs[0].session_id);
    expect(stop).toMatchObject({ agent_id: start.agent_id, stop_hook_active: false });
    expect(existsSync(stop.agent_transcript_path)).toBe(true);
    const transcript = loadSession(stop.agent_transcript_path);
    expect(transcript.header.subagent).toMatchObject({ agentType: "reader", parentToolUseId: "c1" });
    expect(JSON.stringify(transcript.messages)).toContain("alpha it is");
  });

  it("what a subagent changes belongs to the prompt's checkpoint: claw rewind restores it", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "one\n");
    route({
      parent: (_req, turn) =>
        turn === 0 ? reply.message([agentCall("c1", "general-purpose", "change a.txt")]) : reply.text("done"),
      agents: {
        "subagent of claw": (_req, turn) =>
          turn === 0
            ? reply.toolUse({ name: "Read", input: { file_path: "a.txt" }, id: "r1" })
            : turn === 1
              ? reply.toolUse({
                  name: "Edit",
                  input: { file_path: "a.txt", old_string: "one", new_string: "two" },
                  id: "e1",
                })
              : reply.text("edited"),
      },
    });
    const r = await runClaw(["-p", "edit through a subagent"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "a.txt"), "utf8")).toBe("two\n");
    const list = await runClaw(["rewind", "--list", "--json"], { sandbox: e2e.sandbox, env: e2e.env() });
    const entries = list.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ prompt: "edit through a subagent", files: ["a.txt"] });
    const back = await runClaw(["rewind", entries[0].id], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "a.txt"), "utf8")).toBe("one\n");
  });
});
