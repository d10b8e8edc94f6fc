// The REPL in a real terminal (tmux), checks from a hands-on pass: commands stay in the scrollback, exit
// leaves no prompt box behind, an Edit's dialog diffs against the file, narrow terminals wrap at words,
// /resume skips empty sessions, and a failed prompt is not sent twice when retried.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { type MockReply, messageEvents, reply, type SseItem } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-qa-", width: 100 });

/** A text answer streamed in many pieces with a pause between events, so there is time to type and interrupt. */
function slowText(text: string, pauseMs: number): MockReply {
  const items: SseItem[] = [];
  for (const event of messageEvents({ kind: "message", content: [{ type: "text", text, chunks: 200 }] }))
    items.push(event, { pauseMs });
  return reply.sse(items);
}

describe("REPL hands-on checks", () => {
  it("keeps each slash command above its output and leaves only the scrollback on exit", async () => {
    e2e.start();
    await e2e.ready();
    e2e.submit("/cost");
    await e2e.tmux.waitFor("Total cost");
    e2e.submit("/exit");
    expect(await e2e.tmux.waitForExit()).toBe(0);
    const screen = e2e.tmux.capture({ history: true });
    expect(screen).toMatch(/> \/cost\s+Total cost/);
    expect(screen).toContain("> /exit");
    // No prompt box, completion menu or footer left over from the last frame.
    expect(screen).not.toContain("╭");
    expect(screen).not.toContain("leave claw");
    expect(screen).not.toContain("context 0%");
  });

  it("shows an Edit's diff against the file, with real line numbers and context", async () => {
    writeFileSync(
      join(e2e.sandbox.workspace, "app.js"),
      "function main() {\n  // TODO: greet\n  return 0;\n}\nmain();\n",
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "app.js" } }),
      reply.toolUse({
        name: "Edit",
        input: { file_path: "app.js", old_string: "// TODO: greet", new_string: "console.log('hi');" },
      }),
      reply.text("Left it alone."),
    );
    e2e.start(["--permission-mode", "default"]);
    await e2e.ready();
    e2e.submit("greet");
    const dialog = await e2e.tmux.waitFor("wants permission");
    expect(dialog).toContain("@@ -1,4 +1,4 @@");
    expect(dialog).toContain(" function main() {");
    expect(dialog).toContain("-  // TODO: greet");
    expect(dialog).toContain("+  console.log('hi');");
    e2e.tmux.send("Escape");
    await e2e.tmux.waitFor("Left it alone.");
  });

  it("wraps an answer at words on a narrow terminal, list items under their text", async () => {
    e2e.mock.enqueue(
      reply.text(
        "A first paragraph that is long enough to wrap several times on a narrow terminal screen.\n\n" +
          "- a list item that also needs more than one line to show all of its words\n- short",
      ),
    );
    e2e.start([], { width: 44 });
    await e2e.ready();
    e2e.submit("go");
    const screen = await e2e.tmux.waitFor("• short");
    const lines = screen.split("\n");
    // The banner breaks between its parts, each line indented.
    expect(lines).toContain("  Ctrl+C twice or /exit to leave");
    const first = lines.findIndex((l) => l.startsWith("⏺ A first paragraph"));
    expect(first).toBeGreaterThanOrEqual(0);
    // Continuation lines start at a word under the answer's indent, not with a space.
    expect(lines[first + 1]).toMatch(/^ {2}\S/);
    const item = lines.findIndex((l) => l.startsWith("  • a list item"));
    expect(lines[item + 1]).toMatch(/^ {4}\S/);
    // The footer stays on one line even though its status is wider than the terminal.
    const shown = lines.filter((l) => l.trim() !== "");
    expect(shown.at(-1)).toContain("workspace-write");
    expect(shown.at(-2)).toMatch(/^╰/);
  });

  it("narrowing the window leaves no pieces of the old input box behind", async () => {
    e2e.mock.enqueue(reply.text("The answer stays on screen."));
    e2e.start([], { width: 100 });
    await e2e.ready();
    e2e.submit("hi");
    await e2e.tmux.waitFor("The answer stays on screen.");
    e2e.tmux.type("draft prompt");
    await e2e.tmux.waitFor("> draft prompt");
    for (const width of [60, 40]) {
      e2e.tmux.resize(width, 40);
      // The box redrawn at the new width (its bottom border spans the window) and the old one erased; the two
      // may land in separate frames, so wait for the settled screen (a ghost that stays fails the wait).
      const settled = (s: string) => {
        const rows = s.split("\n");
        return (
          s.includes(`╰${"─".repeat(width - 2)}╯`) &&
          rows.filter((l) => l.startsWith("╭")).length === 1 &&
          rows.filter((l) => l.includes("> draft prompt")).length === 1
        );
      };
      const screen = await e2e.tmux.waitFor(settled).catch(() => e2e.tmux.capture());
      const lines = screen.split("\n");
      expect(
        lines.filter((l) => l.startsWith("╭")),
        screen,
      ).toHaveLength(1);
      expect(
        lines.filter((l) => l.includes("> draft prompt")),
        screen,
      ).toHaveLength(1);
      // Only the old frame was erased: the answer above it is still there (rewrapping may have scrolled it up).
      expect(e2e.tmux.capture({ history: true })).toContain("The answer stays on screen.");
    }
  });

  it("/login hands the terminal to `claw login`: its message stays on screen, and no old prompt box is left", async () => {
    e2e.start(); // no oauth block in the settings: `claw login` explains what to add and fails
    await e2e.ready();
    e2e.submit("/login");
    const screen = await e2e.tmux.waitFor("Login did not complete");
    const lines = screen.split("\n");
    const echo = lines.findIndex((l) => l.startsWith("> /login"));
    const message = lines.findIndex((l) => l.startsWith("claw: cannot log in: no OAuth server configured"));
    expect(echo, screen).toBeGreaterThanOrEqual(0);
    expect(message, screen).toBeGreaterThan(echo);
    expect(
      lines.filter((l) => l.startsWith("╭")),
      screen,
    ).toHaveLength(1);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("/memory open runs $EDITOR on the file, then carries on with the prompt box redrawn", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "CLAUDE.md"), "Use tabs.\n");
    // The "editor" appends a line to the file and says what it did.
    const editor = join(e2e.sandbox.root, "editor.sh");
    writeFileSync(editor, '#!/bin/sh\necho "Prefer small commits." >> "$1"\necho "EDITOR RAN ON $1"\n', {
      mode: 0o755,
    });
    e2e.start([], { env: { EDITOR: editor } });
    await e2e.ready();
    e2e.submit("/memory open 1");
    const screen = await e2e.tmux.waitFor("the change applies to new sessions");
    expect(screen).toContain("EDITOR RAN ON");
    expect(readFileSync(join(e2e.sandbox.workspace, "CLAUDE.md"), "utf8")).toBe(
      "Use tabs.\nPrefer small commits.\n",
    );
    expect(
      screen.split("\n").filter((l) => l.startsWith("╭")),
      screen,
    ).toHaveLength(1);
  });

  it("/resume offers only sessions that have messages", async () => {
    e2e.mock.enqueue(reply.text("first answer"));
    e2e.start();
    await e2e.ready();
    e2e.submit("hello there");
    await e2e.tmux.waitFor("first answer");
    e2e.submit("/clear");
    const cleared = await e2e.tmux.waitFor(/Started a new session \(([0-9a-f-]+)\)/);
    const firstEmpty = /Started a new session \(([0-9a-f-]+)\)/.exec(cleared)?.[1];
    // /clear also clears the screen: the second one is seen by its new session id.
    e2e.submit("/clear");
    await e2e.tmux.waitFor((screen) => {
      const id = /Started a new session \(([0-9a-f-]+)\)/.exec(screen)?.[1];
      return id !== undefined && id !== firstEmpty;
    });
    e2e.submit("/resume");
    const picker = await e2e.tmux.waitFor("Resume a session");
    expect(picker).toContain("hello there");
    expect(picker).not.toContain("(no prompt)");
    expect(picker.match(/msgs/g)).toHaveLength(1);
    e2e.tmux.send("Escape");
  });

  it("Esc gives back the prompt without losing what was typed or queued meanwhile", async () => {
    e2e.mock.enqueue(slowText("word ".repeat(400), 50));
    e2e.start();
    await e2e.ready();
    e2e.submit("tell a long story");
    await e2e.tmux.waitFor("Writing…");
    e2e.submit("then summarise it");
    await e2e.tmux.waitFor("queued: then summarise it");
    e2e.tmux.type("a draft");
    e2e.tmux.send("Escape");
    const screen = await e2e.tmux.waitFor("Interrupted by user");
    await e2e.tmux.waitFor((s) => s.includes("│ > tell a long story"));
    const after = e2e.tmux.capture();
    expect(after).toMatch(/│ {3}then summarise it/);
    expect(after).toMatch(/│ {3}a draft/);
    expect(screen).not.toContain("queued:");
    expect(e2e.mock.messageRequests()).toHaveLength(1);
  });

  it("a prompt that failed with an API error goes back to the input and is sent once on retry", async () => {
    e2e.mock.enqueue(
      reply.status(400, { errorType: "invalid_request_error", message: "bad thing" }),
      reply.text("second time lucky"),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("retry me");
    await e2e.tmux.waitFor("bad thing");
    // The prompt is back in the input: Enter sends it again.
    await e2e.tmux.waitFor((s) => /│ > retry me/.test(s));
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("second time lucky");
    const body = e2e.mock.messageRequests()[1]?.body;
    expect(body.messages).toHaveLength(1);
    expect(JSON.stringify(body.messages[0]).match(/retry me/g)).toHaveLength(1);
    // The saved session agrees: resuming it sends the prompt once too.
    e2e.submit("/exit");
    await e2e.tmux.waitForExit();
    e2e.mock.enqueue(reply.text("resumed"));
    const resumed = await runClaw(["-c", "-p", "and then?"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(resumed.code).toBe(0);
    const sent = JSON.stringify(e2e.mock.messageRequests().at(-1)?.body.messages);
    expect(sent.match(/retry me/g)).toHaveLength(1);
  });
});
