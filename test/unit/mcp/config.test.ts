// MCP configuration: files, precedence, --mcp-config, --strict-mcp-config, ${VAR} expansion; HTTP transport.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in plain strings is the syntax under test.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandVars, loadMcpConfig, parseServerConfig } from "../../../src/mcp/config.js";
import { startMcpServers } from "../../../src/mcp/manager.js";
import { checkInputSchema, mcpToolName } from "../../../src/mcp/schema.js";
import { type HttpMcpServer, startHttpMcpServer, startSseMcpServer } from "../../support/mcp-http-server.js";

function project(): { cwd: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), "claw-mcp-config-"));
  const cwd = join(root, "proj");
  const home = join(root, "home");
  mkdirSync(join(cwd, ".claude"), { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, home };
}

describe("expandVars", () => {
  it("expands ${VAR} and ${VAR:-default} and reports missing ones", () => {
    const missing = new Set<string>();
    const env = { A: "1", EMPTY: "" };
    expect(expandVars("x${A}y ${B:-dflt} ${EMPTY:-e} ${A:-no}", env, missing)).toBe("x1y dflt e 1");
    expect(missing.size).toBe(0);
    expect(expandVars("${NOPE}", env, missing)).toBe("${NOPE}");
    expect([...missing]).toEqual(["NOPE"]);
  });

  it("a server with a missing variable is marked broken with the variable's name", () => {
    const parsed = parseServerConfig("s", { command: "x", env: { TOKEN: "${GH_TOKEN}" } }, {});
    expect(parsed.error).toContain("GH_TOKEN");
  });

  it("expands in command, args, env, url and headers", () => {
    const env = { BIN: "/bin/srv", PORT: "9", KEY: "k" };
    expect(
      parseServerConfig("a", { command: "${BIN}", args: ["--p=${PORT}"], env: { K: "${KEY}" } }, env).config,
    ).toEqual({ type: "stdio", command: "/bin/srv", args: ["--p=9"], env: { K: "k" } });
    expect(
      parseServerConfig(
        "b",
        { type: "http", url: "http://127.0.0.1:${PORT}/mcp", headers: { Authorization: "Bearer ${KEY}" } },
        env,
      ).config,
    ).toEqual({ type: "http", url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer k" } });
  });

  it("rejects entries it cannot use, with a reason", () => {
    expect(parseServerConfig("a", { type: "websocket", url: "ws://x" }).error).toContain("websocket");
    expect(parseServerConfig("a", { args: [] }).error).toContain("command");
    expect(parseServerConfig("a", { type: "sse" }).error).toContain("url");
  });
});

describe("loadMcpConfig", () => {
  it("merges user, project (.mcp.json) and local settings; local wins; flags add", () => {
    const { cwd, home } = project();
    writeFileSync(join(home, "settings.json"), JSON.stringify({ mcpServers: { a: { command: "user-a" } } }));
    writeFileSync(
      join(cwd, ".mcp.json"),
      JSON.stringify({
        mcpServers: { a: { command: "proj-a" }, b: { command: "proj-b" }, off: { command: "x" } },
      }),
    );
    writeFileSync(
      join(cwd, ".claude", "settings.local.json"),
      JSON.stringify({ mcpServers: { b: { command: "local-b" } } }),
    );
    writeFileSync(
      join(cwd, "extra.json"),
      JSON.stringify({ mcpServers: { c: { type: "http", url: "http://h/" } } }),
    );
    writeFileSync(join(cwd, ".claude", "settings.json"), JSON.stringify({ disabledMcpjsonServers: ["off"] }));
    const loaded = loadMcpConfig({
      cwd,
      configHome: home,
      mcpConfig: ["extra.json", '{"mcpServers":{"d":{"command":"inline-d"}}}'],
      flagSettings: '{"mcpServers":{"e":{"command":"from-settings-flag"}}}',
      env: {},
    });
    const byName = Object.fromEntries(loaded.servers.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(byName.a?.config).toMatchObject({ command: "proj-a" });
    expect(byName.a?.scope).toBe("project");
    expect(byName.b?.config).toMatchObject({ command: "local-b" });
    expect(byName.b?.scope).toBe("local");
    expect(byName.c?.config).toMatchObject({ type: "http" });
    expect(byName.d?.scope).toBe("flag");
  });

  it("--strict-mcp-config uses only --mcp-config servers", () => {
    const { cwd, home } = project();
    writeFileSync(join(cwd, ".mcp.json"), JSON.stringify({ mcpServers: { a: { command: "a" } } }));
    const loaded = loadMcpConfig({
      cwd,
      configHome: home,
      strict: true,
      mcpConfig: ['{"mcpServers":{"only":{"command":"o"}}}'],
    });
    expect(loaded.servers.map((s) => s.name)).toEqual(["only"]);
  });

  it("broken files become warnings, not crashes", () => {
    const { cwd, home } = project();
    writeFileSync(join(cwd, ".mcp.json"), "{ not json");
    const loaded = loadMcpConfig({ cwd, configHome: home, mcpConfig: ["missing.json", "{bad"] });
    expect(loaded.servers).toEqual([]);
    expect(loaded.warnings).toHaveLength(3);
    expect(loaded.warnings[0]).toContain(".mcp.json");
  });
});

describe("names and schemas", () => {
  it("sanitises names to [a-zA-Z0-9_-] and at most 64 characters, keeping them distinct", () => {
    expect(mcpToolName("my server", "do.thing")).toBe("mcp__my_server__do_thing");
    const a = mcpToolName("s", `${"x".repeat(80)}a`);
    const b = mcpToolName("s", `${"x".repeat(80)}b`);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(a).not.toBe(b);
  });

  it("accepts object schemas and refuses the ones the API rejects", () => {
    expect(checkInputSchema({ type: "object", properties: {} }).ok).toBe(true);
    expect(checkInputSchema({ type: "string" }).ok).toBe(false);
    expect(checkInputSchema({ type: "object", oneOf: [] }).ok).toBe(false);
    expect(checkInputSchema(undefined).ok).toBe(false);
    expect(checkInputSchema({ type: "object", properties: [] }).ok).toBe(false);
  });
});

describe("streamable HTTP transport", () => {
  let server: HttpMcpServer;
  beforeAll(async () => {
    server = await startHttpMcpServer({ requireAuth: "Bearer s3cret" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("connects with the configured headers and calls a tool", async () => {
    const { cwd, home } = project();
    const manager = await startMcpServers({
      cwd,
      configHome: home,
      strict: true,
      mcpConfig: [
        JSON.stringify({
          mcpServers: { web: { type: "http", url: server.url, headers: { Authorization: "Bearer ${TOK}" } } },
        }),
      ],
      env: { TOK: "s3cret" },
    });
    try {
      expect(manager.status()[0]).toMatchObject({
        name: "web",
        status: "connected",
        tools: ["mcp__web__shout"],
      });
      const tool = manager.tools[0]!;
      const result = await tool.execute(
        { text: "hi" },
        {
          cwd,
          signal: new AbortController().signal,
          workspace: { roots: [cwd], resolve: async (p) => p, contains: () => true },
          env: {},
          scratchDir: cwd,
          session: { readFiles: new Map(), todos: [] },
        },
      );
      expect(result.content).toBe("HI");
      expect(server.headers.every((h) => h.authorization === "Bearer s3cret")).toBe(true);
    } finally {
      await manager.close();
    }
  });

  it("a wrong header fails the server with a reason", async () => {
    const { cwd, home } = project();
    const manager = await startMcpServers({
      cwd,
      configHome: home,
      strict: true,
      mcpConfig: [JSON.stringify({ mcpServers: { web: { type: "http", url: server.url } } })],
      env: {},
      startupTimeoutMs: 5000,
    });
    try {
      expect(manager.status()[0]?.status).toBe("failed");
      expect(manager.status()[0]?.error).toBeTruthy();
    } finally {
      await manager.close();
    }
  });
});

describe("SSE transport", () => {
  it("connects with the configured headers (stream and posts) and calls a tool", async () => {
    const server = await startSseMcpServer({ requireAuth: "Bearer sse-key" });
    const { cwd, home } = project();
    const manager = await startMcpServers({
      cwd,
      configHome: home,
      strict: true,
      mcpConfig: [
        JSON.stringify({
          mcpServers: { old: { type: "sse", url: server.url, headers: { Authorization: "Bearer sse-key" } } },
        }),
      ],
      env: {},
      startupTimeoutMs: 5000,
    });
    try {
      expect(manager.status()[0]).toMatchObject({
        name: "old",
        status: "connected",
        tools: ["mcp__old__shout"],
      });
      const result = await manager.tools[0]!.execute(
        { text: "quiet" },
        {
          cwd,
          signal: new AbortController().signal,
          workspace: { roots: [cwd], resolve: async (p) => p, contains: () => true },
          env: {},
          scratchDir: cwd,
          session: { readFiles: new Map(), todos: [] },
        },
      );
      expect(result.content).toBe("QUIET");
      expect(server.headers.length).toBeGreaterThan(1);
      expect(server.headers.every((h) => h.authorization === "Bearer sse-key")).toBe(true);
    } finally {
      await manager.close();
      await server.close();
    }
  });
});
