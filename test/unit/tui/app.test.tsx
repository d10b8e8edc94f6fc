// Component tests of the REPL app with ink-testing-library, driven by a real Agent over a scripted provider.
// Ink renders only the last frame when CI is set, so CI is switched off before Ink loads.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../../src/agent/agent.js";
import { createPermissionGate } from "../../../src/agent/permissions.js";
import { costFor } from "../../../src/api/pricing.js";
import { builtinTools } from "../../../src/tools/registry.js";
import { createToolSessionState } from "../../../src/tools/session-state.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";
import type { ReplController as ControllerType, ReplRuntime } from "../../../src/tui/controller.js";
import { PromptHistory } from "../../../src/tui/input/history.js";
import { InputModel } from "../../../src/tui/input/input-model.js";
import { createStyle, stripAnsi } from "../../../src/tui/style.js";
import { ScriptedProvider, type ScriptedReply } from "../../support/scripted-provider.js";

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

const dirs: string[] = [];
afterEach(() => {
  lib?.cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(replies: ScriptedReply[]) {
  const cwd = mkdtempSync(join(tmpdir(), "claw-app-"));
  dirs.push(cwd);
  const provider = new ScriptedProvider(replies);
  const workspace = createWorkspaceGuard(cwd, [], { home: cwd });
  const gate = createPermissionGate({ mode: "workspace-write", rules: {}, workspace, cwd, home: cwd });
  let controller: ControllerType | undefined;
  const agent = new Agent({
    provider,
    model: "claude-test",
    system: ["test"],
    tools: builtinTools(),
    gate,
    toolContext: { cwd, workspace, env: {}, scratchDir: cwd, session: createToolSessionState() },
    costFor,
    limits: () => ({ contextWindow: 200_000, maxOutputTokens: 8000 }),
    askPermission: (q, s) => controller!.askPermission(q, s),
  });
  const recorded: string[] = [];
  const runtime: ReplRuntime = {
    agent,
    sessionId: "00000000-0000-4000-8000-000000000000",
    cwd,
    configHome: cwd,
    permissionMode: "workspace-write",
    gate,
    record: (event) => recorded.push(event.type),
    close: async () => {},
  };
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

describe("App", () => {
  it("sends a prompt and renders the markdown reply and the footer", async () => {
    const { app, provider } = setup([{ text: "## Title\n\n- item **one**\n\nbye" }]);
    app.stdin.write("hello there");
    app.stdin.write("\r");
    await until(
      () => screen(app).includes("bye"),
      () => screen(app),
    );
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
    app.stdin.write("make it");
    app.stdin.write("\r");
    await until(
      () => (app.lastFrame() ?? "").includes("wants permission"),
      () => app.lastFrame() ?? "",
    );
    expect(app.lastFrame()).toContain("touch approved.txt");
    app.stdin.write("1");
    await until(
      () => screen(app).includes("done"),
      () => screen(app),
    );
    expect(existsSync(join(cwd, "approved.txt"))).toBe(true);
    expect(screen(app)).toContain("● Bash(touch approved.txt)");
  });

  it("ignores keys typed ahead into a dialog that just opened, then takes the answer", async () => {
    process.env.CLAW_DIALOG_GUARD_MS = "400";
    try {
      const { app, cwd } = setup([
        { toolUses: [{ id: "t1", name: "Bash", input: { command: "touch typed-ahead.txt" } }] },
        { text: "done" },
      ]);
      app.stdin.write("make it");
      app.stdin.write("\r");
      await until(
        () => (app.lastFrame() ?? "").includes("wants permission"),
        () => app.lastFrame() ?? "",
      );
      app.stdin.write("1");
      app.stdin.write("\r");
      await new Promise((r) => setTimeout(r, 100));
      expect(app.lastFrame()).toContain("wants permission");
      expect(existsSync(join(cwd, "typed-ahead.txt"))).toBe(false);
      await new Promise((r) => setTimeout(r, 400));
      app.stdin.write("1");
      await until(
        () => screen(app).includes("done"),
        () => screen(app),
      );
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
    app.stdin.write("make it");
    app.stdin.write("\r");
    await until(
      () => (app.lastFrame() ?? "").includes("wants permission"),
      () => app.lastFrame() ?? "",
    );
    app.stdin.write("\x1b");
    await until(
      () => screen(app).includes("ok"),
      () => screen(app),
    );
    expect(existsSync(join(cwd, "denied.txt"))).toBe(false);
    expect(JSON.stringify(provider.requests[1]?.messages.at(-1))).toContain("denied");
  });

  it("shows an error from a turn and keeps going", async () => {
    const { app } = setup([
      { error: { kind: "server", message: "The API failed (500); try again." } },
      { text: "second works" },
    ]);
    app.stdin.write("first");
    app.stdin.write("\r");
    await until(
      () => screen(app).includes("The API failed"),
      () => screen(app),
    );
    app.stdin.write("again");
    app.stdin.write("\r");
    await until(
      () => screen(app).includes("second works"),
      () => screen(app),
    );
  });

  it("Ctrl+C on a draft clears it; the next Ctrl+C asks before exiting", async () => {
    const { app, exitCode } = setup([]);
    app.stdin.write("a draft");
    await until(
      () => (app.lastFrame() ?? "").includes("a draft"),
      () => app.lastFrame() ?? "",
    );
    app.stdin.write("\x03");
    await until(
      () => !(app.lastFrame() ?? "").includes("a draft"),
      () => app.lastFrame() ?? "",
    );
    app.stdin.write("\x03");
    await until(
      () => (app.lastFrame() ?? "").includes("Press Ctrl+C again"),
      () => app.lastFrame() ?? "",
    );
    expect(exitCode()).toBeUndefined();
  });

  it("exits on a second Ctrl+C within two seconds", async () => {
    const { app, exitCode } = setup([]);
    app.stdin.write("\x03");
    await until(
      () => (app.lastFrame() ?? "").includes("Press Ctrl+C again"),
      () => app.lastFrame() ?? "",
    );
    app.stdin.write("\x03");
    await until(
      () => exitCode() === 0,
      () => app.lastFrame() ?? "",
    );
  });
});
