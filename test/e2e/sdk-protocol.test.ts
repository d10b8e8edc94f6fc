// The stream-json control protocol spoken by hand, as the Python Agent SDK and scripts speak it: `claw -v`
// first, initialize answered before the prompt is sent, control requests answered by request_id, bad flags.
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const STREAM_ARGS = ["--output-format", "stream-json", "--verbose", "--input-format", "stream-json"];

type Line = Record<string, unknown>;

/** A claw child speaking stream-json: send lines, wait for the line that matches. */
function startProtocol(extraArgs: string[]) {
  const child = spawn(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), ...STREAM_ARGS, ...extraArgs], {
    cwd: e2e.sandbox.workspace,
    env: cleanEnv(e2e.sandbox, e2e.env()),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stderr })),
  );
  const seen: Line[] = [];
  const waiters: Array<{ test: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  createInterface({ input: child.stdout }).on("line", (text) => {
    const line = JSON.parse(text) as Line;
    seen.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  return {
    seen,
    done,
    send(line: Line) {
      child.stdin.write(`${JSON.stringify(line)}\n`);
    },
    close() {
      child.stdin.end();
    },
    waitFor(test: (line: Line) => boolean): Promise<Line> {
      const found = seen.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

const answerTo = (id: string) => (line: Line) =>
  line.type === "control_response" && (line.response as Line).request_id === id;

describe("stream-json protocol by hand", () => {
  it("serves a Python-SDK-style run: -v, argv system prompt, initialize answered before the prompt", async () => {
    const version = execFileSync(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), "-v"], { encoding: "utf8" });
    expect(version).toMatch(/^claw \d/);
    e2e.mock.enqueue(reply.text("hi from python"));
    const p = startProtocol(["--system-prompt", "PY-SYSTEM-MARK"]);
    p.send({
      type: "control_request",
      request_id: "init-1",
      request: { subtype: "initialize", hooks: null },
    });
    const init = await p.waitFor(answerTo("init-1"));
    expect((init.response as Line).subtype).toBe("success");
    const answer = (init.response as Line).response as Line;
    expect(answer.pid).toEqual(expect.any(Number));
    expect(answer.models).toEqual(expect.any(Array));
    expect(e2e.mock.messageRequests()).toHaveLength(0);
    p.send({
      type: "user",
      message: { role: "user", content: "hello" },
      parent_tool_use_id: null,
      session_id: "",
    });
    const result = await p.waitFor((line) => line.type === "result");
    expect(result.result).toBe("hi from python");
    p.close();
    const exit = await p.done;
    expect(exit.code).toBe(0);
    expect(JSON.stringify(e2e.mock.messageRequests()[0]?.body.system)).toContain("PY-SYSTEM-MARK");
    for (const line of p.seen.filter((l) => l.type !== "control_response")) {
      expect(line.session_id).toEqual(expect.any(String));
      expect(line.uuid).toEqual(expect.any(String));
    }
  });

  it("answers control requests by id: unknown subtypes are errors, mcp_status and set_permission_mode work", async () => {
    const p = startProtocol([]);
    p.send({ type: "control_request", request_id: "r1", request: { subtype: "initialize" } });
    p.send({ type: "control_request", request_id: "r2", request: { subtype: "bogus_subtype" } });
    p.send({ type: "control_request", request_id: "r3", request: { subtype: "mcp_status" } });
    p.send({
      type: "control_request",
      request_id: "r4",
      request: { subtype: "set_permission_mode", mode: "plan" },
    });
    const bogus = (await p.waitFor(answerTo("r2"))).response as Line;
    expect(bogus).toEqual({
      subtype: "error",
      request_id: "r2",
      error: "Unsupported control request subtype: bogus_subtype",
    });
    expect(((await p.waitFor(answerTo("r3"))).response as Line).response).toEqual({ mcpServers: [] });
    expect(((await p.waitFor(answerTo("r4"))).response as Line).response).toEqual({ mode: "plan" });
    const status = await p.waitFor((line) => line.type === "system" && line.subtype === "status");
    expect(status.permissionMode).toBe("plan");
    p.close();
    expect((await p.done).code).toBe(0);
  });

  it("echoes user lines with --replay-user-messages and exits 1 when the last result was an error", async () => {
    e2e.mock.enqueue(reply.status(400, { errorType: "invalid_request_error", message: "bad request" }));
    const p = startProtocol(["--replay-user-messages"]);
    p.send({
      type: "user",
      message: { role: "user", content: "echo me" },
      parent_tool_use_id: null,
      uuid: "u-1",
    });
    const echo = await p.waitFor((line) => line.type === "user" && line.isReplay === true);
    expect(echo.uuid).toBe("u-1");
    const result = await p.waitFor((line) => line.type === "result");
    expect(result.is_error).toBe(true);
    expect(result.errors).toEqual([expect.stringContaining("bad request")]);
    p.close();
    expect((await p.done).code).toBe(1);
  });

  it("refuses flags it cannot honour with a line that says so", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--input-format", "stream-json"], /needs --output-format stream-json/],
      [[...STREAM_ARGS, "--permission-prompt-tool", "mcp__x__ask"], /only "stdio"/],
      [[...STREAM_ARGS, "--setting-sources=everything"], /unknown source "everything"/],
      [[...STREAM_ARGS, "--fork-session"], /needs --resume/],
    ];
    for (const [args, message] of cases) {
      const r = await runClaw(args, { sandbox: e2e.sandbox, env: e2e.env() });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
