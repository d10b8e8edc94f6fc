// Keys and lines Claude Code users expect, driven in a real terminal (tmux): Shift+Tab cycles the permission
// mode (footer and effect), the first run explains the mode, each turn ends with a one-line summary.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-habits-" });

/** The footer: the screen's last non-empty line. */
const footer = (screen: string) => screen.trimEnd().split("\n").at(-1) ?? "";

describe("REPL habits", () => {
  it("Shift+Tab cycles the permission mode; the footer shows it and the gate applies it", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: "plan.txt", content: "x" } }),
      reply.text("Could not write in plan mode."),
    );
    e2e.start();
    let screen = await e2e.ready();
    expect(footer(screen)).toContain("workspace-write");
    e2e.tmux.send("BTab");
    // The footer and the notice may reach the screen in separate frames: wait for both.
    screen = await e2e.tmux.waitFor(
      (s) => footer(s).includes("read-only") && s.includes("plan mode: claw reads and plans"),
    );
    expect(screen).toContain("plan mode: claw reads and plans, and changes nothing");
    e2e.submit("write the plan down");
    await e2e.tmux.waitFor("Could not write in plan mode.");
    expect(existsSync(join(e2e.sandbox.workspace, "plan.txt"))).toBe(false);
    expect(JSON.stringify(e2e.mock.messageRequests()[1]!.body.messages.at(-1))).toMatch(/read-only/);
    e2e.tmux.send("BTab");
    await e2e.tmux.waitFor((s) => footer(s).includes(" default "));
    e2e.tmux.send("BTab");
    await e2e.tmux.waitFor((s) => footer(s).includes("workspace-write"));
  });

  it("the first run in a project says what the permission mode does; later runs do not", async () => {
    e2e.mock.enqueue(reply.text("hello back"));
    e2e.start();
    const first = await e2e.ready();
    expect(first.replace(/\n\s*/g, " ")).toContain(
      "Permission mode workspace-write: edits inside the workspace apply without asking; other changes ask. Shift+Tab or /permissions changes it.",
    );
    e2e.submit("hello");
    await e2e.tmux.waitFor("hello back");
    e2e.submit("/exit");
    await e2e.tmux.waitForExit();
    e2e.newTmux();
    e2e.start();
    expect(await e2e.ready()).not.toContain("Permission mode workspace-write:");
  });

  it("each turn ends with one line of time, tokens and cost", async () => {
    e2e.mock.enqueue(
      reply.text("The answer.", {
        usage: { input_tokens: 1200, output_tokens: 340, cache_read_input_tokens: 800 },
        model: "claude-sonnet-4-5",
      }),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("question");
    const screen = await e2e.tmux.waitFor(/✻ \d+\.\ds · 2\.0k in · 340 out · \$\d+\.\d+/);
    expect(screen.indexOf("The answer.")).toBeLessThan(screen.lastIndexOf("✻ "));
  });

  it("shows tool paths relative to the workspace and code blocks with a language label instead of fences", async () => {
    mkdirSync(join(e2e.sandbox.workspace, "src"));
    writeFileSync(join(e2e.sandbox.workspace, "src", "a.ts"), "export const a = 1;\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: join(e2e.sandbox.workspace, "src", "a.ts") } }),
      reply.text("It says:\n\n```ts\nexport const a = 1;\n```\n\nThat is all."),
    );
    e2e.start([], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("what is in a.ts?");
    const screen = await e2e.tmux.waitFor("That is all.");
    expect(screen).toContain("Read(src/a.ts)");
    expect(
      screen
        .split("\n")
        .filter((l) => l.includes("Read("))
        .join("\n"),
    ).not.toContain(e2e.sandbox.workspace);
    expect(screen).toMatch(/⏺ It says:\n\nts\nexport const a = 1;\n\n {2}That is all\./);
    expect(screen).not.toContain("```");
  });

  it("/clear clears the screen as well as the conversation", async () => {
    e2e.mock.enqueue(reply.text("an answer from before"), reply.text("fresh"));
    e2e.start();
    await e2e.ready();
    e2e.submit("first question");
    await e2e.tmux.waitFor("an answer from before");
    e2e.submit("/clear");
    const screen = await e2e.tmux.waitFor("Started a new session");
    expect(screen).not.toContain("an answer from before");
    expect(screen).not.toContain("first question");
    e2e.submit("again");
    await e2e.tmux.waitFor("fresh");
    expect(JSON.stringify(e2e.mock.messageRequests()[1]!.body.messages)).not.toContain("first question");
  });
});
