// How a turn is laid out in a real terminal (tmux): the assistant's text carries its own marker apart from tool
// lines, and long lines of tool output and errors wrap under their text instead of at column 0.
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-layout-" });

const rows = (screen: string) => screen.split("\n").map((line) => line.trimEnd());

const LONG_WORDS = Array.from({ length: 24 }, (_, i) => `word${String(i + 1).padStart(2, "0")}`).join(" ");

describe("turn layout", () => {
  it("marks the assistant's text with ⏺ and indents it, apart from the ● tool lines", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo checked" } }),
      reply.text("First paragraph of the answer.\n\n- a point\n- another point\n\nLast paragraph."),
    );
    e2e.start(["--dangerously-skip-permissions"], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("check it");
    const lines = rows(await e2e.tmux.waitFor("Last paragraph."));
    expect(lines).toContain("● Bash(echo checked)");
    expect(lines).toContain("⏺ First paragraph of the answer.");
    expect(lines).toContain("  • a point");
    expect(lines).toContain("  Last paragraph.");
    expect(lines.filter((line) => line.startsWith("⏺"))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("● ") && line.includes("paragraph"))).toEqual([]);
  });

  it("a resumed session's answers carry the same marker", async () => {
    e2e.mock.enqueue(reply.text("An answer from before.\n\nIts second paragraph."));
    const first = await runClaw(["-p", "an earlier question"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(first.code).toBe(0);
    e2e.start(["-c"], { env: { NO_COLOR: "1" } });
    const lines = rows(await e2e.tmux.waitFor("Resumed session"));
    expect(lines).toContain("⏺ An answer from before.");
    expect(lines).toContain("  Its second paragraph.");
  });

  it("a table wider than the terminal wraps its cells inside the grid instead of becoming records", async () => {
    const table = [
      "| Option | What it does | Default |",
      "|---|---|---:|",
      "| --permission-mode | Chooses how claw asks before it changes files or runs commands | workspace-write |",
      "| --model | The model for this session, by alias or full id | sonnet |",
    ].join("\n");
    e2e.mock.enqueue(reply.text(`The options:\n\n${table}\n\nThat is the table.`));
    e2e.start([], { env: { NO_COLOR: "1" }, width: 56 });
    await e2e.ready();
    e2e.submit("show the options");
    const lines = rows(await e2e.tmux.waitFor("That is the table."));
    const top = lines.findIndex((line) => line.trimStart().startsWith("┌"));
    const bottom = lines.findIndex((line) => line.trimStart().startsWith("└"));
    expect(top).toBeGreaterThan(0);
    expect(bottom).toBeGreaterThan(top);
    const grid = lines.slice(top, bottom + 1);
    // Every row of the grid fits the terminal and has the same width: the columns line up.
    for (const line of grid) expect(line.length).toBeLessThanOrEqual(56);
    expect(new Set(grid.map((line) => line.length)).size).toBe(1);
    // The long cell is wrapped across rows of its column; nothing was turned into "header: value" records.
    const cells = (line: string) =>
      line
        .split("│")
        .slice(1, -1)
        .map((cell) => cell.trim());
    const body = grid.filter((line) => line.trimStart().startsWith("│")).map(cells);
    const described = body.map((cell) => cell[1]).join(" ");
    expect(described.replace(/\s+/g, " ")).toContain(
      "Chooses how claw asks before it changes files or runs commands",
    );
    expect(body.filter((cell) => cell[1] !== "").length).toBeGreaterThan(4);
    expect(lines.join("\n")).not.toContain("Option: --permission-mode");
  });

  it("long lines of tool output and of errors wrap under their own indent", async () => {
    e2e.mock.enqueue(
      reply.toolUse({
        name: "Bash",
        input: { command: `echo ${LONG_WORDS}; echo ${LONG_WORDS} >&2; exit 3` },
      }),
      reply.text("Done with that."),
      reply.status(400, {
        errorType: "invalid_request_error",
        message: `The request was refused: ${LONG_WORDS}`,
      }),
    );
    e2e.start(["--dangerously-skip-permissions"], { env: { NO_COLOR: "1" }, width: 60 });
    await e2e.ready();
    e2e.submit(`run it: ${LONG_WORDS}`);
    await e2e.tmux.waitFor("Done with that.");
    e2e.submit("again");
    const screen = await e2e.tmux.waitFor("refused");
    const lines = rows(e2e.tmux.capture({ history: true }));
    // The prompt's echo wraps under its text.
    const prompt = lines.findIndex((line) => line.startsWith("> run it: word01"));
    expect(lines[prompt]!.length).toBeLessThanOrEqual(60);
    expect(lines[prompt + 1]).toMatch(/^ {2}word\d\d/);
    // The call line and the output lines (stdout, then stderr) are cut into rows of at most 60 columns, each
    // continuing under its text.
    const call = lines.findIndex((line) => line.startsWith("● Bash(echo word01"));
    expect(lines[call + 1]).toMatch(/^ {2}\S/);
    const result = lines.findIndex((line) => line.includes("⎿ exit 3"));
    const output = lines.slice(result + 1, lines.indexOf("", result));
    expect(output.length).toBeGreaterThanOrEqual(4);
    for (const line of output) {
      expect(line.length).toBeLessThanOrEqual(60);
      expect(line).toMatch(/^ {4}\S/);
    }
    expect(output.join(" ").replace(/\s+/g, " ")).toBe(` ${LONG_WORDS} ${LONG_WORDS}`);
    // The API error's own rows continue under its text, not under the ✗.
    const error = rows(screen);
    const first = error.findIndex((line) => line.startsWith("✗ The API rejected"));
    const message = error.slice(first, error.indexOf("", first));
    expect(message.join(" ").replace(/\s+/g, " ")).toContain(`refused: ${LONG_WORDS}`);
    expect(message.length).toBeGreaterThanOrEqual(3);
    for (const line of message.slice(1)) expect(line).toMatch(/^ {2}\S/);
    for (const line of message) expect(line.length).toBeLessThanOrEqual(60);
  });
});
