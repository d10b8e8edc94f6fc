// Issue 11 class 4 in a real terminal (tmux): a project's CLAUDE.md importing a file from outside the project
// makes the REPL ask once; "y" puts it in the prompt and is remembered, "n" leaves it out and is remembered.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;
let outside: string;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-imports-");
  tmux = new TmuxSession();
  mkdirSync(join(sandbox.root, "shared"));
  outside = join(sandbox.root, "shared", "team.md");
  writeFileSync(outside, "OUTSIDE-RULE-9\n");
  writeFileSync(join(sandbox.workspace, "CLAUDE.md"), "Rules: @../shared/team.md\n");
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function startClaw(): void {
  tmux.start({
    command: [...CLAW_COMMAND],
    env: cleanEnv(sandbox, { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url, SHELL: "/bin/sh" }),
    cwd: sandbox.workspace,
  });
}

function remembered(): unknown {
  const path = join(sandbox.configHome, "trusted-folders.json");
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { imports?: Record<string, unknown> }).imports?.[
    realpathSync(sandbox.workspace)
  ];
}

async function askAndExit(prompt: string, answer: string): Promise<string> {
  tmux.type(prompt);
  tmux.send("Enter");
  await tmux.waitFor(answer);
  tmux.type("/exit");
  tmux.send("Enter");
  await tmux.waitForExit();
  return JSON.stringify(mock.messageRequests().at(-1)?.body);
}

describe("REPL: @imports from outside the project", () => {
  it.each([
    ["y", "allow", true],
    ["n", "deny", false],
  ])("answering %s is remembered (%s) and decides what the prompt holds", async (key, decision, included) => {
    mock.enqueue(reply.text("first answer"), reply.text("second answer"));
    startClaw();
    const question = await tmux.waitFor("Include them? [y/N]");
    expect(question).toContain(join(sandbox.root, "shared", "team.md"));
    tmux.type(key);
    tmux.send("Enter");
    await tmux.waitFor("/help for commands");
    const sent = await askAndExit("hello", "first answer");
    expect(sent.includes("OUTSIDE-RULE-9")).toBe(included);
    expect(remembered()).toEqual({ [realpathSync(outside)]: decision });

    tmux.kill();
    tmux = new TmuxSession();
    startClaw();
    const screen = await tmux.waitFor("/help for commands", { history: true });
    expect(screen).not.toContain("Include them?");
    const again = await askAndExit("again", "second answer");
    expect(again.includes("OUTSIDE-RULE-9")).toBe(included);
  });
});
