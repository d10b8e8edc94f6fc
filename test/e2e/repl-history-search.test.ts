// Ctrl+R searches prompt history in a real terminal (tmux), including prompts from an earlier session:
// typing narrows, Ctrl+R again goes older, Enter puts the match in the prompt, Esc keeps what was typed.
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-search-" });

/** The prompt box's first line ("│ > text"), or "" when none. */
const promptLine = (screen: string) =>
  screen
    .split("\n")
    .filter((line) => /^│ > /.test(line))
    .at(-1) ?? "";

describe("Ctrl+R history search", () => {
  it("finds prompts of an earlier session, steps to older matches, and Enter or Esc closes it", async () => {
    e2e.mock.enqueue(reply.text("one"), reply.text("two"), reply.text("three"));
    e2e.start();
    await e2e.ready();
    for (const [prompt, answer] of [
      ["run the build for alpha", "one"],
      ["show the log", "two"],
      ["run the build for beta", "three"],
    ] as const) {
      e2e.submit(prompt);
      await e2e.tmux.waitFor(answer);
    }
    e2e.submit("/exit");
    await e2e.tmux.waitForExit();

    e2e.newTmux();
    e2e.start();
    await e2e.ready();
    e2e.tmux.type("my draft");
    e2e.tmux.send("C-r");
    await e2e.tmux.waitFor("search history:");
    e2e.tmux.type("build");
    let screen = await e2e.tmux.waitFor((s) => promptLine(s).includes("run the build for beta"));
    expect(screen).toContain("search history: build");
    e2e.tmux.send("C-r");
    await e2e.tmux.waitFor((s) => promptLine(s).includes("run the build for alpha"));
    // Nothing older matches: the oldest match stays.
    e2e.tmux.send("C-r");
    e2e.tmux.type("x");
    await e2e.tmux.waitFor("no match");
    e2e.tmux.send("BSpace");
    await e2e.tmux.waitFor((s) => promptLine(s).includes("run the build for beta"));
    e2e.tmux.send("Enter");
    screen = await e2e.tmux.waitFor((s) => !s.includes("search history:"));
    // Accepted into the prompt, not sent.
    expect(promptLine(screen)).toContain("> run the build for beta");
    expect(e2e.mock.messageRequests()).toHaveLength(3);

    // Esc gives back what was typed before the search.
    e2e.tmux.send("C-u");
    e2e.tmux.type("half typed");
    e2e.tmux.send("C-r");
    e2e.tmux.type("log");
    await e2e.tmux.waitFor((s) => promptLine(s).includes("show the log"));
    e2e.tmux.send("Escape");
    screen = await e2e.tmux.waitFor((s) => !s.includes("search history:"));
    expect(promptLine(screen)).toContain("> half typed");
    expect(screen).not.toContain("Press Esc again");

    // The accepted prompt is sent as usual with Enter.
    e2e.mock.enqueue(reply.text("sent again"));
    e2e.tmux.send("C-u");
    e2e.tmux.send("C-r");
    e2e.tmux.type("alpha");
    await e2e.tmux.waitFor((s) => promptLine(s).includes("run the build for alpha"));
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor((s) => !s.includes("search history:"));
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("sent again");
    expect(JSON.stringify(e2e.mock.messageRequests().at(-1)!.body.messages.at(-1))).toContain(
      "run the build for alpha",
    );
  });
});
