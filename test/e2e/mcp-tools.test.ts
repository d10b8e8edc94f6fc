// MCP end to end: dist/claw.js -p with real stdio servers (.mcp.json, --mcp-config, --strict-mcp-config),
// the mock model calling an MCP tool, permission denial in print mode, and `claw mcp list|add|remove`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox, spawnClaw } from "../support/claw-runner.js";
import { testServerEntry } from "../support/mcp-build.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { isRunning } from "../support/processes.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
const env = (extra: Record<string, string> = {}) => ({
  ANTHROPIC_API_KEY: "test-key",
  ANTHROPIC_BASE_URL: mock.url,
  ...extra,
});

beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  sandbox = makeSandbox("claw-mcp-e2e-");
  mock.reset();
});
afterEach(() => sandbox.cleanup());

function writeMcpJson(servers: Record<string, unknown>): void {
  writeFileSync(join(sandbox.workspace, ".mcp.json"), JSON.stringify({ mcpServers: servers }, null, 2));
}

type Block = { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean; text?: string };
function lastUserBlocks(n: number): Block[] {
  const body = mock.messageRequests()[n]?.body as { messages: Array<{ role: string; content: unknown }> };
  const last = body.messages.at(-1);
  return Array.isArray(last?.content) ? (last.content as Block[]) : [];
}
function toolNames(n: number): string[] {
  return ((mock.messageRequests()[n]?.body.tools ?? []) as Array<{ name: string }>).map((t) => t.name);
}
function initLine(stdout: string): { mcp_servers: Array<{ name: string; status: string }>; tools: string[] } {
  const line = stdout.split("\n").find((l) => l.includes('"subtype":"init"'));
  if (!line) throw new Error(`no init line in:\n${stdout}`);
  return JSON.parse(line);
}

