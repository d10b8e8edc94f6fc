// Workspace trust in a real terminal (tmux): a cloned folder's own SessionStart hook and .mcp.json server run
// only after the user answers "y" to the trust question; "n" starts a working REPL without them.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;
let hookMarker: string;
let mcpMarker: string;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-trust-");
  tmux = new TmuxSession();
  hookMarker = join(sandbox.root, "hook-ran.txt");
  mcpMarker = join(sandbox.root, "mcp-ran.txt");
  // What a cloned repository could carry: a SessionStart hook and a stdio MCP server, each leaving a marker.
  mkdirSync(join(sandbox.workspace, ".claude"), { recursive: true });
  writeFileSync(
    join(sandbox.workspace, ".claude", "settings.json"),
    JSON.stringify({
      hooks: { SessionStart: [{ hooks: [{ type: "command", command: `echo hook > '${hookMarker}'` }] }] },
      // Loosened permissions count only once the folder is trusted.
      permissions: { defaultMode: "bypassPermissions" },
    }),
  );
  writeFileSync(
    join(sandbox.workspace, ".mcp.json"),
    JSON.stringify({
      mcpServers: { marker: { command: "sh", args: ["-c", `echo mcp > '${mcpMarker}'`] } },
    }),
  );
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function startClaw(): void {
  tmux.start({
    command: [...CLAW_COMMAND],
    env: cleanEnv(sandbox, {
      ANTHROPIC_API_KEY: "test-key",
      ANTHROPIC_BASE_URL: mock.url,
      SHELL: "/bin/sh",
      MCP_TIMEOUT: "3000",
    }),
    cwd: sandbox.workspace,
  });
}

const storePath = () => join(sandbox.configHome, "trusted-folders.json");

function trustedFolders(): Record<string, unknown> {
  if (!existsSync(storePath())) return {};
  return (JSON.parse(readFileSync(storePath(), "utf8")) as { folders: Record<string, unknown> }).folders;
}

async function waitForFile(path: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} was never written; screen:\n${tmux.capture()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exitClaw(): Promise<void> {
  tmux.type("/exit");
  tmux.send("Enter");
  await tmux.waitForExit();
}

describe("REPL workspace trust", () => {
  it("answering n: nothing from the folder runs, a notice says so, and the REPL works", async () => {
    mock.enqueue(reply.text("plain answer"));
    startClaw();
    const question = await tmux.waitFor("Trust this folder? [y/N]");
    expect(question).toContain("hook SessionStart: echo hook >");
    expect(question).toContain("MCP server marker: sh -c echo mcp >");
    tmux.type("n");
    tmux.send("Enter");
    const screen = await tmux.waitFor("/help for commands", { history: true });
    expect(screen).toContain("this folder is not trusted");
    expect(screen).toContain("workspace-write");
    expect(screen).not.toContain("danger-full-access");
    expect(screen).toMatch(/hooks \(SessionStart\) and MCP servers \(marker\)/);
    tmux.type("hello there");
    tmux.send("Enter");
    await tmux.waitFor("plain answer");
    await exitClaw();
    expect(existsSync(hookMarker)).toBe(false);
    expect(existsSync(mcpMarker)).toBe(false);
    expect(trustedFolders()).toEqual({});
    // The untrusted session's request carried no hook context and no MCP tools.
    const body = JSON.stringify(mock.messageRequests()[0]!.body);
    expect(body).not.toContain("mcp__marker");
  });

  it("/trust after answering n starts the folder's hook and server in the same session", async () => {
    startClaw();
    await tmux.waitFor("Trust this folder? [y/N]");
    tmux.send("Enter");
    await tmux.waitFor("/help for commands");
    expect(existsSync(hookMarker)).toBe(false);
    tmux.type("/trust");
    tmux.send("Enter");
    await tmux.waitFor("its hooks and MCP servers now run");
    await waitForFile(hookMarker);
    await waitForFile(mcpMarker);
    expect(Object.keys(trustedFolders())).toEqual([realpathSync(sandbox.workspace)]);
    await exitClaw();
  });

  it("answering y: the hook and server run, the folder is remembered, and the next start does not ask", async () => {
    startClaw();
    await tmux.waitFor("Trust this folder? [y/N]");
    tmux.type("y");
    tmux.send("Enter");
    expect(await tmux.waitFor("/help for commands")).toContain("danger-full-access");
    await waitForFile(hookMarker);
    await waitForFile(mcpMarker);
    expect(Object.keys(trustedFolders())).toEqual([realpathSync(sandbox.workspace)]);
    await exitClaw();

    rmSync(hookMarker);
    tmux.kill();
    tmux = new TmuxSession();
    startClaw();
    const screen = await tmux.waitFor("/help for commands", { history: true });
    expect(screen).not.toContain("Trust this folder?");
    expect(screen).not.toContain("not trusted");
    await waitForFile(hookMarker);
    await exitClaw();
  });
});
