// Interrupts in a real terminal: Esc during a long stream and during `sleep` in Bash stops the work,
// keeps the partial answer marked interrupted, restores the prompt, and leaves a session the API accepts.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import {
  type MockAnthropic,
  messageEvents,
  reply,
  type SseItem,
  startMockAnthropic,
} from "../support/mock-anthropic.js";
import { startClawInTmux, TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-int-");
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

/** A text answer streamed slowly: `pieces` deltas with a pause between each. */
function slowText(pieces: string[], pauseMs: number) {
  const message = reply.text(pieces.join(""), { chunks: pieces.length });
  if (message.kind !== "message") throw new Error("unexpected reply kind");
  const items: SseItem[] = [];
  for (const event of messageEvents(message)) {
    items.push(event);
    if (event.event === "content_block_delta") items.push({ pauseMs });
  }
  return reply.sse(items);
}

function sessionLines(): unknown[] {
  const projects = join(sandbox.configHome, "projects");
  const [dir] = readdirSync(projects);
  const files = readdirSync(join(projects, dir!)).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return readFileSync(join(projects, dir!, files[0]!), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are plain JSON
function expectValidConversation(messages: any[]): void {
  for (let i = 1; i < messages.length; i++) expect(messages[i].role).not.toBe(messages[i - 1].role);
  const uses = new Set<string>();
  const results = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_use") uses.add(b.id);
      if (b.type === "tool_result") results.add(b.tool_use_id);
    }
  }
  expect([...uses].sort()).toEqual([...results].sort());
}

describe("interrupts", () => {
  it("Esc during a long stream stops it, marks the partial answer and restores the prompt", async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `word${i} `);
    mock.enqueue(slowText(pieces, 50), reply.text("Second answer."));
    start();
    await tmux.waitFor("/help for commands");
    tmux.type("tell me a long story");
    tmux.send("Enter");
    await tmux.waitFor("word5 ");
    tmux.send("Escape");
    // The partial answer is marked and the prompt is back in the input box.
    const screen = await tmux.waitFor(
      (s) => s.includes("Interrupted by user") && /│ > tell me a long story/.test(s),
    );
    expect(screen).not.toContain("word199");
    const records = sessionLines() as Array<{ type: string; partialText?: string }>;
    const interrupted = records.find((r) => r.type === "interrupted");
    expect(interrupted?.partialText).toContain("word1 ");

    // Sending the restored prompt again works and the history is one the API accepts.
    tmux.send("Enter");
    await tmux.waitFor("Second answer.");
    const messages = mock.messageRequests()[1]!.body.messages;
    expectValidConversation(messages);
    expect(JSON.stringify(messages)).toContain("interrupted by user");
  });

  it("Esc during `sleep` in Bash kills the process group and records an interrupted result", async () => {
    const marker = "37.4242";
    mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: `sleep ${marker}` } }),
      reply.text("After the sleep."),
    );
    start(["--dangerously-skip-permissions"]);
    await tmux.waitFor("/help for commands");
    tmux.type("wait a bit");
    tmux.send("Enter");
    await tmux.waitFor(`Bash(sleep ${marker})`);
    const running = () => {
      try {
        return execFileSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" }).trim();
      } catch {
        return "";
      }
    };
    for (let i = 0; i < 100 && running() === ""; i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).not.toBe("");
    tmux.send("Escape");
    const screen = await tmux.waitFor((s) => /│ > wait a bit/.test(s) && s.includes("Interrupted by user"));
    expect(screen).toContain("Bash(sleep");
    for (let i = 0; i < 60 && running() !== ""; i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).toBe("");

    tmux.send("C-u");
    tmux.type("continue");
    tmux.send("Enter");
    await tmux.waitFor("After the sleep.");
    const messages = mock.messageRequests()[1]!.body.messages;
    expectValidConversation(messages);
    expect(JSON.stringify(messages)).toMatch(/nterrupted/);
    for (const line of sessionLines()) expect(line).toBeTypeOf("object");
  });
});
