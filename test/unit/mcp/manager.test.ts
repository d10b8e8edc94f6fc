// The MCP manager against real servers over stdio: our SDK-built test server and server-everything.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { McpServerEntry } from "../../../src/mcp/config.js";
import { type McpManager, startMcpServers } from "../../../src/mcp/manager.js";
import type { Tool, ToolContext } from "../../../src/tools/types.js";
import { everythingServerEntry, testServerEntry } from "../../support/mcp-build.js";
import { isRunning } from "../../support/processes.js";

const cwd = mkdtempSync(join(tmpdir(), "claw-mcp-unit-"));
const managers: McpManager[] = [];

function entry(name: string, config: { command: string; args: string[] }, env: Record<string, string> = {}) {
  return { name, scope: "flag", source: "test", config: { type: "stdio", env, ...config } } as McpServerEntry;
}

async function start(
  servers: McpServerEntry[],
  opts: { startupTimeoutMs?: number; toolTimeoutMs?: number } = {},
) {
  const notices: string[] = [];
  const manager = await startMcpServers({
    cwd,
    configHome: cwd,
    servers,
    env: { PATH: process.env.PATH ?? "", ANTHROPIC_API_KEY: "sk-secret", VISIBLE: "yes" },
    onNotice: (m) => notices.push(m),
    ...opts,
  });
  managers.push(manager);
  return { manager, notices };
}

function ctx(signal = new AbortController().signal): ToolContext {
  return {
    cwd,
    signal,
    workspace: { roots: [cwd], resolve: async (p) => p, contains: () => true },
    env: {},
    scratchDir: cwd,
    session: { readFiles: new Map(), todos: [] },
  };
}

