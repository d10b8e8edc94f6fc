// The permission dialog in a real terminal: allow once, deny with a message, allow and save to settings.local.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { startClawInTmux, TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-perm-");
  tmux = new TmuxSession();
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function start(args: string[] = []): void {
  startClawInTmux(tmux, {
    clawJs: CLAW_JS,
    args,
    env: cleanEnv(sandbox, { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url }),
    cwd: sandbox.workspace,
  });
}

function lastToolResult(): string {
  const body = mock.messageRequests().at(-1)!.body;
  return JSON.stringify(body.messages.at(-1));
}

describe("permission dialog", () => {
  it("allow once runs the command; the model sees its output", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch made-by-tool.txt && echo created" } }),
      reply.text("All set."),
    );
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("make a file");
    tmux.send("Enter");
    const dialog = await tmux.waitFor("wants permission");
    expect(dialog).toContain("touch made-by-tool.txt && echo created");
    expect(dialog).toContain("Yes, and don't ask again");
    tmux.send("Enter");
    await tmux.waitFor("All set.");
    expect(existsSync(join(sandbox.workspace, "made-by-tool.txt"))).toBe(true);
    expect(lastToolResult()).toContain("created");
  });

  it("deny with a message: nothing runs and the model gets the message", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch nope.txt" } }),
      reply.text("Understood."),
    );
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("make a file");
    tmux.send("Enter");
    await tmux.waitFor("wants permission");
    tmux.type("4");
    await tmux.waitFor("Message to the model");
    tmux.type("use a different name");
    tmux.send("Enter");
    await tmux.waitFor("Understood.");
    expect(existsSync(join(sandbox.workspace, "nope.txt"))).toBe(false);
    const result = lastToolResult();
    expect(result).toContain("denied");
    expect(result).toContain("use a different name");
  });

  it("Esc denies; the REPL carries on", async () => {
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch esc.txt" } }),
      reply.text("Fine, skipped."),
    );
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("make a file");
    tmux.send("Enter");
    await tmux.waitFor("wants permission");
    tmux.send("Escape");
    await tmux.waitFor("Fine, skipped.");
    expect(existsSync(join(sandbox.workspace, "esc.txt"))).toBe(false);
    expect(lastToolResult()).toContain("denied");
  });

  it("allow and save writes the rule to .claude/settings.local.json, keeping other keys", async () => {
    mkdirSync(join(sandbox.workspace, ".claude"), { recursive: true });
    writeFileSync(
      join(sandbox.workspace, ".claude", "settings.local.json"),
      JSON.stringify({ model: "claude-x", permissions: { deny: ["Read(./secret)"] } }),
    );
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch saved.txt" } }),
      reply.text("Saved it."),
    );
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("make a file");
    tmux.send("Enter");
    await tmux.waitFor("wants permission");
    tmux.type("3");
    await tmux.waitFor("Saved it.");
    await tmux.waitFor("settings.local.json");
    const saved = JSON.parse(readFileSync(join(sandbox.workspace, ".claude", "settings.local.json"), "utf8"));
    expect(saved.model).toBe("claude-x");
    expect(saved.permissions.deny).toEqual(["Read(./secret)"]);
    expect(saved.permissions.allow).toHaveLength(1);
    expect(saved.permissions.allow[0]).toMatch(/^Bash\(touch/);
  });
});
