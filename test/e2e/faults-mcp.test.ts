// FAULTS.md M3 and M5 through the built CLI: an MCP server that dies mid-call, a call that never returns
// (per-call timeout) and Ctrl-C during such a call. The turn goes on or ends cleanly, and the session records
// a result for the call so the history stays valid.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSession } from "../../src/session/session-load.js";
import { projectDir } from "../../src/session/session-paths.js";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { testServerEntry } from "../support/mcp-build.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-faults-mcp-" });

async function writeServer(): Promise<void> {
  const entry = await testServerEntry();
  writeFileSync(join(e2e.sandbox.workspace, ".mcp.json"), JSON.stringify({ mcpServers: { t: entry } }));
}

function onlySessionFile(): string {
  const dir = projectDir(e2e.sandbox.configHome, e2e.sandbox.workspace);
  const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

type Block = { type: string; tool_use_id?: string; is_error?: boolean; content?: unknown };
/** The tool_result for `id` in the session's history. */
function sessionResult(id: string): Block | undefined {
  const messages = loadSession(onlySessionFile()).messages;
  for (const m of messages) {
    if (!Array.isArray(m.content)) continue;
    const found = (m.content as Block[]).find((b) => b.type === "tool_result" && b.tool_use_id === id);
    if (found) return found;
  }
  return undefined;
}

const ARGS = ["--allowedTools", "mcp__t", "--output-format", "json"];

describe("M3: a server killed mid-call", () => {
  it("fails the call fast with an error result, the turn goes on and is recorded", async () => {
    await writeServer();
    e2e.mock.enqueue(
      reply.toolUse({ name: "mcp__t__crash", input: {}, id: "toolu_crash" }),
      reply.text("carried on"),
    );
    const r = await runClaw(["-p", "crash it", ...ARGS], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("carried on");
    expect(sessionResult("toolu_crash")).toMatchObject({ is_error: true });
    expect(loadSession(onlySessionFile()).messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
  });
});

describe("M5: a call that never returns", () => {
  it("hits the per-call timeout; the model gets an error result and the turn completes", async () => {
    await writeServer();
    e2e.mock.enqueue(
      reply.toolUse({ name: "mcp__t__hang", input: {}, id: "toolu_hang" }),
      reply.text("after timeout"),
    );
    const r = await runClaw(["-p", "hang", ...ARGS], {
      sandbox: e2e.sandbox,
      env: e2e.env({ MCP_TOOL_TIMEOUT: "500" }),
    });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("after timeout");
    const result = sessionResult("toolu_hang");
    expect(result).toMatchObject({ is_error: true });
    expect(JSON.stringify(result?.content)).toMatch(/MCP_TOOL_TIMEOUT|no answer/);
  });

  it("Ctrl-C during it ends the run at once; -c then sends a history with an interrupted result", async () => {
    await writeServer();
    e2e.mock.enqueue(reply.toolUse({ name: "mcp__t__hang", input: {}, id: "toolu_hang2" }));
    const run = spawnClaw(
      ["-p", "hang", "--allowedTools", "mcp__t", "--output-format", "stream-json", "--verbose"],
      { sandbox: e2e.sandbox, env: e2e.env() },
    );
    // stream-json prints the assistant message with the tool_use before the call runs.
    await new Promise<void>((resolve) => {
      let seen = "";
      run.child.stdout?.on("data", (d: Buffer) => {
        seen += d.toString();
        if (seen.includes("toolu_hang2")) resolve();
      });
    });
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(130);
    e2e.mock.enqueue(reply.text("next"));
    const next = await runClaw(["-p", "-c", "again"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(next.code).toBe(0);
    const sent = e2e.mock.messageRequests().at(-1)?.body.messages as Array<{
      role: string;
      content: unknown;
    }>;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const results = (sent[2]!.content as Block[]).filter((b) => b.type === "tool_result");
    expect(results).toEqual([expect.objectContaining({ tool_use_id: "toolu_hang2", is_error: true })]);
  });
});
