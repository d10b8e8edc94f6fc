// Component tests of the REPL app with ink-testing-library, driven by a real Agent over a scripted provider.
// Ink renders only the last frame when CI is set, so CI is switched off before Ink loads.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { ReplController as ControllerType } from "../../../src/tui/controller.js";
import { PromptHistory } from "../../../src/tui/input/history.js";
import { InputModel } from "../../../src/tui/input/input-model.js";
import { createStyle, stripAnsi } from "../../../src/tui/style.js";
import { makeReplRuntime } from "../../support/repl-fixture.js";
import type { ScriptedReply } from "../../support/scripted-provider.js";

type Lib = typeof import("ink-testing-library");
let lib: Lib;
let React: typeof import("react");
let AppModule: typeof import("../../../src/tui/components/App.js");
let ControllerModule: typeof import("../../../src/tui/controller.js");

beforeAll(async () => {
  process.env.CI = "false";
  lib = await import("ink-testing-library");
  React = await import("react");
  AppModule = await import("../../../src/tui/components/App.js");
  ControllerModule = await import("../../../src/tui/controller.js");
});

afterEach(() => {
  lib?.cleanup();
});

function setup(replies: ScriptedReply[]) {
  let controller: ControllerType | undefined;
  const recorded: string[] = [];
  const { runtime, provider, cwd, cleanup } = makeReplRuntime({
    replies,
    prefix: "claw-app-",
    configHome: (dir) => dir,
    askPermission: (q, s) => controller!.askPermission(q, s),
    record: (event) => recorded.push(event.type),
  });
  onTestFinished(cleanup);
  const history = new PromptHistory(undefined);
  let exitCode: number | undefined;
  controller = new ControllerModule.ReplController({
    runtime,
    style: createStyle(false),
    width: () => 100,
    history,
    onExit: (code) => {
      exitCode = code;
    },
  });
  const input = new InputModel({ history, commands: () => [], completePath: () => [] });
  const app = lib.render(
    React.createElement(AppModule.App, { controller, input, saveRule: async () => undefined }),
  );
  controller.store.update({ ready: true }, true);
  return { app, controller, provider, cwd, recorded, exitCode: () => exitCode };
}

async function until(check: () => boolean, what: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; last frame:\n${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every frame written so far (Static output is written once, then only the live region changes). */
function screen(app: ReturnType<Lib["render"]>): string {
  return stripAnsi(app.frames.join("\n"));
}

/** Waits until the output so far contains `text`. */
function untilScreen(app: ReturnType<Lib["render"]>, text: string): Promise<void> {
  return until(
    () => screen(app).includes(text),
    () => screen(app),
  );
}

/** Waits until the last frame (the live region: prompt box, dialog, hints) contains `text`. */
function untilFrame(app: ReturnType<Lib["render"]>, text: string): Promise<void> {
  return until(
    () => (app.lastFrame() ?? "").includes(text),
    () => app.lastFrame() ?? "",
  );
}

/** Types `text` and presses Enter, as two writes the way a user types them. */
function submit(app: ReturnType<Lib["render"]>, text: string): void {
  app.stdin.write(text);
  app.stdin.write("\r");
}

describe("App", () => {
  it("sends a prompt and renders the markdown reply and the footer", async () => {
    const { app, provider } = setup([{ text: "## Title\n\n- item **one**\n\nbye" }]);
    submit(app, "hello there");
    await untilScreen(app, "bye");
    const out = screen(app);
    expect(out).toContain("> hello there");
    expect(out).toContain("## Title");
    expect(out).toContain("• item one");
    expect(app.lastFrame()).toContain("claude-test · workspace-write");
    expect(provider.requests).toHaveLength(1);
  });

  it("asks before a write command and runs it after 'allow once'", async () => {
    const { app, cwd } = setup([
      { toolUses: [{ id: "t1", name: "Bash", input: { command: "touch approved.txt" } }] },
      { text: "done" },
    ]);
    submit(app, "make it");
    await untilFrame(app, "wants permission");
    expect(app.lastFrame()).toContain("touch approved.txt");
    app.stdin.write("1");
    await untilScreen(app, "done");
    expect(existsSync(join(cwd, "approved.txt"))).toBe(true);
    expect(screen(app)).toContain("● Bash(touch approved.txt)");
  });

  it("ignores keys typed ahead into a dialog that just opened, then takes the answer", async () => {
    process.env.CLAW_DIALOG_GUARD_MS = "1500";
    try {
      const { app, cwd } = setup([
        { toolUses: [{ id: "t1", name: "Bash", input: { command: "touch typed-ahead.txt" } }] },
        { text: "done" },
      ]);
      submit(app, "make it");
      await untilFrame(app, "wants permission");
      submit(app, "1");
      // The typed-ahead key has been handled once Ink re-renders; the dialog is still there.
      await new Promise((r) => setImmediate(r));
      expect(app.lastFrame()).toContain("wants permission");
      expect(existsSync(join(cwd, "typed-ahead.txt"))).toBe(false);
      // Once the guard is over, an answer is taken: keep answering until it is (no fixed wait for the guard).
      const answering = setInterval(() => app.stdin.write("1"), 100);
      try {
        await untilScreen(app, "done");
      } finally {
        clearInterval(answering);
      }
      expect(existsSync(join(cwd, "typed-ahead.txt"))).toBe(true);
    } finally {
      process.env.CLAW_DIALOG_GUARD_MS = "0";
    }
  });

  it("denies on Esc and tells the model", async () => {
    const { app, cwd, provider } = setup([
      { toolUses: [{ id: "t1", name: "Bash", input: { command: "touch denied.txt" } }] },
      { text: "ok" },
    ]);
    submit(app, "make it");
    await untilFrame(app, "wants permission");
    app.stdin.write("\x1b");
    await untilScreen(app, "ok");
    expect(existsSync(join(cwd, "denied.txt"))).toBe(false);
    expect(JSON.stringify(provider.requests[1]?.messages.at(-1))).toContain("denied");
  });

  it("shows an error from a turn and keeps going", async () => {
    const { app } = setup([
      { error: { kind: "server", message: "The API failed (500); try again." } },
      { text: "second works" },
    ]);
    submit(app, "first");
    await untilScreen(app, "The API failed");
    submit(app, "again");
    await untilScreen(app, "second works");
  });

  it("Ctrl+C on a draft clears it; the next Ctrl+C asks before exiting", async () => {
    const { app, exitCode } = setup([]);
    app.stdin.write("a draft");
    await untilFrame(app, "a draft");
    app.stdin.write("\x03");
    await until(
      () => !(app.lastFrame() ?? "").includes("a draft"),
      () => app.lastFrame() ?? "",
    );
    app.stdin.write("\x03");
    await untilFrame(app, "Press Ctrl+C again");
    expect(exitCode()).toBeUndefined();
  });

  it("exits on a second Ctrl+C within two seconds", async () => {
    const { app, exitCode } = setup([]);
    app.stdin.write("\x03");
    await untilFrame(app, "Press Ctrl+C again");
    app.stdin.write("\x03");
    await until(
      () => exitCode() === 0,
      () => app.lastFrame() ?? "",
    );
  });
});
