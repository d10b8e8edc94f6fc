// Starts the interactive REPL: builds the runtime (shared with print mode), mounts the Ink app in the normal
// screen (no alternate screen, no mouse capture), and restores the terminal on every way out.
import { render } from "ink";
import { createElement } from "react";
import { StartupAuthError } from "../api/startup-auth.js";
import type { AskPermission } from "../policy/permission-types.js";
import type { CliOptions } from "../runtime/options.js";
import { createRuntime, type Runtime, RuntimeError, type RuntimeExtras } from "../runtime/runtime.js";
import { BUILTIN_COMMANDS } from "../runtime/slash-commands.js";
import { type CommandEnv, customCommands, runSpecialInput } from "./commands.js";
import { osc52 } from "./commands-export.js";
import { historyText } from "./commands-session.js";
import { App } from "./components/App.js";
import { ReplController } from "./controller.js";
import { decideOutsideImports } from "./import-prompt.js";
import { eraseFrame } from "./ink-internals.js";
import { FileIndex, mentionCandidates } from "./input/file-index.js";
import { historyFile, PromptHistory } from "./input/history.js";
import { InputModel } from "./input/input-model.js";
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON } from "./input/keys.js";
import { loadHighlighter } from "./markdown/highlight.js";
import { visibleWidth } from "./markdown/wrap.js";
import { modeMeaning } from "./modes.js";
import { expandMentions } from "./prompt-prepare.js";
import { eraseResizeGhosts } from "./resize-ghosts.js";
import { localSettingsPath, saveAllowRule } from "./save-rule.js";
import { colorsWanted, createStyle, type Style } from "./style.js";
import { decideProjectTrust, trustCurrentFolder } from "./trust-prompt.js";

function banner(runtime: Runtime, options: CliOptions, style: Style, width: number): string {
  // Each line is packed from whole parts, so a narrow terminal breaks between them, indented.
  const pack = (parts: string[]) => {
    const lines: string[] = [];
    for (const part of parts) {
      const last = lines.length - 1;
      if (last >= 0 && visibleWidth(`${lines[last]} · ${part}`) <= width - 2) lines[last] += ` · ${part}`;
      else lines.push(part);
    }
    return lines.map((line) => style.dim(`  ${line}`));
  };
  return [
    `${style.color("magenta", "✻")} ${style.bold(options.version)}`,
    ...pack([runtime.agent.model, runtime.gate.mode, runtime.cwd]),
    ...pack(["/help for commands", "Esc interrupts", "Ctrl+C twice or /exit to leave"]),
  ].join("\n");
}

