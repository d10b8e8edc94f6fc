// Fixes from a hands-on pass over the REPL: commands echoed in the scrollback, /compact reporting once, a
// failed prompt not sent twice on retry, /diff listing new files, a footer and menu that never wrap.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../../src/agent/agent.js";
import type { Compactor } from "../../../src/agent/compaction-types.js";
import { createPermissionGate } from "../../../src/agent/permissions.js";
import { costFor } from "../../../src/api/pricing.js";
import { builtinTools } from "../../../src/tools/registry.js";
import { createToolSessionState } from "../../../src/tools/session-state.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";
import { type CommandEnv, runSpecialInput } from "../../../src/tui/commands.js";
import { ReplController, type ReplRuntime } from "../../../src/tui/controller.js";
import { PromptHistory } from "../../../src/tui/input/history.js";
import { createStyle, stripAnsi } from "../../../src/tui/style.js";
import { ScriptedProvider, type ScriptedReply } from "../../support/scripted-provider.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(replies: ScriptedReply[] = [], compactor?: Compactor) {
  const cwd = mkdtempSync(join(tmpdir(), "claw-qa-"));
  dirs.push(cwd);
  const provider = new ScriptedProvider(replies);
  const workspace = createWorkspaceGuard(cwd, [], { home: cwd });
  const gate = createPermissionGate({ mode: "workspace-write", rules: {}, workspace, cwd, home: cwd });
  const agent = new Agent({
    provider,
    model: "claude-test",
    system: ["test"],
    tools: builtinTools(),
    gate,
    toolContext: { cwd, workspace, env: {}, scratchDir: cwd, session: createToolSessionState() },
    costFor,
    limits: () => ({ contextWindow: 200_000, maxOutputTokens: 8000 }),
    compactor,
  });
  const runtime: ReplRuntime = {
    agent,
    sessionId: "00000000-0000-4000-8000-000000000000",
    cwd,
    configHome: join(cwd, ".home"),
    permissionMode: "workspace-write",
    gate,
    record: () => {},
    close: async () => {},
  };
  const env: CommandEnv = {
    options: {} as CommandEnv["options"],
    makeRuntime: async () => runtime,
    suspend: (run) => run(),
    pendingContext: [],
  };
  const controller = new ReplController({
    runtime,
    style: createStyle(false),
    width: () => 100,
    history: new PromptHistory(undefined),
    runSpecial: (c, text) => runSpecialInput(c, env, text),
    onExit: () => {},
  });
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
  return { controller, provider, cwd, output, run, agent };
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

  it("/diff lists files git does not track yet", async () => {
    const { run, output, cwd } = setup();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=a@b", "-c", "user.name=a", ...args], { cwd, stdio: "ignore" });
    git("init", "-q");
    writeFileSync(join(cwd, "a.txt"), "one\n");
    git("add", "a.txt");
    git("commit", "-qm", "init");
    writeFileSync(join(cwd, "new.js"), "export const x = 1;\n");
    await run("/diff");
    expect(output()).toContain("Untracked files:\n  new.js");
    writeFileSync(join(cwd, "a.txt"), "two\n");
    await run("/diff");
    expect(output()).toContain("+two");
  });
});

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
