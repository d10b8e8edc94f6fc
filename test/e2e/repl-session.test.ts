// Sessions and long output in the REPL: a resumed session shows its history; a 200 KB answer is all there;
// SIGTERM flushes and restores the terminal.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-sess-" });

describe("REPL sessions and long answers", () => {
  it("-c resumes the latest session and shows its history; the next prompt carries it", async () => {
    // A costly first run: the resumed REPL's footer counts it ($3.00 at Sonnet's output price).
    writeFileSync(join(e2e.sandbox.workspace, "atlas.txt"), "France: Paris\nGermany: Berlin\nItaly: Rome\n");
    const free = { usage: { input_tokens: 0, output_tokens: 0 } };
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "atlas.txt" } }, free),
      reply.toolUse({ name: "Read", input: { file_path: "missing.txt" } }, free),
      reply.text("The capital is **Paris**.", { usage: { input_tokens: 10, output_tokens: 200_000 } }),
    );
    const first = await runClaw(["-p", "what is the capital of France?"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(first.code).toBe(0);
    e2e.mock.enqueue(reply.text("Berlin, as asked."));
    e2e.start(["-c"]);
    const screen = await e2e.tmux.waitFor("Resumed session");
    expect(screen).toContain("> what is the capital of France?");
    expect(screen).toContain("The capital is Paris.");
    // Each tool call is replayed with the summary of its result, as it was shown live.
    expect(screen).toMatch(/Read\(atlas\.txt\)\s*\n\s*⎿ Read 3 lines/);
    expect(screen).toMatch(/Read\(missing\.txt\)\s*\n\s*⎿ .*(does not exist|not found|No such file)/i);
    expect(screen).toContain("$3.00");
    e2e.submit("and Germany?");
    await e2e.tmux.waitFor("Berlin, as asked.");
    const messages = e2e.mock.messageRequests()[3]!.body.messages;
    expect(JSON.stringify(messages)).toContain("what is the capital of France?");
    expect(JSON.stringify(messages)).toContain("and Germany?");
  });

  it("/resume opens a picker of saved sessions and loads the chosen one; /clear starts a new one", async () => {
    const api = e2e.env();
    e2e.mock.enqueue(reply.text("answer about apples"), reply.text("answer about pears"));
    expect((await runClaw(["-p", "tell me about apples"], { sandbox: e2e.sandbox, env: api })).code).toBe(0);
    expect((await runClaw(["-p", "tell me about pears"], { sandbox: e2e.sandbox, env: api })).code).toBe(0);
    e2e.start();
    await e2e.ready();
    e2e.submit("/resume");
    const picker = await e2e.tmux.waitFor("Resume a session");
    expect(picker).toContain("tell me about apples");
    expect(picker).toContain("tell me about pears");
    // Newest first: move down to the apples session.
    const lines = picker.split("\n");
    const down = lines.findIndex((l) => l.includes("apples")) > lines.findIndex((l) => l.includes("pears"));
    if (down) e2e.tmux.send("Down");
    e2e.tmux.send("Enter");
    const screen = await e2e.tmux.waitFor("Resumed session");
    expect(screen).toContain("answer about apples");
    e2e.mock.enqueue(reply.text("more on apples"));
    e2e.submit("and more?");
    await e2e.tmux.waitFor("more on apples");
    const sent = JSON.stringify(e2e.mock.messageRequests().at(-1)!.body.messages);
    expect(sent).toContain("tell me about apples");
    expect(sent).not.toContain("pears");

    e2e.submit("/clear");
    await e2e.tmux.waitFor("Started a new session");
    e2e.mock.enqueue(reply.text("fresh start"));
    e2e.submit("new topic");
    await e2e.tmux.waitFor("fresh start");
    expect(e2e.mock.messageRequests().at(-1)!.body.messages).toHaveLength(1);
  });

  it("renders a 200 KB answer completely", async () => {
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `Line ${String(i).padStart(4, "0")} ${"lorem ipsum dolor ".repeat(3)}end`,
    );
    const text = lines.join("\n\n");
    expect(text.length).toBeGreaterThan(200_000);
    e2e.mock.enqueue(reply.text(text, { chunks: 500 }));
    e2e.start();
    await e2e.ready();
    e2e.submit("a lot please");
    await e2e.tmux.waitFor("Line 2999", { timeoutMs: 60_000 });
    await e2e.tmux.waitFor((s) => !s.includes("esc to interrupt"), { timeoutMs: 30_000 });
    const all = e2e.tmux.capture({ history: true });
    const seen = new Set(all.match(/Line \d{4} /g) ?? []);
    expect(seen.size).toBe(3000);
  }, 120_000);

  it("SIGTERM exits after flushing the session", async () => {
    e2e.mock.enqueue(reply.text("short answer"));
    e2e.start();
    await e2e.ready();
    e2e.submit("hi");
    await e2e.tmux.waitFor("short answer");
    process.kill(e2e.tmux.programPid(), "SIGTERM");
    expect(await e2e.tmux.waitForExit()).toBe(143);
    // The session was flushed: resuming it sends the earlier turn.
    e2e.mock.enqueue(reply.text("resumed fine"));
    const resumed = await runClaw(["-p", "-c", "again"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(resumed.code).toBe(0);
    expect(JSON.stringify(e2e.mock.messageRequests().at(-1)!.body.messages)).toContain("short answer");
  });
});
