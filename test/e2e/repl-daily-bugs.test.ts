// Defects a Claude Code user met in the REPL's first hour (issue 16), each driven in a real terminal (tmux):
// the "don't ask again" rule, the retry status line, the 401 advice and the haiku alias.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-daily-" });

const count = (text: string, pattern: RegExp) => text.split("\n").filter((l) => pattern.test(l)).length;

describe("REPL first-hour defects", () => {
  it("'don't ask again' offers the command's prefix, and the rule then covers other arguments", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch first.txt" } }),
      reply.toolUse({ name: "Bash", input: { command: "touch second.txt" } }),
      reply.text("Both made."),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("make two files");
    const dialog = await e2e.tmux.waitFor("wants permission");
    expect(dialog).toContain("don't ask again for Bash(touch:*) this session");
    expect(dialog).not.toContain("first.txt:*");
    e2e.tmux.type("2");
    // The second touch, with other arguments, runs without a dialog.
    const screen = await e2e.tmux.waitFor("Both made.");
    expect(count(e2e.tmux.capture({ history: true }), /wants permission/)).toBe(0);
    expect(screen).toContain("touch second.txt");
  });

  it("an Edit that cannot work is refused without asking; the one that can is asked once", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "old line\n");
    const edit = { file_path: "notes.txt", old_string: "old line", new_string: "new line" };
    e2e.mock.enqueue(
      reply.toolUse({ name: "Edit", input: edit }),
      reply.toolUse({ name: "Read", input: { file_path: "notes.txt" } }),
      reply.toolUse({ name: "Edit", input: edit }),
      reply.text("Edited after reading."),
    );
    e2e.start(["--permission-mode", "default"]);
    await e2e.ready();
    e2e.submit("change the line");
    // The unread file's Edit fails at once: the model hears why before anyone is asked anything.
    await e2e.mock.waitForRequests(2, 20_000);
    expect(JSON.stringify(e2e.mock.messageRequests()[1]!.body.messages.at(-1))).toContain(
      "has not been read",
    );
    const dialog = await e2e.tmux.waitFor("wants permission");
    expect(dialog).toContain("notes.txt");
    expect(e2e.mock.messageRequests()).toHaveLength(3);
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Edited after reading.");
    expect(readFileSync(join(e2e.sandbox.workspace, "notes.txt"), "utf8")).toBe("new line\n");
  });

  it("a retried request shows one updating status line with the attempt limit, and leaves one line", async () => {
    const failure = () => reply.status(500, { headers: { "retry-after-ms": "700" } });
    e2e.mock.enqueue(failure(), failure(), failure(), reply.text("Finally here."));
    e2e.start([], { env: { CLAW_MAX_ATTEMPTS: "8" } });
    await e2e.ready();
    e2e.submit("hello");
    const during = await e2e.tmux.waitFor("attempt 3/8");
    expect(count(during, /retrying/)).toBe(1);
    expect(during).toMatch(/⚠ The API answered 500 api_error · retrying (in \ds|now) · attempt 3\/8/);
    await e2e.tmux.waitFor("Finally here.");
    const history = e2e.tmux.capture({ history: true });
    expect(count(history, /API answered 500/)).toBe(1);
    expect(history).toContain("⚠ The API answered 500 api_error · recovered on attempt 4/8");
    expect(history).not.toContain("retrying");
  });

  it("a request that fails for good leaves only its error line", async () => {
    for (let i = 0; i < 3; i++) e2e.mock.enqueue(reply.status(500));
    e2e.start([], { env: { CLAW_MAX_ATTEMPTS: "3", CLAW_RETRY_BASE_MS: "200" } });
    await e2e.ready();
    e2e.submit("hello");
    await e2e.tmux.waitFor("Gave up after 3 attempts");
    await e2e.tmux.waitFor((s) => !s.includes("esc to"));
    const history = e2e.tmux.capture({ history: true });
    expect(count(history, /500/)).toBe(1);
    expect(history).not.toContain("retrying");
  });

  it("a 401 names the variable to set and mentions `claw login` only when an oauth server is configured", async () => {
    e2e.mock.enqueue(reply.unauthorized("invalid x-api-key"));
    e2e.start();
    await e2e.ready();
    e2e.submit("hello");
    let screen = await e2e.tmux.waitFor("Authentication failed");
    expect(screen.replace(/\s+/g, " ")).toContain("Set ANTHROPIC_API_KEY to a valid API key.");
    expect(screen).not.toContain("claw login");

    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({
        oauth: {
          clientId: "claw-cli",
          authorizeUrl: "https://sso.example.com/authorize",
          tokenUrl: "https://sso.example.com/token",
        },
      }),
    );
    e2e.mock.enqueue(reply.unauthorized("invalid x-api-key"));
    e2e.newTmux();
    e2e.start();
    await e2e.ready();
    e2e.submit("hello");
    screen = await e2e.tmux.waitFor("Authentication failed");
    expect(screen.replace(/\s+/g, " ")).toContain("or unset it and run `claw login`");
  });

  it("/model lists the current models with a description each; haiku is claude-haiku-5-5", async () => {
    e2e.mock.enqueue(reply.text("quick answer"));
    e2e.start();
    await e2e.ready();
    e2e.submit("/model");
    const picker = await e2e.tmux.waitFor("Switch the model");
    expect(picker).toMatch(/sonnet\s+claude-sonnet-5-5 \(current\) · \S+/);
    expect(picker).toMatch(/opus\s+claude-opus-5-5 · \S+/);
    expect(picker).toMatch(/haiku\s+claude-haiku-5-5 · fastest/);
    e2e.tmux.send("Down");
    e2e.tmux.send("Down");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Model set to claude-haiku-5-5");
    e2e.submit("hi");
    await e2e.tmux.waitFor("quick answer");
    expect(e2e.mock.messageRequests()[0]!.body.model).toBe("claude-haiku-5-5");
  });
});
