// The REPL in a real terminal (tmux), checks from a hands-on pass: commands stay in the scrollback, exit
// leaves no prompt box behind, an Edit's dialog diffs against the file, narrow terminals wrap at words,
// /resume skips empty sessions, and a failed prompt is not sent twice when retried.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import {
  type MockAnthropic,
  type MockReply,
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
  sandbox = makeSandbox("claw-repl-qa-");
  tmux = new TmuxSession();
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function start(args: string[] = [], width = 100): void {
  startClawInTmux(tmux, {
    clawJs: CLAW_JS,
    args,
    env: cleanEnv(sandbox, { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url }),
    cwd: sandbox.workspace,
    width,
  });
}

/** A text answer streamed in many pieces with a pause between events, so there is time to type and interrupt. */
function slowText(text: string, pauseMs: number): MockReply {
  const items: SseItem[] = [];
  for (const event of messageEvents({ kind: "message", content: [{ type: "text", text, chunks: 200 }] }))
    items.push(event, { pauseMs });
  return reply.sse(items);
}

async function ready(): Promise<void> {
  await tmux.waitFor("/help for commands");
}

function submit(text: string): void {
  tmux.type(text);
  tmux.send("Enter");
}

describe("REPL hands-on checks", () => {
  it("keeps each slash command above its output and leaves only the scrollback on exit", async () => {
    start();
    await ready();
    submit("/cost");
    await tmux.waitFor("Total cost");
    submit("/exit");
    expect(await tmux.waitForExit()).toBe(0);
    const screen = tmux.capture({ history: true });
    expect(screen).toMatch(/> \/cost\s+Total cost/);
    expect(screen).toContain("> /exit");
    // No prompt box, completion menu or footer left over from the last frame.
    expect(screen).not.toContain("╭");
    expect(screen).not.toContain("leave claw");
    expect(screen).not.toContain("context 0%");
  });

  it("shows an Edit's diff against the file, with real line numbers and context", async () => {
    writeFileSync(
      join(sandbox.workspace, "app.js"),
      "function main() {\n  // TODO: greet\n  return 0;\n}\nmain();\n",
    );
    mock.enqueue(
      reply.toolUse({
        name: "Edit",
        input: { file_path: "app.js", old_string: "// TODO: greet", new_string: "console.log('hi');" },
      }),
      reply.text("Left it alone."),
    );
    start(["--permission-mode", "default"]);
    await ready();
    submit("greet");
    const dialog = await tmux.waitFor("wants permission");
    expect(dialog).toContain("@@ -1,4 +1,4 @@");
    expect(dialog).toContain(" function main() {");
    expect(dialog).toContain("-  // TODO: greet");
    expect(dialog).toContain("+  console.log('hi');");
    tmux.send("Escape");
    await tmux.waitFor("Left it alone.");
  });

  it("wraps an answer at words on a narrow terminal, list items under their text", async () => {
    mock.enqueue(
      reply.text(
        "A first paragraph that is long enough to wrap several times on a narrow terminal screen.\n\n" +
          "- a list item that also needs more than one line to show all of its words\n- short",
      ),
    );
    start([], 44);
    await ready();
    submit("go");
    const screen = await tmux.waitFor("• short");
    const lines = screen.split("\n");
    // The banner breaks between its parts, each line indented.
    expect(lines).toContain("  Ctrl+C twice or /exit to leave");
    const first = lines.findIndex((l) => l.startsWith("A first paragraph"));
    expect(first).toBeGreaterThanOrEqual(0);
    // Continuation lines start at a word, not with a space.
    expect(lines[first + 1]).toMatch(/^\S/);
    const item = lines.findIndex((l) => l.startsWith("• a list item"));
    expect(lines[item + 1]).toMatch(/^ {2}\S/);
    // The footer stays on one line even though its status is wider than the terminal.
    const shown = lines.filter((l) => l.trim() !== "");
    expect(shown.at(-1)).toContain("workspace-write");
    expect(shown.at(-2)).toMatch(/^╰/);
  });

  it("/resume offers only sessions that have messages", async () => {
    mock.enqueue(reply.text("first answer"));
    start();
    await ready();
    submit("hello there");
    await tmux.waitFor("first answer");
    submit("/clear");
    await tmux.waitFor("Started a new session");
    submit("/clear");
    await tmux.waitFor(/Started a new session[\s\S]*Started a new session/);
    submit("/resume");
    const picker = await tmux.waitFor("Resume a session");
    expect(picker).toContain("hello there");
    expect(picker).not.toContain("(no prompt)");
    expect(picker.match(/msgs/g)).toHaveLength(1);
    tmux.send("Escape");
  });

  it("Esc gives back the prompt without losing what was typed or queued meanwhile", async () => {
    mock.enqueue(slowText("word ".repeat(400), 50));
    start();
    await ready();
    submit("tell a long story");
    await tmux.waitFor("Writing…");
    submit("then summarise it");
    await tmux.waitFor("queued: then summarise it");
    tmux.type("a draft");
    tmux.send("Escape");
    const screen = await tmux.waitFor("Interrupted by user");
    await tmux.waitFor((s) => s.includes("│ > tell a long story"));
    const after = tmux.capture();
    expect(after).toMatch(/│ {3}then summarise it/);
    expect(after).toMatch(/│ {3}a draft/);
    expect(screen).not.toContain("queued:");
    expect(mock.messageRequests()).toHaveLength(1);
  });

  it("a prompt that failed with an API error goes back to the input and is sent once on retry", async () => {
    mock.enqueue(
      reply.status(400, { errorType: "invalid_request_error", message: "bad thing" }),
      reply.text("second time lucky"),
    );
    start();
    await ready();
    submit("retry me");
    await tmux.waitFor("bad thing");
    // The prompt is back in the input: Enter sends it again.
    await tmux.waitFor((s) => /│ > retry me/.test(s));
    tmux.send("Enter");
    await tmux.waitFor("second time lucky");
    const body = mock.messageRequests()[1]?.body;
    expect(body.messages).toHaveLength(1);
    expect(JSON.stringify(body.messages[0]).match(/retry me/g)).toHaveLength(1);
  });
});
