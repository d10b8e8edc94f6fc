// Interrupts in a real terminal: Esc during a long stream and during `sleep` in Bash stops the work,
// keeps the partial answer marked interrupted, restores the prompt, and leaves a session the API accepts.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { messageEvents, reply, type SseItem } from "../support/mock-anthropic.js";
import { expectValidConversation, setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-int-" });

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
  const projects = join(e2e.sandbox.configHome, "projects");
  const [dir] = readdirSync(projects);
  const files = readdirSync(join(projects, dir!)).filter((f) => f.endsWith(".jsonl"));
  expect(files).toHaveLength(1);
  return readFileSync(join(projects, dir!, files[0]!), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("interrupts", () => {
  it("Esc during a long stream stops it, marks the partial answer and restores the prompt", async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `word${i} `);
    e2e.mock.enqueue(slowText(pieces, 50), reply.text("Second answer."));
    e2e.start();
    await e2e.ready();
    e2e.submit("tell me a long story");
    await e2e.tmux.waitFor("word5 ");
    e2e.tmux.send("Escape");
    // The partial answer is marked and the prompt is back in the input box.
    const screen = await e2e.tmux.waitFor(
      (s) => s.includes("Interrupted by user") && /│ > tell me a long story/.test(s),
    );
    expect(screen).not.toContain("word199");
    const records = sessionLines() as Array<{ type: string; partialText?: string }>;
    const interrupted = records.find((r) => r.type === "interrupted");
    expect(interrupted?.partialText).toContain("word1 ");

    // Sending the restored prompt again works and the history is one the API accepts.
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Second answer.");
    const messages = e2e.mock.messageRequests()[1]!.body.messages;
    expectValidConversation(messages);
    expect(JSON.stringify(messages)).toContain("interrupted by user");
  });

  it("Esc during `sleep` in Bash kills the process group and records an interrupted result", async () => {
    const marker = `37.${process.pid}${Date.now() % 100000}`; // unique: pgrep must see only this test's sleep
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: `sleep ${marker}` } }),
      reply.text("After the sleep."),
    );
    e2e.start(["--dangerously-skip-permissions"]);
    await e2e.ready();
    e2e.submit("wait a bit");
    await e2e.tmux.waitFor(`Bash(sleep ${marker})`);
    const running = () => {
      try {
        return execFileSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" }).trim();
      } catch {
        return "";
      }
    };
    for (let i = 0; i < 100 && running() === ""; i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).not.toBe("");
    e2e.tmux.send("Escape");
    const screen = await e2e.tmux.waitFor(
      (s) => /│ > wait a bit/.test(s) && s.includes("Interrupted by user"),
    );
    expect(screen).toContain("Bash(sleep");
    for (let i = 0; i < 60 && running() !== ""; i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).toBe("");

    e2e.tmux.send("C-u");
    e2e.submit("continue");
    await e2e.tmux.waitFor("After the sleep.");
    const messages = e2e.mock.messageRequests()[1]!.body.messages;
    expectValidConversation(messages);
    expect(JSON.stringify(messages)).toMatch(/nterrupted/);
    for (const line of sessionLines()) expect(line).toBeTypeOf("object");
  });
});
