// Print mode end to end: text streaming, json and stream-json shapes, piped stdin, bad input.

import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

function lastUserText(): string {
  const body = e2e.mock.messageRequests().at(-1)?.body as { messages: Array<{ content: unknown }> };
  return JSON.stringify(body.messages.at(-1)?.content);
}

describe("print mode", () => {
  it("streams the answer as text and exits 0", async () => {
    e2e.mock.enqueue(reply.text("hello from mock", { chunks: 3 }));
    const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hello from mock\n");
    expect(r.code).toBe(0);
  });

  it("reads no .env or bunfig.toml from the project (the native build's runtime would by default)", async () => {
    const ws = e2e.sandbox.workspace;
    writeFileSync(join(ws, ".env"), "ANTHROPIC_MODEL=model-from-dotenv\n");
    writeFileSync(join(ws, "bunfig.toml"), 'preload = ["./preload.js"]\n');
    writeFileSync(join(ws, "preload.js"), 'require("fs").writeFileSync("preloaded", "yes");\n');
    e2e.mock.enqueue(reply.text("plain"));
    const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stdout).toBe("plain\n");
    const request = e2e.mock.messageRequests().at(-1);
    expect(request?.body.model).not.toBe("model-from-dotenv");
    expect(existsSync(join(ws, "preloaded"))).toBe(false);
  });

  it("accepts `claw prompt <words>`", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(["prompt", "say", "ok"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stdout).toBe("ok\n");
    expect(lastUserText()).toContain("say ok");
  });

  it("adds piped stdin to the prompt, and uses stdin alone when there is no prompt", async () => {
    e2e.mock.enqueue(reply.text("a"), reply.text("b"));
    await runClaw(["-p", "explain"], { sandbox: e2e.sandbox, env: e2e.env(), input: "LOG LINE 42\n" });
    const first = lastUserText();
    expect(first).toContain("LOG LINE 42");
    expect(first).toContain("explain");
    const r = await runClaw(["-p"], { sandbox: e2e.sandbox, env: e2e.env(), input: "only stdin" });
    expect(r.code).toBe(0);
    expect(lastUserText()).toContain("only stdin");
  });

  it("refuses an empty prompt without sending anything", async () => {
    const r = await runClaw(["-p", "   "], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/prompt is empty/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("rejects unknown flags instead of treating them as prompt text", async () => {
    const r = await runClaw(["-p", "hi", "--no-such-flag"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^claw: unknown option/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("replaces invalid UTF-8 on stdin so the request body is valid JSON", async () => {
    e2e.mock.enqueue(reply.text("fine"));
    const r = await runClaw(["-p", "x"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
      input: Buffer.from([0x61, 0xff, 0xfe, 0x62]),
    });
    expect(r.code).toBe(0);
    expect(lastUserText()).toContain("a\uFFFD\uFFFDb");
  });

  it("prints one Claude Code-shaped result object with --output-format json", async () => {
    e2e.mock.enqueue(reply.text("hello", { usage: { input_tokens: 100, output_tokens: 5 } }));
    const r = await runClaw(["-p", "hi", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const reference = JSON.parse(
      readFileSync(join(__dirname, "../fixtures/claude-hello.json"), "utf8").toString(),
    );
    for (const key of [
      "type",
      "subtype",
      "is_error",
      "duration_ms",
      "duration_api_ms",
      "num_turns",
      "result",
      "stop_reason",
      "session_id",
      "total_cost_usd",
      "usage",
      "modelUsage",
      "permission_denials",
      "uuid",
    ]) {
      expect(result, key).toHaveProperty(key);
      expect(typeof result[key], key).toBe(typeof reference[key]);
    }
    expect(result).toMatchObject({ type: "result", subtype: "success", is_error: false, result: "hello" });
    expect(result.num_turns).toBe(1);
    expect(result.stop_reason).toBe("end_turn");
    expect(result.usage.input_tokens).toBe(100);
    expect(result.usage.output_tokens).toBe(5);
    expect(result.total_cost_usd).toBeGreaterThan(0);
  });

  it("reports errors as a json result with is_error and exit 1", async () => {
    e2e.mock.enqueue(reply.status(400, { errorType: "invalid_request_error", message: "bad thing" }));
    const r = await runClaw(["-p", "hi", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.is_error).toBe(true);
    expect(result.subtype).toBe("error_during_execution");
    expect(result.result).toMatch(/bad thing/);
  });

  it("emits init, assistant, user and result lines with stream-json", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo hi" }, id: "toolu_1" }),
      reply.text("done: hi"),
    );
    const r = await runClaw(
      ["-p", "run it", "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash(echo:*)"],
      { sandbox: e2e.sandbox, env: e2e.env() },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type}${l.subtype ? `/${l.subtype}` : ""}`)).toEqual([
      "system/init",
      "assistant",
      "user",
      "assistant",
      "result/success",
    ]);
    expect(lines[0]).toMatchObject({
      cwd: expect.any(String),
      session_id: expect.any(String),
      model: expect.any(String),
    });
    expect(lines[0].tools).toContain("Bash");
    expect(lines[1].message.content[0]).toMatchObject({ type: "tool_use", name: "Bash", id: "toolu_1" });
    expect(lines[2].message.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_1" });
    expect(JSON.stringify(lines[2].message.content[0].content)).toContain("hi");
    expect(lines[4]).toMatchObject({ result: "done: hi", num_turns: 2, session_id: lines[0].session_id });
  });

  it("adds stream_event lines with --include-partial-messages", async () => {
    e2e.mock.enqueue(reply.text("abc", { chunks: 3 }));
    const r = await runClaw(["-p", "hi", "--output-format", "stream-json", "--include-partial-messages"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const deltas = lines.filter((l) => l.type === "stream_event" && l.event.type === "content_block_delta");
    expect(deltas.map((l) => l.event.delta.text).join("")).toBe("abc");
  });

  it("streams a 5 MB answer that hits max_tokens completely and says how to continue (A11)", async () => {
    const big = `${"x".repeat(99)}\n`.repeat(50_000);
    e2e.mock.enqueue(reply.text(big, { chunks: 1000, stopReason: "max_tokens" }));
    const r = await runClaw(["-p", "write a lot"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(big.length);
    expect(r.stderr).toMatch(/output limit.*continue/);
  });

  it("does not offer tools that a bare deny rule refuses (Edit covers Write and NotebookEdit)", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(["-p", "hi", "--disallowedTools", "Bash", "Edit"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    const body = e2e.mock.messageRequests()[0]?.body as { tools: Array<{ name: string }> };
    const names = body.tools.map((t) => t.name);
    expect(names).toContain("Read");
    for (const hidden of ["Bash", "Edit", "Write", "NotebookEdit"]) expect(names).not.toContain(hidden);
  });

  it("does not hang on an open stdin that never sends anything when a prompt is given", async () => {
    e2e.mock.enqueue(reply.text("answered anyway"));
    const child = spawn(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), "-p", "hi"], {
      cwd: e2e.sandbox.workspace,
      env: cleanEnv(e2e.sandbox, { ...e2e.env(), CLAW_STDIN_WAIT_MS: "300" }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    // stdin stays open: nothing is written and it is never ended.
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(stdout).toBe("answered anyway\n");
  });
});
