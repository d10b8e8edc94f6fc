// The in-process REPL of the TUI unit tests: a temp cwd, a real Agent with the built-in tools over a
// ScriptedProvider, the workspace guard and permission gate it runs under, and the ReplRuntime around them.
// makeCommandRepl adds a ReplController that handles /commands and !commands the way the REPL does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../src/agent/agent.js";
import type { Compactor } from "../../src/agent/compaction-types.js";
import { costFor } from "../../src/api/pricing.js";
import type { Provider } from "../../src/api/types.js";
import type { AskPermission, PermissionMode } from "../../src/policy/permission-types.js";
import { createPermissionGate } from "../../src/policy/permissions.js";
import { conversationControls } from "../../src/runtime/conversation-controls.js";
import { builtinTools } from "../../src/tools/registry.js";
import { createToolSessionState } from "../../src/tools/session-state.js";
import { createWorkspaceGuard } from "../../src/tools/workspace.js";
import { type CommandEnv, runSpecialInput } from "../../src/tui/commands.js";
import { ReplController, type ReplRuntime } from "../../src/tui/controller.js";
import { PromptHistory } from "../../src/tui/input/history.js";
import { createStyle, stripAnsi } from "../../src/tui/style.js";
import { ScriptedProvider, type ScriptedReply } from "./scripted-provider.js";

export interface ReplFixtureOptions {
  /** What the scripted provider answers, in order. */
  replies?: ScriptedReply[];
  /** A provider the agent talks to instead of the scripted one (which then sees no request). */
  model?: Provider;
  compactor?: Compactor;
  askPermission?: AskPermission;
  /** Mode of the gate and the runtime (default workspace-write). */
  mode?: PermissionMode;
  /** The runtime's config home, from the cwd (default `<cwd>/.home`). */
  configHome?: (cwd: string) => string;
  record?: ReplRuntime["record"];
  /** Prefix of the temp cwd's name. */
  prefix?: string;
}

export interface ReplFixture {
  runtime: ReplRuntime;
  agent: Agent;
  provider: ScriptedProvider;
  gate: ReplRuntime["gate"];
  cwd: string;
  /** Removes the temp cwd; call it after the test (e.g. onTestFinished(fixture.cleanup)). */
  cleanup: () => void;
}

export function makeReplRuntime(options: ReplFixtureOptions = {}): ReplFixture {
  const mode = options.mode ?? "workspace-write";
  const cwd = mkdtempSync(join(tmpdir(), options.prefix ?? "claw-repl-"));
  const provider = new ScriptedProvider(options.replies ?? []);
  const workspace = createWorkspaceGuard(cwd, [], { home: cwd });
  const gate = createPermissionGate({ mode, rules: {}, workspace, cwd, home: cwd });
  const agent = new Agent({
    provider: options.model ?? provider,
    model: "claude-test",
    system: ["test"],
    tools: builtinTools(),
    gate,
    toolContext: { cwd, workspace, env: {}, scratchDir: cwd, session: createToolSessionState() },
    costFor,
    limits: () => ({ contextWindow: 200_000, maxOutputTokens: 8000 }),
    askPermission: options.askPermission,
    compactor: options.compactor,
  });
  const runtime: ReplRuntime = {
    // Records go wherever the test points runtime.appendRecord at the time.
    ...conversationControls(agent, gate, (record) => runtime.appendRecord?.(record)),
    agent,
    sessionId: "00000000-0000-4000-8000-000000000000",
    cwd,
    configHome: options.configHome ? options.configHome(cwd) : join(cwd, ".home"),
    permissionMode: mode,
    gate,
    record: options.record ?? (() => {}),
    close: async () => {},
  };
  const cleanup = () => rmSync(cwd, { recursive: true, force: true });
  return { runtime, agent, provider, gate, cwd, cleanup };
}

/** A controller over the fixture's runtime with the REPL's command handling; `run` waits for the turn. */
export function makeCommandRepl(fixture: ReplFixture) {
  const { runtime } = fixture;
  const env: CommandEnv = {
    options: {} as CommandEnv["options"],
    makeRuntime: async () => runtime,
    suspend: async (run) => run(),
    pendingContext: [],
  };
  let exited: number | undefined;
  const controller = new ReplController({
    runtime,
    style: createStyle(false),
    width: () => 100,
    history: new PromptHistory(undefined),
    runSpecial: (c, text) => runSpecialInput(c, env, text),
    // Output of !commands rides along with the next prompt, as in the REPL.
    preparePrompt: async (text) => {
      const context = env.pendingContext.splice(0).join("\n\n");
      return { content: context ? `${context}\n\n${text}` : text, notes: [] };
    },
    onExit: (code) => {
      exited = code;
    },
  });
  /** The scrollback so far, without colours. */
  const output = () =>
    stripAnsi(
      controller.store
        .getSnapshot()
        .staticItems.map((i) => i.text)
        .join("\n\n"),
    );
  const run = async (text: string) => {
    controller.submit(text);
    for (let i = 0; i < 300 && controller.busy; i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { controller, env, output, run, exited: () => exited };
}