export async function runInteractive(options: CliOptions): Promise<number> {
  // Raw mode from the first moment: keys typed while we start are kept for the prompt instead of being
  // echoed and line-edited by the terminal (Enter would otherwise arrive as a newline).
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const style = createStyle(colorsWanted(process.env, process.stdout.isTTY === true));
  let controller: ReplController | undefined;
  const askPermission: AskPermission = (question, signal) =>
    controller ? controller.askPermission(question, signal) : Promise.resolve({ behavior: "deny" });
  const warn = (message: string) => {
    if (controller) controller.notice("warning", message.replace(/^claw: /, ""));
    else process.stderr.write(`${process.stderr.isTTY ? "\r\x1b[2K" : ""}${message}\n`);
  };
  // Asked before anything starts: an untrusted folder's own hooks and MCP servers do not run.
  let projectTrusted = await decideProjectTrust(options, style);
  // CLAUDE.md imports from outside the project need the user's yes once per project.
  await decideOutsideImports(options, style);
  const makeRuntime = async (
    change: Partial<CliOptions>,
    extras: Pick<RuntimeExtras, "sessionStartSource"> = {},
  ) => {
    const rt = await createRuntime(
      { ...options, ...change, prompt: undefined },
      { askPermission, warn, mcpInBackground: true, projectTrusted, ...extras },
    );
    // The REPL shows the whole session's tokens and cost, including runs before a resume.
    for (const [model, usage] of Object.entries(rt.previousUsage)) rt.agent.usage.add(model, usage);
    return rt;
  };

  let runtime: Runtime;
  try {
    // A sign of life while settings, auth, the session and MCP servers start; cleared by the first frame.
    process.stdout.write(style.dim("Starting claw…"));
    runtime = await makeRuntime({});
    // A project's first checkpoint hashes every file: done while the user types the first prompt.
    runtime.checkpoints?.prewarm();
  } catch (error) {
    process.stdout.write("\r\x1b[2K");
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    if (error instanceof StartupAuthError || error instanceof RuntimeError) {
      process.stderr.write(`claw: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  let finish: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const history = new PromptHistory(historyFile(runtime.configHome, runtime.cwd));
  const env: CommandEnv = {
    options,
    makeRuntime,
    suspend: (run) => suspend(run),
    clearScreen: async () => {
      // The command's own echo is drawn first, then the screen and scrollback go, and Ink redraws below.
      await new Promise((resolve) => setTimeout(resolve, 50));
      eraseFrame(process.stdout);
      process.stdout.write("\x1b[2J\x1b[3J\x1b[H");
      // What Ctrl+O would have expanded in place is gone from the screen.
      if (controller) controller.expandable = undefined;
    },
    pendingContext: [],
    copyToClipboard: (text) => process.stdout.write(osc52(text)),
    trustFolder: async () => {
      const already = projectTrusted;
      const folder = await trustCurrentFolder();
      projectTrusted = true;
      return { folder, already };
    },
  };
  controller = new ReplController({
    runtime,
    style,
    width: () => process.stdout.columns || 80,
    height: () => process.stdout.rows || 24,
    history,
    runSpecial: (c, text) => runSpecialInput(c, env, text),
    preparePrompt: async (text, cwd) => {
      const prepared = await expandMentions(text, cwd);
      if (env.pendingContext.length === 0) return prepared;
      const context = env.pendingContext.splice(0).join("\n\n");
      return { content: `${context}\n\n${prepared.content}`, notes: prepared.notes };
    },
    onExit: (code) => finish(code),
  });
  const ctl = controller;
  // The workspace's files for @mentions, listed when the first @ is typed; a finished listing refilters the menu.
  const files = new FileIndex(() => ctl.runtime.cwd);
  files.onChange(() => {
    input.refreshMenus();
    ctl.store.update({}, true);
  });
  const input = new InputModel({
    history,
    commands: () => [
      ...BUILTIN_COMMANDS.flatMap((c) => [c, ...(c.aliases ?? []).map((name) => ({ ...c, name }))]),
      ...customCommands(ctl.runtime).map((c) => ({ name: c.name, description: c.description })),
      ...(ctl.runtime.delegation?.skills ?? []).map((s) => ({ name: s.name, description: s.description })),
    ],
    completePath: (partial) => mentionCandidates(partial, ctl.runtime.cwd, files),
  });

  ctl.print(banner(runtime, options, style, process.stdout.columns || 80));
  // The first time in a project, say what the permission mode lets claw do (workspace-write is not Claude
  // Code's default) and how to change it.
  if (history.size === 0)
    ctl.notice(
      "info",
      `Permission mode ${runtime.gate.mode}: ${modeMeaning(runtime.gate.mode)}. Shift+Tab or /permissions changes it.`,
    );
  if (runtime.agent.messages.length > 0) {
    ctl.print(await historyText(runtime, style, process.stdout.columns || 80));
    ctl.notice("info", `Resumed session ${runtime.sessionId}.`);
  }

  process.stdout.write(`\r\x1b[2K${BRACKETED_PASTE_ON}`);
  const app = render(
    createElement(App, {
      controller: ctl,
      input,
      saveRule: (rule: string) =>
        saveAllowRule(localSettingsPath(ctl.runtime.cwd, ctl.runtime.configHome), rule),
    }),
    { exitOnCtrlC: false, patchConsole: true },
  );
  eraseResizeGhosts(process.stdout);
  ctl.store.update({ ready: true }, true);
  setImmediate(() => void loadHighlighter().catch(() => undefined));

  // A child that takes over the terminal (`claw login`, $EDITOR) writes where the prompt box is: the box is
  // erased and forgotten first, so Ink's next redraw does not erase the child's output along with it. A short
  // wait first lets Ink draw what is pending (the command's own echo), so the child's output comes after it.
  async function suspend(run: () => void): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    eraseFrame(process.stdout);
    process.stdout.write(BRACKETED_PASTE_OFF);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    try {
      run();
    } finally {
      if (process.stdin.isTTY) process.stdin.setRawMode(true);
      process.stdout.write(BRACKETED_PASTE_ON);
    }
  }

  // The terminal went away or we were told to stop: stop the turn (tools kill their process groups),
  // flush the session, put the terminal back.
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === "SIGINT") {
      if (!ctl.interrupt()) void ctl.exit(130);
      return;
    }
    const code = signal === "SIGHUP" ? 129 : 143;
    void ctl.exit(code);
    // With the terminal gone, the last frame's write may never complete (seen with Bun): the session is saved
    // record by record, so a shutdown that has not finished in a few seconds ends here rather than linger.
    setTimeout(() => process.exit(code), 3000).unref();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("SIGINT", onSignal);

  if (options.prompt?.trim()) ctl.submit(options.prompt);

  const code = await exited;
  process.off("SIGTERM", onSignal);
  process.off("SIGHUP", onSignal);
  process.off("SIGINT", onSignal);
  // The last frame is the scrollback alone: no prompt box, menu or footer left behind in the terminal.
  ctl.store.update({ closed: true }, true);
  await new Promise((resolve) => setImmediate(resolve));
  // The exit promise is taken before unmounting: Ink settles it from the final write's callback, which Bun can
  // run before a later waitUntilExit() has made the promise, and that promise then never settles.
  const inkExited = app.waitUntilExit();
  app.unmount();
  await Promise.race([
    inkExited.catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 1000).unref()),
  ]);
  process.stdout.write(BRACKETED_PASTE_OFF);
  if (ctl.runtime.agent.messages.length > 0)
    process.stdout.write(style.dim(`Resume this session with: claw -r ${ctl.runtime.sessionId}\n`));
  // Anything still holding the event loop (a stuck child pipe) must not keep a closed REPL alive.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}
