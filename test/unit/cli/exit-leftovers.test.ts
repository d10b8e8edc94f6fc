// Nothing claw starts may outlive its purpose: one pending timer, socket or child keeps a finished `claw -p`
// alive (a forgotten 500 ms drain timer once held every -p that ran Bash for half a second after its answer).
// These run the real code in this process and list what it created and left referenced (see leftover-resources).
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../../src/cli/run.js";
import { bashTool } from "../../../src/tools/bash.js";
import { makeSandbox, type Sandbox } from "../../support/claw-runner.js";
import { watchResources } from "../../support/leftover-resources.js";
import { testServerEntry } from "../../support/mcp-build.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../../support/mock-anthropic.js";
import { run, type TempWorkspace, tempWorkspace, text } from "../tools/tool-context.js";

/** The CLI as print mode runs it; the REPL is never started here. */
const cli = {
  version: "claw test",
  runInteractive: async () => {
    throw new Error("print mode was expected");
  },
  runSdkServer: async () => {
    throw new Error("print mode was expected");
  },
  runAcpServer: async () => {
    throw new Error("print mode was expected");
  },
};

/** Lets callbacks already due (a child's close, a socket's release to the pool) run first. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("after a Bash call", () => {
  let ws: TempWorkspace;
  beforeEach(() => {
    ws = tempWorkspace();
  });
  afterEach(() => ws.cleanup());

  it("leaves no timer, pipe or child process behind", async () => {
    const watch = watchResources();
    const result = await run(bashTool, { command: "echo hi" }, ws.ctx);
    expect(text(result)).toBe("hi");
    await settle();
    watch.stop();
    expect(watch.leftovers()).toEqual([]);
  });

  it("leaves nothing behind when the command fails or started a background process that was stopped", async () => {
    const watch = watchResources();
    expect((await run(bashTool, { command: "exit 4" }, ws.ctx)).isError).toBe(true);
    const stray = await run(bashTool, { command: "sleep 30 & echo started" }, ws.ctx);
    expect(text(stray)).toContain("left background processes running");
    await settle();
    watch.stop();
    expect(watch.leftovers()).toEqual([]);
  });
});

describe("after a whole -p turn with a Bash call, in process", () => {
  let sandbox: Sandbox;
  let mock: MockAnthropic;
  let cwd: string;
  const written: string[] = [];

  beforeEach(async () => {
    sandbox = makeSandbox();
    written.length = 0;
    mock = await startMockAnthropic();
    cwd = process.cwd();
    process.chdir(realpathSync(sandbox.workspace));
    vi.stubEnv("HOME", sandbox.home);
    vi.stubEnv("CLAUDE_CONFIG_HOME", sandbox.configHome);
    vi.stubEnv("ANTHROPIC_API_KEY", "test-key");
    vi.stubEnv("ANTHROPIC_BASE_URL", mock.url);
    // Nothing is piped to this process: do not wait for stdin.
    vi.stubEnv("CLAW_STDIN_WAIT_MS", "0");
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.chdir(cwd);
    await mock.close();
    sandbox.cleanup();
  });

  it("leaves no timer, socket or child once the answer is written", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo from-bash" } }),
      reply.text("all done"),
    );
    const watch = watchResources();
    const code = await runCli(["-p", "run echo"], cli);
    expect(code).toBe(0);
    expect(written.join("")).toBe("all done\n");
    const toolResult = JSON.stringify(mock.messageRequests()[1]?.body);
    expect(toolResult).toContain("from-bash");
    await settle();
    watch.stop();
    expect(watch.leftovers()).toEqual([]);
  });

  it("leaves nothing behind either with hooks and an MCP server in the turn", async () => {
    const hook = { type: "command", command: "cat > /dev/null" };
    const hooks = Object.fromEntries(
      ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd"].map((event) => [
        event,
        [{ hooks: [hook] }],
      ]),
    );
    writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ hooks }));
    writeFileSync(
      join(sandbox.workspace, ".mcp.json"),
      JSON.stringify({ mcpServers: { test: await testServerEntry() } }),
    );
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo from-bash" } }),
      reply.toolUse({ name: "mcp__test__echo", input: { text: "from-mcp" } }),
      reply.text("all done"),
    );
    const watch = watchResources();
    const code = await runCli(["-p", "run both", "--allowedTools", "mcp__test__echo"], cli);
    expect(code).toBe(0);
    expect(written.join("")).toBe("all done\n");
    expect(JSON.stringify(mock.messageRequests()[2]?.body)).toContain("from-mcp");
    await settle();
    watch.stop();
    expect(watch.leftovers()).toEqual([]);
  });
});
