// Sessions end to end through dist/claw.js: -c and -r carry the whole exchange (tool calls included),
// --session-id, a missing session, a torn last line (S1), a dangling tool_use (S4), two writers (S5).
import { appendFileSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadSession } from "../../src/session/session-load.js";
import { projectDir } from "../../src/session/session-paths.js";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";

let handler: ((request: LoggedRequest) => MockReply | undefined) | undefined;
const e2e = setupMockApi({ handler: (request) => handler?.(request) });

beforeEach(() => {
  handler = undefined;
});

type WireMessage = { role: string; content: string | Array<Record<string, unknown>> };
const messagesOf = (request: LoggedRequest | undefined): WireMessage[] =>
  (request?.body as { messages?: WireMessage[] } | undefined)?.messages ?? [];
const sessionDir = () => projectDir(e2e.sandbox.configHome, e2e.sandbox.workspace);
const sessionFiles = () => {
  try {
    return readdirSync(sessionDir()).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
};

describe("resuming sessions", () => {
  it("-c sends the previous exchange, tool call and result included, and appends to the same file", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "the secret number is 4217\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "notes.txt" }, id: "toolu_read1" }),
      reply.text("I read it."),
    );
    const first = await runClaw(["-p", "read notes.txt"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(first.code).toBe(0);
    expect(sessionFiles()).toHaveLength(1);

    e2e.mock.requests.length = 0;
    e2e.mock.enqueue(reply.text("It is 4217."));
    const second = await runClaw(["-p", "-c", "what is the number?"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("It is 4217.\n");
    const sent = messagesOf(e2e.mock.messageRequests()[0]);
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
    expect(JSON.stringify(sent[0])).toContain("read notes.txt");
    expect(sent[1]!.content).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "tool_use", id: "toolu_read1", name: "Read" }),
      ]),
    );
    expect(sent[2]!.content).toEqual([
      expect.objectContaining({
        type: "tool_result",
        tool_use_id: "toolu_read1",
        content: expect.stringContaining("4217"),
      }),
    ]);
    expect(JSON.stringify(sent[3])).toContain("I read it.");
    expect(JSON.stringify(sent[4])).toContain("what is the number?");
    expect(sessionFiles()).toHaveLength(1);
    const file = readFileSync(join(sessionDir(), sessionFiles()[0]!), "utf8");
    expect(file).toContain("what is the number?");
    expect(file).toContain("It is 4217.");
  });

  it("-r <id> resumes that session, not the latest; --session-id names a new one", async () => {
    const idA = "11111111-2222-4333-8444-555555555555";
    const idB = "66666666-7777-4888-8999-aaaaaaaaaaaa";
    e2e.mock.enqueue(reply.text("answer A"), reply.text("answer B"), reply.text("resumed"));
    expect(
      (await runClaw(["-p", "--session-id", idA, "prompt A"], { sandbox: e2e.sandbox, env: e2e.env() })).code,
    ).toBe(0);
    expect(
      (await runClaw(["-p", "--session-id", idB, "prompt B"], { sandbox: e2e.sandbox, env: e2e.env() })).code,
    ).toBe(0);
    expect(sessionFiles().sort()).toEqual([`${idA}.jsonl`, `${idB}.jsonl`]);

    e2e.mock.requests.length = 0;
    const r = await runClaw(["-p", "-r", idA, "and now?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const sent = JSON.stringify(messagesOf(e2e.mock.messageRequests()[0]));
    expect(sent).toContain("prompt A");
    expect(sent).toContain("answer A");
    expect(sent).not.toContain("prompt B");
  });

  it("reports the session id in json output and resumes it", async () => {
    e2e.mock.enqueue(reply.text("first"), reply.text("second"));
    const r = await runClaw(["-p", "--output-format", "json", "hello"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    const id = (JSON.parse(r.stdout) as { session_id: string }).session_id;
    expect(sessionFiles()).toEqual([`${id}.jsonl`]);
    const again = await runClaw(["-p", "--output-format", "json", "-r", id, "again"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect((JSON.parse(again.stdout) as { session_id: string }).session_id).toBe(id);
  });

  it("says so in one line, exits 1 and sends nothing when the session cannot be found or the id is bad", async () => {
    const missing = await runClaw(["-p", "-r", "deadbeef-0000-4000-8000-000000000000", "hi"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/No session found with id deadbeef/);
    const cont = await runClaw(["-p", "-c", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(cont.code).toBe(1);
    expect(cont.stderr).toMatch(/No session to continue/);
    const bad = await runClaw(["-p", "--session-id", "nope", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/UUID/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
    expect(sessionFiles()).toEqual([]);

    e2e.mock.enqueue(reply.text("ok"));
    const id = "0b9f3a52-6c1e-4a7d-9d7e-2f3c4b5a6d7e";
    await runClaw(["-p", "--session-id", id, "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    const dup = await runClaw(["-p", "--session-id", id, "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    expect(e2e.mock.messageRequests()).toHaveLength(1);
  });

  it("drops a torn last line with a warning and resumes the complete records (S1)", async () => {
    e2e.mock.enqueue(reply.text("kept answer"));
    await runClaw(["-p", "kept prompt"], { sandbox: e2e.sandbox, env: e2e.env() });
    const path = join(sessionDir(), sessionFiles()[0]!);
    appendFileSync(path, '{"type":"user","message":{"role":"user","content":"torn pro');

    e2e.mock.requests.length = 0;
    e2e.mock.enqueue(reply.text("fine"), reply.text("fine again"));
    const r = await runClaw(["-p", "-c", "after the crash"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cut off/);
    const sent = JSON.stringify(messagesOf(e2e.mock.messageRequests()[0]));
    expect(sent).toContain("kept answer");
    expect(sent).not.toContain("torn pro");
    // The torn bytes were cut before appending: the next resume is clean.
    const again = await runClaw(["-p", "-c", "and again"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(again.stderr).toBe("");
    expect(loadSession(path).warnings).toEqual([]);
  });

  it("answers a tool_use left without a result, so the API accepts the history (S4)", async () => {
    const id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    mkdirSync(sessionDir(), { recursive: true });
    const lines = [
      {
        type: "header",
        version: 1,
        id,
        cwd: e2e.sandbox.workspace,
        model: "claude-sonnet-4-5",
        created: new Date().toISOString(),
        clawVersion: "0.1.0",
      },
      { type: "user", message: { role: "user", content: "run the slow thing" } },
      {
        type: "assistant",
        message: {
          id: "msg_x",
          model: "claude-sonnet-4-5",
          stopReason: "tool_use",
          usage: {
            input_tokens: 5,
            output_tokens: 5,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
          content: [
            { type: "tool_use", id: "toolu_dangling", name: "Bash", input: { command: "sleep 1000" } },
          ],
        },
      },
    ];
    writeFileSync(join(sessionDir(), `${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    e2e.mock.enqueue(reply.text("recovered"));
    const r = await runClaw(["-p", "-r", id, "what happened?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("recovered\n");
    const sent = messagesOf(e2e.mock.messageRequests()[0]);
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const results = sent[2]!.content as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_dangling", is_error: true });
    expect(JSON.stringify(results)).toContain("what happened?");
  });

  it("has the tool result on disk when claw is killed -9 right after it (S2)", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "data.txt"), "payload-93\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "data.txt" }, id: "toolu_kill" }),
      reply.stallAfterHeaders(),
    );
    const run = spawnClaw(["-p", "read data.txt"], { sandbox: e2e.sandbox, env: e2e.env() });
    // The second request means the tool result was produced and the loop moved on.
    await e2e.mock.waitForRequests(2);
    run.child.kill("SIGKILL");
    await run.done;
    const session = loadSession(join(sessionDir(), sessionFiles()[0]!));
    expect(session.warnings).toEqual([]);
    expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(session.messages[2])).toContain("payload-93");
  });

  it("keeps two concurrent sessions in one directory in separate, intact files (S5)", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "f.txt"), "x\n");
    // Each process does 15 Read round trips, so their appends interleave in time.
    handler = (request) => {
      const messages = messagesOf(request);
      const turns = messages.filter((m) => m.role === "assistant").length;
      const tag = JSON.stringify(messages[0]).includes("alpha") ? "alpha" : "beta";
      return turns < 15
        ? reply.toolUse({ name: "Read", input: { file_path: "f.txt" }, id: `toolu_${tag}_${turns}` })
        : reply.text(`${tag} done`);
    };
    const a = spawnClaw(["-p", "alpha task", "--max-turns", "30"], { sandbox: e2e.sandbox, env: e2e.env() });
    const b = spawnClaw(["-p", "beta task", "--max-turns", "30"], { sandbox: e2e.sandbox, env: e2e.env() });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const files = sessionFiles();
    expect(files).toHaveLength(2);
    const loaded = files.map((f) => loadSession(join(sessionDir(), f)));
    for (const session of loaded) {
      expect(session.warnings).toEqual([]);
      expect(session.messages).toHaveLength(32);
      const text = JSON.stringify(session.messages);
      const own = text.includes("alpha task") ? "alpha" : "beta";
      expect(text).not.toContain(own === "alpha" ? "beta" : "alpha");
    }
    // -c picks the most recently written one.
    const alpha = files.find((_, i) => JSON.stringify(loaded[i]!.messages).includes("alpha"))!;
    const now = new Date(Date.now() + 5000);
    utimesSync(join(sessionDir(), alpha), now, now);
    handler = () => reply.text("continued");
    e2e.mock.requests.length = 0;
    await runClaw(["-p", "-c", "next"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(JSON.stringify(messagesOf(e2e.mock.messageRequests()[0]))).toContain("alpha task");
  });

  it("lists this directory's sessions with `claw sessions`", async () => {
    e2e.mock.enqueue(reply.text("one"), reply.text("two"));
    await runClaw(["-p", "first question"], { sandbox: e2e.sandbox, env: e2e.env() });
    await runClaw(
      ["-p", "second question about something rather long that should be clipped at sixty chars"],
      {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      },
    );
    const r = await runClaw(["sessions"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+STARTED\s+MESSAGES\s+SIZE\s+LAST PROMPT/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("second question about something rather long that should be…");
    expect(lines[2]).toContain("first question");
    const empty = await runClaw(["sessions"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
      cwd: e2e.sandbox.home,
    });
    expect(empty.stdout).toMatch(/No saved sessions/);
  });
});
