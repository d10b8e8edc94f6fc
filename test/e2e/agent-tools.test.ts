// The agent loop end to end: dist/claw.js -p against the mock API, real tools on a temp workspace.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { block, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

type ToolResultBlock = { type: string; tool_use_id: string; content: unknown; is_error?: boolean };

/** The tool_result blocks the CLI sent back in request number `n` (0-based). */
function toolResults(n: number): ToolResultBlock[] {
  const body = e2e.mock.messageRequests()[n]?.body as { messages: Array<{ role: string; content: unknown }> };
  const last = body.messages.at(-1);
  expect(last?.role).toBe("user");
  return ((last?.content ?? []) as ToolResultBlock[]).filter((b) => b.type === "tool_result");
}
const text = (b: ToolResultBlock | undefined) => JSON.stringify(b?.content ?? "");

async function json(args: string[]) {
  const r = await runClaw([...args, "--output-format", "json"], { sandbox: e2e.sandbox, env: e2e.env() });
  return { ...r, result: JSON.parse(r.stdout || "{}") };
}

describe("agent loop through the built CLI", () => {
  it("Read round trip: the file content reaches the next request", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "alpha\nbeta\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "notes.txt" }, id: "t1" }),
      reply.text("read it"),
    );
    const r = await json(["-p", "read notes"]);
    expect(r.code).toBe(0);
    expect(r.result).toMatchObject({ result: "read it", num_turns: 2, is_error: false });
    const [result] = toolResults(1);
    expect(result?.tool_use_id).toBe("t1");
    expect(text(result)).toContain("alpha");
    expect(text(result)).toContain("beta");
  });

  it("Write inside the workspace is allowed in the default mode", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: "out/new.txt", content: "made by claw\n" } }),
      reply.text("written"),
    );
    const r = await json(["-p", "write a file"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "out/new.txt"), "utf8")).toBe("made by claw\n");
    expect(toolResults(1)[0]?.is_error).toBeFalsy();
  });

  it("Write in read-only mode is refused: no file, the model gets the reason, the turn completes", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: "x.txt", content: "no" } }),
      reply.text("ok"),
    );
    const r = await json(["-p", "write", "--permission-mode", "read-only"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "x.txt"))).toBe(false);
    const [result] = toolResults(1);
    expect(result?.is_error).toBe(true);
    expect(text(result)).toMatch(/read-only/i);
    expect(r.result.permission_denials).toHaveLength(1);
    expect(r.result.permission_denials[0]).toMatchObject({ tool_name: "Write" });
  });

  it("Edit after Read changes the file", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.ts"), "const x = 1;\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "a.ts" } }),
      reply.toolUse({ name: "Edit", input: { file_path: "a.ts", old_string: "x = 1", new_string: "x = 2" } }),
      reply.text("edited"),
    );
    const r = await json(["-p", "edit"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "a.ts"), "utf8")).toBe("const x = 2;\n");
  });

  it("Bash round trip when allowed by a rule; tool input split over several input_json_delta chunks", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo round-trip-ok" }, chunks: 5 }),
      reply.text("ran"),
    );
    const r = await json(["-p", "run", "--allowedTools", "Bash(echo:*)"]);
    expect(r.code).toBe(0);
    expect(text(toolResults(1)[0])).toContain("round-trip-ok");
  });

  it("a Bash call that needs approval in print mode is denied, not hung", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch made.txt" } }),
      reply.text("fine"),
    );
    const r = await json(["-p", "touch"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(false);
    expect(toolResults(1)[0]?.is_error).toBe(true);
    expect(r.result.permission_denials[0]).toMatchObject({ tool_name: "Bash" });
  });

  it("two tool calls in one message both run and both results go back in order", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "one.txt"), "first file\n");
    writeFileSync(join(e2e.sandbox.workspace, "two.txt"), "second file\n");
    e2e.mock.enqueue(
      reply.message([
        block.text("reading both"),
        block.toolUse({ name: "Read", input: { file_path: "one.txt" }, id: "a" }),
        block.toolUse({ name: "Read", input: { file_path: "two.txt" }, id: "b" }),
      ]),
      reply.text("both read"),
    );
    const r = await json(["-p", "read both"]);
    expect(r.code).toBe(0);
    const results = toolResults(1);
    expect(results.map((b) => b.tool_use_id)).toEqual(["a", "b"]);
    expect(text(results[0])).toContain("first file");
    expect(text(results[1])).toContain("second file");
  });

  it("unknown tools and invalid input become error results the model can act on", async () => {
    e2e.mock.enqueue(
      reply.message([
        block.toolUse({ name: "NoSuchTool", input: {}, id: "u" }),
        block.toolUse({ name: "Read", input: { wrong: 1 }, id: "v" }),
        block.toolUse({ name: "Read", input: {}, id: "w", rawJson: '{"file_path": "x' }),
      ]),
      reply.text("recovered"),
    );
    const r = await json(["-p", "go"]);
    expect(r.code).toBe(0);
    const results = toolResults(1);
    expect(results.every((b) => b.is_error)).toBe(true);
    expect(text(results[0])).toMatch(/NoSuchTool/);
    expect(text(results[1])).toMatch(/file_path/);
    expect(text(results[2])).toMatch(/not valid JSON/);
  });

  it("stops at --max-turns with subtype error_max_turns", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "f.txt"), "x\n");
    for (let i = 0; i < 3; i++)
      e2e.mock.enqueue(reply.toolUse({ name: "Read", input: { file_path: "f.txt" } }));
    const r = await json(["-p", "loop", "--max-turns", "2"]);
    expect(r.code).toBe(1);
    expect(r.result).toMatchObject({ subtype: "error_max_turns", is_error: true, num_turns: 2 });
    expect(e2e.mock.messageRequests()).toHaveLength(2);
  });

  it("SIGINT during a long Bash call kills its process group and exits cleanly", async () => {
    const marker = `claw-sigint-${process.pid}-${Date.now()}`;
    // Durations unique to this run, so pgrep cannot see another test's (or another suite's) sleeps.
    const seconds = 100_000 + Math.floor(Math.random() * 800_000);
    e2e.mock.enqueue(
      reply.toolUse({
        name: "Bash",
        input: { command: `sleep ${seconds} & sleep ${seconds + 1}; echo ${marker}` },
      }),
    );
    const run = spawnClaw(["-p", "sleep", "--dangerously-skip-permissions"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    // Generous: on a loaded machine claw's start and first request alone can take seconds.
    const deadline = Date.now() + 60_000;
    const sleeping = () => {
      try {
        return (
          execFileSync("pgrep", ["-f", `^sleep (${seconds}|${seconds + 1})$`])
            .toString()
            .trim().length > 0
        );
      } catch {
        return false;
      }
    };
    while (!sleeping() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sleeping()).toBe(true);
    run.child.kill("SIGINT");
    const done = await run.done;
    expect(done.timedOut).toBe(false);
    expect(done.code).toBe(130);
    expect(done.stderr).not.toMatch(/at .*\.js:\d+/);
    // The group is killed before claw exits; wait (bounded) for the kernel to finish reaping it.
    const gone = Date.now() + 10_000;
    while (sleeping() && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect(sleeping()).toBe(false);
  }, 120_000);

  it("WebFetch answers its prompt over the page with a small, tool-less model request", async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body><h1>Release notes</h1><p>Version 7 adds widgets.</p></body></html>");
    });
    await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
    const port = (page.address() as { port: number }).port;
    try {
      e2e.mock.enqueue(
        reply.toolUse({
          name: "WebFetch",
          input: { url: `http://127.0.0.1:${port}/notes`, prompt: "Which version?" },
        }),
        reply.text("SMALL-MODEL: version 7"),
        reply.text("It is version 7."),
      );
      const r = await json(["-p", "check the notes", "--allowedTools", "WebFetch"]);
      expect(r.code).toBe(0);
      const [, side] = e2e.mock.messageRequests();
      const sideBody = side?.body as { model: string; tools?: unknown[]; messages: unknown[] };
      expect(sideBody.model, `${r.stderr}\n${JSON.stringify(r.result)}`).toMatch(/haiku/);
      expect(sideBody.tools ?? []).toHaveLength(0);
      expect(JSON.stringify(sideBody.messages)).toContain("Version 7 adds widgets");
      expect(text(toolResults(2)[0])).toContain("SMALL-MODEL: version 7");
      expect(r.result.result).toBe("It is version 7.");
      // The side request's cost is in the session file too, marked so it is not taken for the context size.
      const sessionFile = execFileSync("find", [
        e2e.sandbox.configHome,
        "-name",
        `${r.result.session_id}.jsonl`,
      ])
        .toString()
        .trim();
      const records = readFileSync(sessionFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(records.some((rec) => rec.type === "usage" && rec.purpose === "web_fetch")).toBe(true);
    } finally {
      page.close();
    }
  });
});
