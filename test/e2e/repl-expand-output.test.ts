// Ctrl+O in a real terminal (tmux): the last collapsed tool output opens in place while it is on screen, and
// Ctrl+O again shows the transcript (every tool result in full) on the alternate screen; Esc or Ctrl+O returns
// to the conversation as it was.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-expand-", width: 100 });

const rows = (screen: string) => screen.split("\n").map((line) => line.trimEnd());

describe("Ctrl+O", () => {
  it("expands the last collapsed output in place, then toggles a transcript with every result in full", async () => {
    const notes = Array.from({ length: 12 }, (_, i) => `note line ${String(i + 1).padStart(2, "0")}`);
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), `${notes.join("\n")}\n`);
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: join(e2e.sandbox.workspace, "notes.txt") } }),
      reply.toolUse({ name: "Bash", input: { command: "seq 101 125" } }),
      reply.text("Both looked at."),
    );
    e2e.start(["--dangerously-skip-permissions"], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("look at things");
    let screen = await e2e.tmux.waitFor(/✻ \d/);
    // Collapsed: the first lines of the command's output, and a note of what is hidden.
    expect(screen).toContain("    104\n    … +21 lines (ctrl+o to expand)");
    expect(screen).not.toContain("    125");
    expect(screen).not.toContain("note line 01");

    e2e.tmux.send("C-o");
    screen = await e2e.tmux.waitFor("Expanded · ctrl+o again: transcript");
    const lines = rows(screen);
    const first = lines.indexOf("    101");
    expect(first).toBeGreaterThan(0);
    expect(lines.slice(first, first + 25)).toEqual(Array.from({ length: 25 }, (_, i) => `    ${101 + i}`));
    expect(screen).not.toContain("… +21 lines");
    // What followed the output is still below it, once.
    expect(screen.indexOf("Both looked at.")).toBeGreaterThan(screen.indexOf("    125"));
    const history = e2e.tmux.capture({ history: true });
    expect(history.split("Both looked at.")).toHaveLength(2);
    expect(history.split("look at things")).toHaveLength(2);

    // Nothing collapsed is left in view: the transcript, where the Read's content is shown too.
    e2e.tmux.send("C-o");
    screen = await e2e.tmux.waitFor("Transcript · every tool result in full");
    expect(screen).not.toContain("│ >");
    e2e.tmux.send("Home");
    screen = await e2e.tmux.waitFor("note line 01");
    expect(screen).toContain("Read(notes.txt)");
    expect(screen).toContain("> look at things");
    e2e.tmux.send("End");
    screen = await e2e.tmux.waitFor("Both looked at.");
    expect(screen).toContain("125");

    // Esc goes back to the conversation's screen as it was, with the prompt working.
    e2e.tmux.send("Escape");
    screen = await e2e.tmux.waitFor((s) => !s.includes("Transcript ·") && s.includes("│ >"));
    expect(screen).toContain("Both looked at.");
    expect(screen).toContain("    125");
    e2e.tmux.send("C-o");
    await e2e.tmux.waitFor("Transcript · every tool result in full");
    e2e.tmux.send("C-o");
    await e2e.tmux.waitFor((s) => !s.includes("Transcript ·") && s.includes("│ >"));
    e2e.mock.enqueue(reply.text("still here"));
    e2e.submit("next");
    await e2e.tmux.waitFor("still here");
    const after = e2e.tmux.capture({ history: true });
    expect(after.split("Both looked at.")).toHaveLength(2);
    expect(after).not.toContain("Transcript ·");
  });

  it("a collapsed output scrolled off the screen opens the transcript instead", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "seq 201 230" } }),
      reply.text(Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}.`).join("\n\n")),
    );
    e2e.start(["--dangerously-skip-permissions"], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("go");
    await e2e.tmux.waitFor(/✻ \d/);
    e2e.tmux.send("C-o");
    await e2e.tmux.waitFor("Transcript · every tool result in full");
    e2e.tmux.send("Home");
    const screen = await e2e.tmux.waitFor("⎿ 201");
    expect(screen).toContain("    202");
    e2e.tmux.send("q");
    await e2e.tmux.waitFor((s) => !s.includes("Transcript ·") && s.includes("│ >"));
    // The conversation's own scrollback still has the output collapsed.
    expect(e2e.tmux.capture({ history: true })).not.toContain("    230");
  });

  it("the transcript follows a turn that is still running, and the scrollback it held back comes after", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "sleep 1.5 && echo finished-late" } }),
      reply.text("After the sleep."),
    );
    e2e.start(["--dangerously-skip-permissions"], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("wait a little");
    await e2e.tmux.waitFor("Bash(sleep 1.5");
    e2e.tmux.send("C-o");
    await e2e.tmux.waitFor("Transcript · every tool result in full");
    const screen = await e2e.tmux.waitFor("After the sleep.", { timeoutMs: 15_000 });
    expect(screen).toContain("Transcript ·");
    expect(screen).toContain("finished-late");
    e2e.tmux.send("Escape");
    await e2e.tmux.waitFor((s) => !s.includes("Transcript ·") && s.includes("After the sleep."));
    const history = e2e.tmux.capture({ history: true });
    expect(history.split("After the sleep.")).toHaveLength(2);
    expect(history.indexOf("finished-late")).toBeLessThan(history.indexOf("After the sleep."));
  });
});
