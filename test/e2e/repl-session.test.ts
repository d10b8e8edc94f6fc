// Sessions and long output in the REPL: a resumed session shows its history; a 200 KB answer is all there;
// SIGTERM flushes and restores the terminal.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv, makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { startClawInTmux, TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-sess-");
  tmux = new TmuxSession();
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

const env = () => cleanEnv(sandbox, { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url });

function start(args: string[] = []): void {
  startClawInTmux(tmux, { clawJs: CLAW_JS, args, env: env(), cwd: sandbox.workspace });
}

describe("REPL sessions and long answers", () => {
  it("-c resumes the latest session and shows its history; the next prompt carries it", async () => {
    mock.enqueue(reply.text("The capital is **Paris**."));
    const first = await runClaw(["-p", "what is the capital of France?"], {
      sandbox,
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url },
    });
    expect(first.code).toBe(0);
    mock.enqueue(reply.text("Berlin, as asked."));
    start(["-c"]);
    const screen = await tmux.waitFor("Resumed session");
    expect(screen).toContain("> what is the capital of France?");
    expect(screen).toContain("The capital is Paris.");
    tmux.type("and Germany?");
    tmux.send("Enter");
    await tmux.waitFor("Berlin, as asked.");
    const messages = mock.messageRequests()[1]!.body.messages;
    expect(JSON.stringify(messages)).toContain("what is the capital of France?");
    expect(JSON.stringify(messages)).toContain("and Germany?");
  });

  it("/resume opens a picker of saved sessions and loads the chosen one; /clear starts a new one", async () => {
    const api = { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url };
    mock.enqueue(reply.text("answer about apples"), reply.text("answer about pears"));
    expect((await runClaw(["-p", "tell me about apples"], { sandbox, env: api })).code).toBe(0);
    expect((await runClaw(["-p", "tell me about pears"], { sandbox, env: api })).code).toBe(0);
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("/resume");
    tmux.send("Enter");
    const picker = await tmux.waitFor("Resume a session");
    expect(picker).toContain("tell me about apples");
    expect(picker).toContain("tell me about pears");
    // Newest first: move down to the apples session.
    const lines = picker.split("\n");
    const down = lines.findIndex((l) => l.includes("apples")) > lines.findIndex((l) => l.includes("pears"));
    if (down) tmux.send("Down");
    tmux.send("Enter");
    const screen = await tmux.waitFor("Resumed session");
    expect(screen).toContain("answer about apples");
    mock.enqueue(reply.text("more on apples"));
    tmux.type("and more?");
    tmux.send("Enter");
    await tmux.waitFor("more on apples");
    const sent = JSON.stringify(mock.messageRequests().at(-1)!.body.messages);
    expect(sent).toContain("tell me about apples");
    expect(sent).not.toContain("pears");

    tmux.type("/clear");
    tmux.send("Enter");
    await tmux.waitFor("Started a new session");
    mock.enqueue(reply.text("fresh start"));
    tmux.type("new topic");
    tmux.send("Enter");
    await tmux.waitFor("fresh start");
    expect(mock.messageRequests().at(-1)!.body.messages).toHaveLength(1);
  });

  it("renders a 200 KB answer completely", async () => {
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `Line ${String(i).padStart(4, "0")} ${"lorem ipsum dolor ".repeat(3)}end`,
    );
    const text = lines.join("\n\n");
    expect(text.length).toBeGreaterThan(200_000);
    mock.enqueue(reply.text(text, { chunks: 500 }));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("a lot please");
    tmux.send("Enter");
    await tmux.waitFor("Line 2999", { timeoutMs: 60_000 });
    await tmux.waitFor((s) => !s.includes("esc to interrupt"), { timeoutMs: 30_000 });
    const all = tmux.capture({ history: true });
    const seen = new Set(all.match(/Line \d{4} /g) ?? []);
    expect(seen.size).toBe(3000);
  }, 120_000);

  it("SIGTERM exits after flushing the session", async () => {
    mock.enqueue(reply.text("short answer"));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("hi");
    tmux.send("Enter");
    await tmux.waitFor("short answer");
    process.kill(tmux.programPid(), "SIGTERM");
    expect(await tmux.waitForExit()).toBe(143);
    // The session was flushed: resuming it sends the earlier turn.
    mock.enqueue(reply.text("resumed fine"));
    const resumed = await runClaw(["-p", "-c", "again"], {
      sandbox,
      env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url },
    });
    expect(resumed.code).toBe(0);
    expect(JSON.stringify(mock.messageRequests().at(-1)!.body.messages)).toContain("short answer");
  });
});