function tool(manager: McpManager, name: string): Tool {
  const found = manager.tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}; have ${manager.tools.map((t) => t.name).join(", ")}`);
  return found;
}

async function call(manager: McpManager, name: string, input: unknown, signal?: AbortSignal) {
  const t = tool(manager, name);
  const parsed = t.parse(input);
  if (!parsed.ok) throw new Error(parsed.error);
  return t.execute(parsed.value, ctx(signal));
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  return (content as Array<{ type: string; text?: string }>).map((b) => b.text ?? `[${b.type}]`).join("\n");
}

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

describe("MCP manager over stdio", () => {
  it("offers a server's tools as mcp__server__tool and calls them", async () => {
    const { manager } = await start([entry("test", await testServerEntry())]);
    expect(manager.initServers()).toEqual([{ name: "test", status: "connected" }]);
    expect(manager.tools.map((t) => t.name)).toContain("mcp__test__echo");
    const echo = tool(manager, "mcp__test__echo");
    expect(echo.inputSchema.type).toBe("object");
    const result = await call(manager, "mcp__test__echo", { text: "hi" });
    expect(result.content).toBe("echo: hi");
    expect(result.isError).toBeFalsy();
  });

  it("keeps claw's credentials out of the server's environment but passes the rest and the server env", async () => {
    const { manager } = await start([entry("test", await testServerEntry(), { EXTRA: "from-config" })]);
    expect(text((await call(manager, "mcp__test__env", { name: "ANTHROPIC_API_KEY" })).content)).toBe(
      "ANTHROPIC_API_KEY=(unset)",
    );
    expect(text((await call(manager, "mcp__test__env", { name: "VISIBLE" })).content)).toBe("VISIBLE=yes");
    expect(text((await call(manager, "mcp__test__env", { name: "EXTRA" })).content)).toBe(
      "EXTRA=from-config",
    );
  });

  it("maps error results, images and resources", async () => {
    const { manager } = await start([entry("test", await testServerEntry())]);
    const failed = await call(manager, "mcp__test__fail", {});
    expect(failed.isError).toBe(true);
    expect(text(failed.content)).toContain("the widget is broken");
    const image = await call(manager, "mcp__test__image", {});
    const blocks = image.content as Array<{ type: string; text?: string }>;
    expect(blocks[0]?.type).toBe("image");
    expect(blocks[1]?.text).toContain("resource body");
  });

  it("M1: a server that exits at startup is failed with its stderr; the others work", async () => {
    const { manager } = await start([
      entry("dead", await testServerEntry("--exit-at-startup")),
      entry("good", await testServerEntry()),
    ]);
    const [dead, good] = manager.status();
    expect(dead?.status).toBe("failed");
    expect(dead?.error).toContain("exited with code 1");
    expect(dead?.error).toContain("cannot open database");
    expect(dead?.stderrTail).toContain("cannot open database");
    expect(good?.status).toBe("connected");
    expect(manager.warnings.join("\n")).toContain('MCP server "dead" failed');
    expect(text((await call(manager, "mcp__good__echo", { text: "x" })).content)).toBe("echo: x");
  });

  it("M1: a shell wrapper that dies at once is failed with its exit code and stderr, not a timeout", async () => {
    const { manager } = await start(
      [entry("quick", { command: "sh", args: ["-c", "echo 'fatal: bad config' >&2; exit 1"] })],
      { startupTimeoutMs: 20_000 },
    );
    const error = manager.status()[0]?.error ?? "";
    expect(error).toContain("exited with code 1");
    expect(error).toContain("fatal: bad config");
    expect(error).not.toContain("MCP_TIMEOUT");
  });

  it("a command that does not exist is failed with a clear reason", async () => {
    const { manager } = await start([entry("nope", { command: "/nonexistent/mcp-server", args: [] })]);
    expect(manager.status()[0]?.error).toContain("command not found: /nonexistent/mcp-server");
  });

  it("M2: a server that never answers initialize times out and is killed; the others work", async () => {
    const pidFile = join(cwd, "noinit.pid");
    const { manager } = await start(
      [
        entry("mute", { command: "sh", args: ["-c", `echo $$ > ${pidFile}; exec sleep 1000`] }),
        entry("good", await testServerEntry()),
      ],
      { startupTimeoutMs: 1500 },
    );
    const [mute, good] = manager.status();
    expect(mute?.status).toBe("failed");
    expect(mute?.error).toContain("MCP_TIMEOUT");
    expect(good?.status).toBe("connected");
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !isRunning(pid));
  });

  it("M2: a server that timed out at startup can be reconnected later and its tools added", async () => {
    const { manager } = await start([entry("late", await testServerEntry("--startup-delay=1500"))], {
      startupTimeoutMs: 300,
    });
    expect(manager.status()[0]?.status).toBe("failed");
    expect(manager.tools).toEqual([]);
    const result = await manager.reconnect("late", { startupTimeoutMs: 10_000 });
    expect(result?.info.status).toBe("connected");
    expect(result?.added.map((t) => t.name)).toContain("mcp__late__echo");
    expect(manager.tools.map((t) => t.name)).toContain("mcp__late__echo");
    expect(text((await call(manager, "mcp__late__echo", { text: "finally" })).content)).toBe("echo: finally");
  });

  it("M4: tools with invalid schemas are skipped with a warning naming them; siblings kept", async () => {
    const { manager } = await start([entry("test", await testServerEntry("--bad-schemas"))]);
    const names = manager.tools.map((t) => t.name);
    expect(names).toContain("mcp__test__echo");
    for (const bad of ["string_schema", "anyof_schema", "no_schema"]) {
      expect(names).not.toContain(`mcp__test__${bad}`);
      expect(manager.warnings.join("\n")).toContain(`tool "${bad}" skipped`);
    }
    expect(manager.status()[0]?.skippedTools.map((s) => s.name)).toEqual([
      "string_schema",
      "anyof_schema",
      "no_schema",
    ]);
  });

  it("M5: garbage on stdout is skipped and the server still works", async () => {
    const { manager } = await start([entry("noisy", await testServerEntry("--garbage"))]);
    expect(manager.status()[0]?.status).toBe("connected");
    expect(text((await call(manager, "mcp__noisy__echo", { text: "ok" })).content)).toBe("echo: ok");
  });

  it("M5: a 10 MB result is truncated with a marker and both ends kept", async () => {
    const { manager } = await start([entry("test", await testServerEntry())]);
    const result = await call(manager, "mcp__test__big", { bytes: 10 * 1024 * 1024 });
    const out = text(result.content);
    expect(out.length).toBeLessThan(120_000);
    expect(out.startsWith("BEGIN")).toBe(true);
    expect(out).toContain("END");
    expect(out).toContain("output truncated");
    expect(out).toContain(String(10 * 1024 * 1024));
    const saved = /saved to (\S+\.txt)/.exec(out)?.[1];
    expect(saved && readFileSync(saved, "utf8").length).toBe(10 * 1024 * 1024);
  });

  it("M5: a call that never returns hits the per-call timeout", async () => {
    const { manager } = await start([entry("test", await testServerEntry())], { toolTimeoutMs: 500 });
    const result = await call(manager, "mcp__test__hang", {});
    expect(result.isError).toBe(true);
    expect(text(result.content)).toContain("MCP_TOOL_TIMEOUT");
    // The server is still usable afterwards.
    expect(text((await call(manager, "mcp__test__echo", { text: "after" })).content)).toBe("echo: after");
  });

  it("an aborted call returns at once as interrupted", async () => {
    const { manager } = await start([entry("test", await testServerEntry())]);
    const controller = new AbortController();
    const pending = call(manager, "mcp__test__hang", {}, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(text(result.content)).toContain("interrupted");
  });

  it("M3: a server killed mid-call fails the call fast, is reported, and restarts on next use", async () => {
    const { manager, notices } = await start([entry("test", await testServerEntry())]);
    const result = await call(manager, "mcp__test__crash", {});
    expect(result.isError).toBe(true);
    expect(text(result.content)).toContain("stopped");
    await waitFor(() => manager.status()[0]?.status === "failed");
    expect(notices.join("\n")).toContain('MCP server "test"');
    const again = await call(manager, "mcp__test__echo", { text: "back" });
    expect(text(again.content)).toBe("echo: back");
    expect(manager.status()[0]?.status).toBe("connected");
  });

  it("close() kills the whole process group of a stdio server", async () => {
    const pidFile = join(cwd, "grandchild.pid");
    const server = await testServerEntry();
    const script = `sleep 1000 & echo $! > ${pidFile}; exec ${server.command} ${server.args.join(" ")}`;
    const { manager } = await start([entry("wrapped", { command: "sh", args: ["-c", script] })]);
    expect(manager.status()[0]?.status).toBe("connected");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(isRunning(grandchild)).toBe(true);
    await manager.close();
    await waitFor(() => !isRunning(grandchild));
  });

  it("works with the off-the-shelf server-everything", async () => {
    const { manager } = await start([entry("everything", everythingServerEntry())]);
    expect(manager.status()[0]?.status).toBe("connected");
    const echo = manager.tools.find((t) => t.name === "mcp__everything__echo");
    expect(echo).toBeDefined();
    const result = await call(manager, "mcp__everything__echo", { message: "hello everything" });
    expect(text(result.content)).toContain("hello everything");
  });
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
