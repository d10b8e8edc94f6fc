// Fixes from a hands-on pass over the REPL: commands echoed in the scrollback, /compact reporting once, a
// failed prompt not sent twice on retry, /diff listing new files, a footer and menu that never wrap.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Compactor } from "../../../src/agent/compaction-types.js";
import type { Provider } from "../../../src/api/types.js";
import { formatDiff, formatTokens, formatToolEnd, terminalSafe } from "../../../src/tui/format.js";
import { createStyle } from "../../../src/tui/style.js";
import { makeCommandRepl, makeReplRuntime } from "../../support/repl-fixture.js";
import type { ScriptedReply } from "../../support/scripted-provider.js";

function setup(replies: ScriptedReply[] = [], compactor?: Compactor, model?: Provider) {
  const fixture = makeReplRuntime({ replies, compactor, model, prefix: "claw-qa-" });
  onTestFinished(fixture.cleanup);
  return { ...fixture, ...makeCommandRepl(fixture) };
}

describe("REPL fixes", () => {
  it("echoes a slash command above its output, like a prompt", async () => {
    const { run, output } = setup();
    await run("/cost");
    const out = output();
    expect(out).toContain("> /cost");
    expect(out.indexOf("> /cost")).toBeLessThan(out.indexOf("Total cost"));
  });

  it("echoes a custom command once", async () => {
    const { run, output, cwd } = setup([{ text: "ok" }]);
    execFileSync("mkdir", ["-p", join(cwd, ".claude", "commands")]);
    writeFileSync(join(cwd, ".claude", "commands", "x.md"), "Explain $ARGUMENTS");
    await run("/x recursion");
    expect(output().match(/> \/x recursion/g)).toHaveLength(1);
  });

  it("/compact reports a compaction once, even when the message count stays the same", async () => {
    const compactor: Compactor = {
      maybeCompact: async ({ messages }) => ({
        messages: [
          { role: "user", content: "Summary of the conversation" },
          { role: "assistant", content: [{ type: "text", text: "Understood." }] },
        ],
        summary: "Summary",
        messagesSummarized: messages.length - 1,
        tokensBefore: 500,
        tokensAfter: 100,
        filesMentioned: [],
      }),
    };
    const { run, output, agent } = setup([{ text: "an answer" }], compactor);
    await run("question");
    expect(agent.messages).toHaveLength(2);
    await run("/compact");
    const out = output();
    expect(out).toContain("Compacted 1 message (500 → 100 tokens).");
    expect(out).not.toContain("Nothing to compact");
  });

  it("/compact without a compactor says there is nothing to compact", async () => {
    const { run, output } = setup();
    await run("/compact");
    expect(output()).toContain("Nothing to compact yet.");
  });

  it("a prompt that failed before any answer is not sent twice when retried", async () => {
    const { run, controller, provider, agent } = setup([
      { error: { kind: "invalid_request", message: "The API rejected the request (400)." } },
      { text: "worked" },
    ]);
    await run("first try");
    expect(controller.store.getSnapshot().restore?.text).toBe("first try");
    expect(agent.messages).toHaveLength(0);
    await run("first try");
    const sent = provider.requests[1]?.messages ?? [];
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.content).match(/first try/g)).toHaveLength(1);
  });

  it("a prompt whose answer had started stays in the conversation", async () => {
    const { run, controller, agent } = setup([
      { error: { kind: "overloaded", message: "Overloaded." }, partialText: "Part of the answer" },
    ]);
    await run("tell me");
    expect(controller.store.getSnapshot().restore?.text).toBe("tell me");
    expect(JSON.stringify(agent.messages[0]?.content)).toContain("tell me");
  });

  it("an interrupt puts the queued prompts back into the input instead of dropping them", async () => {
    // A model that starts answering and then waits until it is interrupted.
    const { controller } = setup([], undefined, {
      async *stream(request) {
        yield { type: "message_start", id: "m1", model: "claude-test", usage: usage() };
        yield { type: "text_delta", index: 0, text: "Working on it" };
        await new Promise<void>((resolve) => request.signal?.addEventListener("abort", () => resolve()));
        yield { type: "error", error: { kind: "aborted", message: "Interrupted." } };
      },
    });
    controller.submit("first question");
    controller.submit("second question");
    expect(controller.store.getSnapshot().queued).toEqual(["second question"]);
    for (let i = 0; i < 100 && !controller.store.getSnapshot().live; i++)
      await new Promise((r) => setTimeout(r, 10));
    controller.interrupt();
    for (let i = 0; i < 200 && controller.busy; i++) await new Promise((r) => setTimeout(r, 10));
    expect(controller.store.getSnapshot().queued).toEqual([]);
    expect(controller.store.getSnapshot().restore?.text).toBe("first question\nsecond question");
  });

  it("/model without a name offers the models to pick from, the current one first", async () => {
    const { controller, agent } = setup();
    controller.submit("/model");
    for (let i = 0; i < 100 && !controller.store.getSnapshot().picker; i++)
      await new Promise((r) => setTimeout(r, 10));
    const picker = controller.store.getSnapshot().picker;
    expect(picker?.options[0]?.label).toBe("claude-test (current)");
    const opus = picker?.options.find((o) => o.label.startsWith("opus"));
    expect(opus).toBeDefined();
    picker?.choose(opus?.value);
    for (let i = 0; i < 100 && controller.busy; i++) await new Promise((r) => setTimeout(r, 10));
    expect(agent.model).toBe(opus?.value);
    expect(controller.store.getSnapshot().footer.model).toBe(opus?.value);
  });

  it("/diff steps through the changed files, untracked ones too, and closes with q", async () => {
    const { run, output, cwd, controller } = setup();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=a@b", "-c", "user.name=a", ...args], { cwd, stdio: "ignore" });
    git("init", "-q");
    writeFileSync(join(cwd, "a.txt"), "one\n");
    git("add", "a.txt");
    git("commit", "-qm", "init");
    writeFileSync(join(cwd, "a.txt"), "two\n");
    writeFileSync(join(cwd, "new.js"), "export const x = 1;\n");
    const done = run("/diff");
    for (let i = 0; i < 200 && !controller.store.getSnapshot().pager; i++)
      await new Promise((r) => setTimeout(r, 10));
    const pager = controller.store.getSnapshot().pager!;
    expect(pager.title).toContain("Diff 1/2: a.txt");
    expect(pager.lines).toEqual(["@@ -1 +1 @@", "-one", "+two"]);
    expect(pager.handle({ type: "key", name: "right" })).toBe("none");
    expect(pager.title).toContain("Diff 2/2: new.js");
    expect(pager.lines).toContain("+export const x = 1;");
    pager.handle({ type: "text", text: "p" });
    expect(pager.title).toContain("Diff 1/2: a.txt");
    expect(pager.handle({ type: "text", text: "q" })).toBe("close");
    pager.onClose?.();
    await done;
    expect(controller.store.getSnapshot().pager).toBeUndefined();
    expect(output()).toContain("2 changed files (+2 -1): a.txt, new.js");
  });
});