describe("MCP through the built CLI", () => {
  it("offers .mcp.json tools, runs a scripted call and sends its result in the next request", async () => {
    const pidFile = join(sandbox.root, "server.pid");
    writeMcpJson({ test: await testServerEntry("--bad-schemas", `--pid-file=${pidFile}`) });
    mock.enqueue(
      reply.toolUse({ name: "mcp__test__echo", input: { text: "from the model" }, id: "call1" }),
      reply.text("done"),
    );
    const r = await runClaw(
      [
        "-p",
        "use the echo tool",
        "--allowedTools",
        "mcp__test",
        "--output-format",
        "stream-json",
        "--verbose",
      ],
      { sandbox, env: env() },
    );
    expect(r.stderr).toContain('tool "string_schema" skipped');
    expect(r.code).toBe(0);
    const init = initLine(r.stdout);
    expect(init.mcp_servers).toEqual([{ name: "test", status: "connected" }]);
    expect(init.tools).toContain("mcp__test__echo");
    const offered = toolNames(0);
    expect(offered).toContain("mcp__test__echo");
    expect(offered).toContain("Read");
    expect(offered.some((n) => n.includes("schema"))).toBe(false);
    const result = lastUserBlocks(1).find((b) => b.type === "tool_result");
    expect(result?.tool_use_id).toBe("call1");
    expect(result?.is_error).toBeFalsy();
    expect(JSON.stringify(result?.content)).toContain("echo: from the model");
    // The server is gone once claw has exited.
    const pid = Number(readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 40 && isRunning(pid); i++) await new Promise((res) => setTimeout(res, 50));
    expect(isRunning(pid)).toBe(false);
  });

  it("a failing server is reported and the run goes on with the others", async () => {
    writeMcpJson({ broken: await testServerEntry("--exit-at-startup"), test: await testServerEntry() });
    mock.enqueue(reply.text("fine"));
    const r = await runClaw(["-p", "hi", "--output-format", "stream-json", "--verbose"], {
      sandbox,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(initLine(r.stdout).mcp_servers).toEqual([
      { name: "broken", status: "failed" },
      { name: "test", status: "connected" },
    ]);
    expect(r.stderr).toContain('MCP server "broken" failed');
    expect(r.stderr).toContain("cannot open database");
    expect(toolNames(0)).toContain("mcp__test__echo");
  });

  it("a server that never answers initialize is bounded by MCP_TIMEOUT", async () => {
    writeMcpJson({ mute: await testServerEntry("--no-init") });
    mock.enqueue(reply.text("fine"));
    const r = await runClaw(["-p", "hi", "--output-format", "stream-json", "--verbose"], {
      sandbox,
      env: env({ MCP_TIMEOUT: "800" }),
    });
    expect(r.code).toBe(0);
    expect(initLine(r.stdout).mcp_servers).toEqual([{ name: "mute", status: "failed" }]);
    expect(r.stderr).toContain("MCP_TIMEOUT");
  });

  it("SIGTERM while servers are still starting leaves no server behind", async () => {
    const pidFile = join(sandbox.root, "starting.pid");
    // `sleep` never reads stdin, so only claw can stop it.
    writeMcpJson({ sleepy: { command: "sh", args: ["-c", `echo $$ > ${pidFile}; exec sleep 1000`] } });
    const run = spawnClaw(["-p", "hi"], { sandbox, env: env({ MCP_TIMEOUT: "20000" }) });
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 25));
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(isRunning(pid)).toBe(true);
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.timedOut).toBe(false);
    for (let i = 0; i < 40 && isRunning(pid); i++) await new Promise((res) => setTimeout(res, 50));
    expect(isRunning(pid)).toBe(false);
  });

  it("--strict-mcp-config uses only --mcp-config servers", async () => {
    writeMcpJson({ project: await testServerEntry() });
    const flag = JSON.stringify({ mcpServers: { flagged: await testServerEntry() } });
    mock.enqueue(reply.text("ok"), reply.text("ok"));
    const strict = await runClaw(["-p", "hi", "--mcp-config", flag, "--strict-mcp-config"], {
      sandbox,
      env: env(),
    });
    expect(strict.code).toBe(0);
    expect(toolNames(0)).toContain("mcp__flagged__echo");
    expect(toolNames(0).some((n) => n.startsWith("mcp__project__"))).toBe(false);
    const merged = await runClaw(["-p", "hi", "--mcp-config", flag], { sandbox, env: env() });
    expect(merged.code).toBe(0);
    expect(toolNames(1)).toContain("mcp__flagged__echo");
    expect(toolNames(1)).toContain("mcp__project__echo");
  });

  it("print mode denies an MCP tool that no rule allows; the server never runs it", async () => {
    writeMcpJson({ test: await testServerEntry() });
    const marker = join(sandbox.workspace, "touched.txt");
    mock.enqueue(
      reply.toolUse({ name: "mcp__test__touch", input: { path: marker }, id: "t1" }),
      reply.text("ok"),
    );
    const r = await runClaw(["-p", "touch it", "--output-format", "json"], { sandbox, env: env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permission_denials).toEqual([
      { tool_name: "mcp__test__touch", tool_use_id: "t1", tool_input: { path: marker } },
    ]);
    const result = lastUserBlocks(1).find((b) => b.type === "tool_result");
    expect(result?.is_error).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it("an allow rule for one tool lets that tool run", async () => {
    writeMcpJson({ test: await testServerEntry() });
    const marker = join(sandbox.workspace, "touched.txt");
    mock.enqueue(reply.toolUse({ name: "mcp__test__touch", input: { path: marker } }), reply.text("ok"));
    const r = await runClaw(["-p", "touch it", "--allowedTools", "mcp__test__touch"], {
      sandbox,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(readFileSync(marker, "utf8")).toBe("touched\n");
  });
});

describe("claw mcp list|add|remove", () => {
  it("adds a project server to .mcp.json, lists it with its tools, and removes it", async () => {
    const server = await testServerEntry("--bad-schemas");
    const add = await runClaw(
      ["mcp", "add", "--scope", "project", "-e", "GREETING=hi", "tester", server.command, ...server.args],
      { sandbox, env: env() },
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    const written = JSON.parse(readFileSync(join(sandbox.workspace, ".mcp.json"), "utf8"));
    expect(written.mcpServers.tester).toEqual({
      type: "stdio",
      command: server.command,
      args: server.args,
      env: { GREETING: "hi" },
    });

    const list = await runClaw(["mcp", "list"], { sandbox, env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/tester: .* - ✓ Connected \(\d+ tools, 3 skipped\)/);
    expect(list.stdout).toContain("skipped tool string_schema");

    const get = await runClaw(["mcp", "get", "tester"], { sandbox, env: env() });
    expect(get.stdout).toContain("Tool: mcp__tester__echo");

    const remove = await runClaw(["mcp", "remove", "tester"], { sandbox, env: env() });
    expect(remove.code).toBe(0);
    expect(JSON.parse(readFileSync(join(sandbox.workspace, ".mcp.json"), "utf8")).mcpServers).toEqual({});
    const again = await runClaw(["mcp", "remove", "tester"], { sandbox, env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no MCP server named "tester"');
  });

  it("adds http servers with headers to user settings and local servers to settings.local.json, keeping other keys", async () => {
    writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ model: "claude-x" }));
    const user = await runClaw(
      [
        "mcp",
        "add",
        "-s",
        "user",
        "-t",
        "http",
        "-H",
        "Authorization: Bearer abc",
        "web",
        "http://127.0.0.1:1/mcp",
      ],
      { sandbox, env: env() },
    );
    expect(user.code).toBe(0);
    expect(JSON.parse(readFileSync(join(sandbox.configHome, "settings.json"), "utf8"))).toEqual({
      model: "claude-x",
      mcpServers: {
        web: { type: "http", url: "http://127.0.0.1:1/mcp", headers: { Authorization: "Bearer abc" } },
      },
    });
    const local = await runClaw(["mcp", "add", "loc", "node", "server.js", "--port", "3"], {
      sandbox,
      env: env(),
    });
    expect(local.code).toBe(0);
    const localFile = JSON.parse(
      readFileSync(join(sandbox.workspace, ".claude", "settings.local.json"), "utf8"),
    );
    expect(localFile.mcpServers.loc).toEqual({
      type: "stdio",
      command: "node",
      args: ["server.js", "--port", "3"],
      env: {},
    });

    const list = await runClaw(["mcp", "list"], { sandbox, env: env({ MCP_TIMEOUT: "2000" }) });
    expect(list.stdout).toContain("web: http://127.0.0.1:1/mcp (HTTP) - ✗ Failed");
    expect(list.stdout).toContain("loc: node server.js --port 3 - ✗ Failed");

    const bad = await runClaw(["mcp", "add", "-s", "nowhere", "x", "y"], { sandbox, env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown scope "nowhere"');
  });

  it("refuses to rewrite a settings file that is not valid JSON", async () => {
    const path = join(sandbox.configHome, "settings.json");
    writeFileSync(path, "{ broken");
    const r = await runClaw(["mcp", "add", "-s", "user", "x", "cmd"], { sandbox, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not valid JSON");
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });
});
