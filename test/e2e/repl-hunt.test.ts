// REPL meeting the rest of claw in a real terminal (tmux): MCP servers (slow calls, late connects, the
// permission dialog), hooks that block or hang, sessions across /compact, /clear and /resume, and signals.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { testServerEntry } from "../support/mcp-build.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { expectValidConversation } from "../support/repl-e2e.js";
import { startClawInTmux, TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-hunt-");
  tmux = new TmuxSession();
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function start(args: string[] = [], extraEnv: Record<string, string> = {}): void {
  startClawInTmux(tmux, {
    args,
    env: cleanEnv(sandbox, {
      ANTHROPIC_API_KEY: "test-key",
      ANTHROPIC_BASE_URL: mock.url,
      SHELL: "/bin/sh",
      ...extraEnv,
    }),
    cwd: sandbox.workspace,
  });
}

function userSettings(settings: Record<string, unknown>): void {
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify(settings, null, 2));
}

const toolNames = (n: number): string[] =>
  ((mock.messageRequests()[n]?.body.tools ?? []) as Array<{ name: string }>).map((t) => t.name);

const MCP_ECHO = /^> \/mcp$/m;

/** Runs /mcp until it lists `server` as connected (servers connect in the background). */
async function waitForServer(server: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    // Only the answer to the /mcp just sent counts (older answers stay in the scrollback).
    const before = tmux.capture({ history: true }).split(MCP_ECHO).length;
    tmux.type("/mcp");
    tmux.send("Enter");
    const screen = await tmux.waitFor(
      (s) => {
        const parts = s.split(MCP_ECHO);
        return parts.length > before && /connected|failed|still connecting/.test(parts.at(-1)!);
      },
      { history: true },
    );
    if (new RegExp(`^${server} connected`, "m").test(screen.split(MCP_ECHO).at(-1)!)) return;
    if (Date.now() > deadline) throw new Error(`MCP server ${server} did not connect:\n${screen}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function sessionFiles(): string[] {
  const projects = join(sandbox.configHome, "projects");
  const [dir] = readdirSync(projects);
  return readdirSync(join(projects, dir!))
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => join(projects, dir!, f));
}

describe("REPL with MCP servers", () => {
  it("Esc during a slow MCP call stops it; the restored prompt sends a valid conversation", async () => {
    userSettings({ mcpServers: { tester: await testServerEntry() } });
    mock.enqueue(
      reply.toolUse({ name: "mcp__tester__slow", input: { ms: 60_000 }, id: "s1" }),
      reply.text("Next answer."),
    );
    start(["--dangerously-skip-permissions"]);
    await tmux.waitFor("/help for commands");
    await waitForServer("tester");
    tmux.type("be slow");
    tmux.send("Enter");
    await tmux.waitFor("tester - slow(");
    tmux.send("Escape");
    await tmux.waitFor(/│ > be slow/);
    tmux.send("Enter");
    await tmux.waitFor("Next answer.");
    expectValidConversation(mock.messageRequests()[1]!.body.messages);
  });

  it("a server that connects after the first prompt joins the next turn and /mcp shows it", async () => {
    userSettings({ mcpServers: { late: await testServerEntry("--startup-delay=2500") } });
    mock.enqueue(reply.text("First."), reply.text("Second."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("hello");
    tmux.send("Enter");
    await tmux.waitFor("First.");
    expect(toolNames(0).some((n) => n.startsWith("mcp__late__"))).toBe(false);
    await waitForServer("late");
    tmux.type("again");
    tmux.send("Enter");
    await tmux.waitFor("Second.");
    expect(toolNames(1)).toContain("mcp__late__echo");
  });

  it("Ctrl+D leaves at once while a server is still connecting", async () => {
    // Without giving up on the server, leaving waited for MCP_TIMEOUT (here a minute).
    userSettings({ mcpServers: { hang: await testServerEntry("--no-init") } });
    start([], { MCP_TIMEOUT: "60000" });
    await tmux.waitFor("/help for commands");
    tmux.type("/mcp");
    tmux.send("Enter");
    await tmux.waitFor("still connecting");
    tmux.send("C-d");
    tmux.send("C-d");
    expect(await tmux.waitForExit(8000)).toBe(0);
  });

  it("'allow for this session' on an MCP tool is not asked again, also after /clear", async () => {
    userSettings({ mcpServers: { tester: await testServerEntry() } });
    mock.enqueue(
      reply.toolUse({ name: "mcp__tester__echo", input: { text: "one" }, id: "e1" }),
      reply.text("Did one."),
      reply.toolUse({ name: "mcp__tester__echo", input: { text: "two" }, id: "e2" }),
      reply.text("Did two."),
      reply.toolUse({ name: "mcp__tester__echo", input: { text: "three" }, id: "e3" }),
      reply.text("Did three."),
    );
    start();
    await tmux.waitFor("/help for commands");
    await waitForServer("tester");
    tmux.type("echo one");
    tmux.send("Enter");
    await tmux.waitFor("mcp__tester__echo wants permission");
    tmux.send("2");
    await tmux.waitFor("Did one.");
    tmux.type("echo two");
    tmux.send("Enter");
    // No dialog this time: the answer comes without a key pressed.
    expect(await tmux.waitFor(/Did two\.|wants permission/)).toContain("Did two.");
    tmux.type("/clear");
    tmux.send("Enter");
    await tmux.waitFor("Started a new session");
    await waitForServer("tester");
    tmux.type("echo three");
    tmux.send("Enter");
    const screen = await tmux.waitFor(/Did three\.|wants permission/);
    expect(screen).toContain("Did three.");
    const results = JSON.stringify(mock.messageRequests().at(-1)!.body.messages);
    expect(results).toContain("echo: three");
  });
});

describe("REPL with hooks", () => {
  it("a PreToolUse hook block shows its reason under the call and the turn goes on", async () => {
    userSettings({
      hooks: {
        PreToolUse: [
          { matcher: "Bash", hooks: [{ type: "command", command: "echo 'no bash today' >&2; exit 2" }] },
        ],
      },
    });
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" }, id: "b1" }),
      reply.text("OK then."),
    );
    start(["--dangerously-skip-permissions"]);
    await tmux.waitFor("/help for commands");
    tmux.type("run it");
    tmux.send("Enter");
    const screen = await tmux.waitFor("OK then.");
    expect(screen).toMatch(/Bash\(touch ran\.txt\)\n\s+⎿ Blocked by a PreToolUse hook: no bash today/);
  });

  it("a UserPromptSubmit hook block keeps the prompt in the input and sends nothing", async () => {
    userSettings({
      hooks: {
        UserPromptSubmit: [{ hooks: [{ type: "command", command: "echo 'no secrets please' >&2; exit 2" }] }],
      },
    });
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("my password is hunter2");
    tmux.send("Enter");
    await tmux.waitFor((s) => s.includes("no secrets please") && /│ > my password is hunter2/.test(s));
    expect(mock.messageRequests()).toHaveLength(0);
  });

  it("a hook that times out is reported and the prompt still goes out", async () => {
    userSettings({
      hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: "sleep 30", timeout: 1 }] }] },
    });
    mock.enqueue(reply.text("Answered anyway."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("hi");
    tmux.send("Enter");
    const screen = await tmux.waitFor("Answered anyway.", { timeoutMs: 15_000 });
    expect(screen).toContain("timed out after 1 s");
  });
});

describe("REPL sessions", () => {
  it("/compact with instructions, then -c after leaving starts from the summary", async () => {
    mock.enqueue(reply.text("First answer."), reply.text("SUMMARY-XYZ."), reply.text("After resume."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("hello there");
    tmux.send("Enter");
    await tmux.waitFor("First answer.");
    tmux.type("/compact keep the greeting");
    tmux.send("Enter");
    await tmux.waitFor("Compacted 1 message");
    expect(JSON.stringify(mock.messageRequests()[1]!.body)).toContain("keep the greeting");
    tmux.type("/exit");
    tmux.send("Enter");
    expect(await tmux.waitForExit()).toBe(0);
    tmux.kill();
    tmux = new TmuxSession();
    start(["-c"]);
    await tmux.waitFor("Resumed session");
    tmux.type("next");
    tmux.send("Enter");
    await tmux.waitFor("After resume.");
    const messages = mock.messageRequests()[2]!.body.messages;
    expect(JSON.stringify(messages[0])).toContain("SUMMARY-XYZ.");
    expect(JSON.stringify(messages)).not.toContain("hello there");
    expectValidConversation(messages);
  });

  it("/clear then /resume goes back to the old conversation", async () => {
    mock.enqueue(reply.text("Old answer."), reply.text("Back again."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("old prompt");
    tmux.send("Enter");
    await tmux.waitFor("Old answer.");
    tmux.type("/clear");
    tmux.send("Enter");
    await tmux.waitFor("Started a new session");
    tmux.type("/resume");
    tmux.send("Enter");
    await tmux.waitFor("Resume a session");
    tmux.send("Enter");
    await tmux.waitFor("Resumed session");
    tmux.type("continue");
    tmux.send("Enter");
    await tmux.waitFor("Back again.");
    const messages = mock.messageRequests()[1]!.body.messages;
    expect(JSON.stringify(messages)).toContain("old prompt");
    expectValidConversation(messages);
  });

  it("/clear and /resume keep the model, permission mode and session rules chosen in the REPL", async () => {
    mock.enqueue(reply.text("Old answer."), reply.text("New answer."), reply.text("Resumed answer."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("old prompt");
    tmux.send("Enter");
    await tmux.waitFor("Old answer.");
    // One at a time: lines typed ahead in one burst would arrive as a single multi-line chunk.
    for (const [command, done] of [
      ["/model opus", "Model set to"],
      ["/permissions read-only", "Permission mode set to read-only"],
      ["/permissions allow Bash(npm test:*)", "Added session rule"],
    ] as const) {
      tmux.type(command);
      tmux.send("Enter");
      await tmux.waitFor(done);
    }
    tmux.type("/clear");
    tmux.send("Enter");
    await tmux.waitFor("Started a new session");
    tmux.type("new prompt");
    tmux.send("Enter");
    await tmux.waitFor("New answer.");
    tmux.type("/resume");
    tmux.send("Enter");
    await tmux.waitFor("Resume a session");
    tmux.send("Enter");
    await tmux.waitFor("Resumed session");
    tmux.type("/permissions");
    tmux.send("Enter");
    const screen = await tmux.waitFor("+ Add a rule");
    expect(screen).toMatch(/Mode: read-only/);
    expect(screen).toMatch(/allow Bash\(npm test:\*\)\s+this session only/);
    tmux.send("Escape");
    // Typed before the list is gone, Esc and the next letter would arrive together as Alt+letter.
    await tmux.waitFor((s) => !s.includes("+ Add a rule"));
    tmux.type("and now");
    tmux.send("Enter");
    await tmux.waitFor("Resumed answer.");
    const [first, second, third] = mock.messageRequests();
    expect(first!.body.model).not.toMatch(/opus/);
    expect(second!.body.model).toMatch(/opus/);
    expect(third!.body.model).toMatch(/opus/);
  });

  it("SIGTERM with the permission dialog open exits 143 and leaves a session the API accepts", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch ran.txt" }, id: "b1" }),
      reply.text("Resumed fine."),
    );
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("do it");
    tmux.send("Enter");
    await tmux.waitFor("wants permission");
    process.kill(tmux.programPid(), "SIGTERM");
    expect(await tmux.waitForExit()).toBe(143);
    expect(sessionFiles()).toHaveLength(1);
    tmux.kill();
    tmux = new TmuxSession();
    start(["-c"]);
    await tmux.waitFor("Resumed session");
    tmux.type("again");
    tmux.send("Enter");
    await tmux.waitFor("Resumed fine.");
    expectValidConversation(mock.messageRequests()[1]!.body.messages);
  });
});

describe("REPL input", () => {
  it("Ctrl+C after a ! command clears the draft instead of 'interrupting' finished work", async () => {
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("!echo hi");
    tmux.send("Enter");
    await tmux.waitFor("output added to the next prompt");
    tmux.type("a draft");
    await tmux.waitFor("│ > a draft");
    tmux.send("C-c");
    const screen = await tmux.waitFor((s) => !s.includes("│ > a draft"));
    expect(screen).not.toContain("Interrupted");
  });

  it("a 1 MB pasted line: sent in full, Esc restores it as a placeholder, the REPL stays responsive", async () => {
    // Rendering a huge line (the prompt echo, or the prompt box after Esc or ↑) used to freeze the REPL.
    const never = reply.sse([], "stall");
    mock.enqueue(never, reply.text("Got it."));
    start();
    await tmux.waitFor("/help for commands");
    const line = `${"x".repeat(1024 * 1024)}END`;
    tmux.paste(line);
    await tmux.waitFor("[Pasted text #1");
    tmux.send("Enter");
    await tmux.waitFor((s) => s.includes("characters)") && s.includes("esc to interrupt"), {
      timeoutMs: 20_000,
    });
    tmux.send("Escape");
    await tmux.waitFor(/│ > \[Pasted text #\d+ \+1 lines\]/, { timeoutMs: 20_000 });
    tmux.type(" and more");
    await tmux.waitFor("lines] and more");
    tmux.send("Enter");
    await tmux.waitFor("Got it.", { timeoutMs: 20_000 });
    const last = JSON.stringify(mock.messageRequests().at(-1)!.body.messages);
    expect(last).toContain(`${line} and more`);
  });

  it("/export writes the conversation with tool calls and results", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo exported-output" }, id: "b1" }),
      reply.text("**Done** here."),
    );
    start(["--dangerously-skip-permissions"]);
    await tmux.waitFor("/help for commands");
    tmux.type("run echo");
    tmux.send("Enter");
    await tmux.waitFor("Done here.");
    tmux.type("/export out.md");
    tmux.send("Enter");
    await tmux.waitFor("Transcript saved");
    const text = readFileSync(join(sandbox.workspace, "out.md"), "utf8");
    expect(text).toContain("## User\n\nrun echo");
    expect(text).toContain("**Tool:** `Bash(echo exported-output)`");
    expect(text).toMatch(/```\nexported-output\n```/);
    expect(text).toContain("## Assistant\n\n**Done** here.");
  });
});