describe("tool output in the scrollback", () => {
  it("shows the first lines of a command's output under its summary line", () => {
    const out = formatToolEnd(
      "Bash(seq 1 10)",
      {
        content: "1\n2",
        display: "exit 0, 10 lines of output",
        details: { stdout: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", stderr: "" },
      },
      5,
      createStyle(false),
    );
    expect(out).toBe(
      "● Bash(seq 1 10)\n  ⎿ exit 0, 10 lines of output\n    1\n    2\n    3\n    4\n    … +6 lines (ctrl+o to expand)",
    );
  });

  it("puts the expand hint on a line of its own when it would not fit after the last one", () => {
    const result = {
      content: "1",
      display: "exit 0, 10 lines of output",
      details: { stdout: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", stderr: "" },
    };
    const narrow = formatToolEnd("Bash(seq 1 10)", result, 5, createStyle(false), { width: 30 });
    expect(narrow.split("\n").slice(-2)).toEqual(["    … +6 lines", "    (ctrl+o to expand)"]);
    expect(narrow.split("\n").every((line) => line.length <= 30)).toBe(true);
    const full = formatToolEnd("Bash(seq 1 10)", result, 5, createStyle(false), { width: 30, full: true });
    expect(full.split("\n").slice(-2)).toEqual(["    9", "    10"]);
  });

  it("formats token counts without a 1000k or 10.0k", () => {
    expect(formatTokens(999)).toBe("999");
    expect(formatTokens(1500)).toBe("1.5k");
    expect(formatTokens(9_999)).toBe("10k");
    expect(formatTokens(999_990)).toBe("1.0M");
  });

  it("counts only the diff lines it did not show", () => {
    const diff = "Index: a\n====\n--- a\n+++ a\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n";
    expect(formatDiff(diff, createStyle(false), 3)).toBe("@@ -1,3 +1,3 @@\n one\n-two\n… 2 more diff lines");
  });

  it("never lets escape sequences or carriage returns from a command reach the terminal", () => {
    expect(terminalSafe("\x1b[31mred\x1b[0m plain")).toBe("red plain");
    expect(terminalSafe("\x1b]0;a title\x07done")).toBe("done");
    expect(terminalSafe("progress 10%\rprogress 20%\r")).toBe("progress 20%");
    expect(terminalSafe("a\tb\x07\x08c")).toBe("a    bc");
    const out = formatToolEnd(
      "Bash(x)",
      { content: "x", display: "exit 0", details: { stdout: "\x1b[2J\x1b[Hwiped?\n", stderr: "" } },
      1,
      createStyle(false),
    );
    expect(out).not.toContain("\x1b");
    expect(out).toContain("wiped?");
  });
});

function usage() {
  return { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

type Lib = typeof import("ink-testing-library");
let lib: Lib;
let React: typeof import("react");
let Views: typeof import("../../../src/tui/components/views.js");

describe("narrow terminals", () => {
  beforeAll(async () => {
    process.env.CI = "false";
    lib = await import("ink-testing-library");
    React = await import("react");
    Views = await import("../../../src/tui/components/views.js");
  });
  afterEach(() => lib?.cleanup());

  const info = {
    model: "claude-sonnet-4-5",
    mode: "workspace-write",
    contextPercent: 3,
    costUsd: 0.25,
    sessionId: "s",
  };

  it("the footer stays one line when the status is wider than the terminal", () => {
    const app = lib.render(
      React.createElement(Views.Footer, { info, hint: undefined, style: createStyle(false), width: 30 }),
    );
    const frame = app.lastFrame() ?? "";
    expect(frame.split("\n")).toHaveLength(1);
    expect(frame).toContain("claude-sonnet");
  });

  it("the footer drops whole tips that do not fit rather than cutting one mid-word", () => {
    const app = lib.render(
      React.createElement(Views.Footer, { info, hint: undefined, style: createStyle(false), width: 100 }),
    );
    const frame = app.lastFrame() ?? "";
    expect(frame).toContain("/help for commands · @ to attach");
    expect(frame).not.toContain("!");
    expect(frame).not.toContain("…");
    const narrow = lib.render(
      React.createElement(Views.Footer, { info, hint: undefined, style: createStyle(false), width: 70 }),
    );
    expect(narrow.lastFrame()).not.toContain("/h");
    expect(narrow.lastFrame()).toContain("claude-sonnet-4-5");
  });

  it("the completion menu cuts long labels to a column and keeps descriptions aligned", () => {
    const completion = {
      index: 0,
      items: [
        { value: "/help", label: "/help", description: "list commands" },
        {
          value: "/permissions",
          label: "/permissions [mode | allow <rule> | deny <rule>]",
          description: "show or change the permission mode",
        },
      ],
    } as Parameters<typeof Views.CompletionMenu>[0]["completion"];
    const app = lib.render(
      React.createElement(Views.CompletionMenu, { completion, style: createStyle(false), width: 60 }),
    );
    const lines = (app.lastFrame() ?? "").split("\n");
    expect(lines).toHaveLength(2);
    const column = (line: string | undefined, text: string) => line?.indexOf(text) ?? -1;
    expect(column(lines[0], "list commands")).toBe(column(lines[1], "show or change"));
    expect(lines[1]).toContain("…");
  });
});
