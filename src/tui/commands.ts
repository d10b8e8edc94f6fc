// Runs what the user typed that is not a prompt: /commands (built-in and custom) and !shell commands.

import { spawnSync } from "node:child_process";
import { resolveModel } from "../api/models.js";
import { getGitInfo } from "../config/git-info.js";
import type { CliOptions } from "../runtime/options.js";
import type { RuntimeExtras } from "../runtime/runtime.js";
import {
  BUILTIN_COMMANDS,
  type CustomCommand,
  expandCustomCommand,
  loadCustomCommands,
  parseSlashCommand,
  suggestCommands,
} from "../runtime/slash-commands.js";
import { selfCommand } from "../util/self-command.js";
import { initCommand, memoryCommand, permissionsCommand } from "./commands-config.js";
import { contextReport } from "./commands-context.js";
import { runDelegationCommand, skillNames } from "./commands-delegation.js";
import { diffCommand } from "./commands-diff.js";
import { exportCommand } from "./commands-export.js";
import { mcpStatusText } from "./commands-mcp.js";
import { rewindCommand } from "./commands-rewind.js";
import { costReport, historyText, modelPicker, resumePicker } from "./commands-session.js";
import type { ReplController, ReplRuntime } from "./controller.js";
import { formatTokens } from "./format.js";
import { wrapText } from "./markdown/wrap.js";
import { runShellCommand } from "./prompt-prepare.js";

export interface CommandEnv {
  options: CliOptions;
  /** Builds a runtime (createRuntime) with changed options: a new session, or a resumed one. */
  makeRuntime(
    change: Partial<CliOptions>,
    extras?: Pick<RuntimeExtras, "sessionStartSource">,
  ): Promise<ReplRuntime>;
  /** Clears the terminal, scrollback included (/clear); absent where there is no terminal. */
  clearScreen?(): Promise<void>;
  /** Runs an interactive child (the editor) with the terminal handed over. */
  suspend(run: () => void): Promise<void>;
  /** Puts text on the terminal's clipboard (OSC 52); absent where there is no terminal. */
  copyToClipboard?(text: string): void;
  /** Shell output waiting to ride along with the next prompt. */
  pendingContext: string[];
  /** Rules added this session (the gate has no listing). */
  /** /trust: saves the folder as trusted; later runtimes run its hooks and MCP servers. */
  trustFolder?(): Promise<{ folder: string; already: boolean }>;
}

/** The model and permission mode chosen in this REPL (/model, /permissions, Shift+Tab) outlive /clear, /resume. */
function keptChoices(rt: ReplRuntime): Partial<CliOptions> {
  return { model: rt.agent.model, permissionMode: rt.gate.mode };
}

export function customCommands(runtime: ReplRuntime): CustomCommand[] {
  return loadCustomCommands(runtime.cwd, runtime.configHome);
}

export async function runSpecialInput(c: ReplController, env: CommandEnv, text: string): Promise<void> {
  if (text.startsWith("!")) {
    await runBang(c, env, text.slice(1).trim());
    return;
  }
  const parsed = parseSlashCommand(text);
  if (!parsed) {
    c.notice("error", `Not a command: ${text.split(/\s/)[0]}. Type /help for the list.`);
    return;
  }
  const { name, args } = parsed;
  const rt = c.runtime;
  const st = c.style;
  switch (name) {
    case "help":
      c.print(helpText(c, rt));
      return;
    case "exit":
    case "quit":
      await c.exit(0);
      return;
    case "status":
      c.print(await statusText(c, rt));
      return;
    case "model": {
      const chosen = args || (await modelPicker(c));
      if (!chosen) return;
      rt.setModel(resolveModel({ flag: chosen, env: {} }));
      c.refreshFooter();
      c.notice("info", `Model set to ${rt.agent.model} for this session.`);
      return;
    }
    case "permissions":
      await permissionsCommand(c, args, env.options);
      return;
    case "clear":
      await c.replaceRuntime(
        () =>
          env.makeRuntime(
            { ...keptChoices(rt), continue: false, resume: undefined, sessionId: undefined },
            { sessionStartSource: "clear" },
          ),
        "clear",
      );
      env.pendingContext.length = 0;
      // As in Claude Code, the old conversation also leaves the screen.
      await env.clearScreen?.();
      c.notice(
        "info",
        `Started a new session (${c.runtime.sessionId}). The previous one is saved; /resume lists it.`,
      );
      return;
    case "compact": {
      const signal = c.newAbortSignal();
      // The agent reports what it did (compacted, or too short to compact); silence means it cannot compact.
      const events = await c.runEvents(rt.agent.compact(args || undefined, signal), "Compacting");
      if (events === 0 && !signal.aborted) c.notice("info", "Nothing to compact yet.");
      return;
    }
    case "cost":
      c.print(costReport(rt, st));
      return;
    case "context":
      c.print(contextReport(rt, st));
      return;
    case "resume":
      await resumeCommand(c, env, args);
      return;
    case "rewind":
      await rewindCommand(c);
      return;
    case "trust":
      await trustCommand(c, env);
      return;
    case "config": {
      if (!rt.settings) {
        c.notice("info", "Settings are not available in this session.");
        return;
      }
      const { formatSettingsReport } = await import("../config/config-display.js");
      const { settingsFileCandidates } = await import("../config/settings.js");
      c.print(
        formatSettingsReport(
          rt.settings,
          settingsFileCandidates({ cwd: rt.cwd, configHome: rt.configHome }),
        ).trimEnd(),
      );
      return;
    }
    case "memory":
      await memoryCommand(c, env, args);
      return;
    case "init":
      await initCommand(c);
      return;
    case "diff":
      await diffCommand(c);
      return;
    case "export":
      await exportCommand(c, env, args);
      return;
    case "mcp":
      c.print(mcpStatusText(rt, st));
      return;
    case "sandbox":
      c.print((rt.sandbox?.describe() ?? ["Sandbox: off."]).join("\n"));
      return;
    case "login": {
      // `claw login` runs as a child with the terminal handed over: it owns stdin for the pasted code and
      // closes it when done, which must not happen to the REPL's own stdin.
      const self = selfCommand();
      if (!self) {
        c.notice("warning", "Run `claw login` in another terminal to sign in.");
        return;
      }
      let status: number | null = null;
      await env.suspend(() => {
        status = spawnSync(self[0]!, [...self.slice(1), "login"], {
          stdio: "inherit",
          env: process.env,
        }).status;
      });
      c.notice(
        status === 0 ? "info" : "warning",
        status === 0
          ? "Signed in. A session that uses a saved login switches to the new one at its next 401; ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in the environment still take precedence."
          : "Login did not complete; run /login to try again.",
      );
      return;
    }
    case "logout": {
      const { CredentialsStore } = await import("../auth/credentials-store.js");
      const store = new CredentialsStore(rt.configHome, { warn: (m) => c.notice("warning", m) });
      const removed = await store.withLock(() => store.removeOAuth());
      c.notice(
        "info",
        removed
          ? `Logged out: removed the saved login from ${store.path}`
          : "Not logged in: nothing changed.",
      );
      return;
    }
    default: {
      const custom = customCommands(rt).find((cmd) => cmd.name === name);
      if (custom) {
        await c.runPrompt(expandCustomCommand(custom, args), text);
        return;
      }
      if (await runDelegationCommand(c, name, args, text)) return;
      const known = [
        ...BUILTIN_COMMANDS.flatMap((b) => [b.name, ...(b.aliases ?? [])]),
        ...customCommands(rt).map((x) => x.name),
        ...skillNames(rt),
      ];
      const guesses = suggestCommands(name, known);
      c.notice(
        "error",
        guesses.length > 0
          ? `Unknown command /${name}. Did you mean ${guesses.map((g) => `/${g}`).join(", ")}?`
          : `Unknown command /${name}. Type /help for the list.`,
      );
    }
  }
}

function helpText(c: ReplController, rt: ReplRuntime): string {
  const st = c.style;
  // Names in a column of their own; a longer name puts its description on the next line. Descriptions wrap
  // under themselves at the terminal's width.
  const nameWidth = 22;
  const indent = " ".repeat(nameWidth + 4);
  const line = (name: string, desc: string) => {
    const head =
      name.length <= nameWidth ? `  ${st.bold(name.padEnd(nameWidth + 2))}` : `  ${st.bold(name)}\n${indent}`;
    const rows = wrapText(desc, Math.max(20, c.width() - indent.length)).split("\n");
    return head + rows.map((row, i) => (i === 0 ? "" : indent) + st.dim(row)).join("\n");
  };
  const lines = [
    "Commands:",
    ...BUILTIN_COMMANDS.map((b) => line(`/${b.name}${b.args ? ` ${b.args}` : ""}`, b.description)),
  ];
  const custom = customCommands(rt);
  if (custom.length > 0) {
    lines.push("", "Custom commands:");
    for (const cmd of custom) lines.push(line(`/${cmd.name}`, `${cmd.description} (${cmd.scope})`));
  }
  lines.push(
    "",
    "Keys:",
    line("Enter", "send · Ctrl+J, Shift+Enter or a trailing \\ for a new line"),
    line(
      "Esc / Ctrl+C",
      "interrupt a running turn · Ctrl+C or Ctrl+D twice to exit · Shift+Tab cycles the permission mode",
    ),
    line("↑ / ↓", "prompt history · Tab completes /commands and @paths"),
    line("Ctrl+R", "search prompt history (Ctrl+R again: older match, Enter: use it, Esc: cancel)"),
    line("Ctrl+O", "expand the last collapsed tool output · again: the transcript with every result in full"),
    line("Ctrl+A/E/K/U/W", "line start/end, kill to end/start, kill word · Alt+B/F word moves"),
    line("@path", "attach a file · !command runs a shell command and adds its output to the next prompt"),
  );
  return lines.join("\n");
}

async function statusText(c: ReplController, rt: ReplRuntime): Promise<string> {
  const st = c.style;
  const git = await getGitInfo(rt.cwd, { timeoutMs: 2000 }).catch(() => undefined);
  const usage = rt.agent.usage.total;
  const rows: Array<[string, string]> = [
    ["Model", rt.agent.model],
    ["Permission mode", rt.gate.mode],
    ["Session", `${rt.sessionId}${rt.sessionPath ? ` (${rt.sessionPath})` : ""}`],
    ["Working directory", rt.cwd],
    ["Git branch", git?.branch ?? "(none)"],
    [
      "Tokens",
      `${formatTokens(usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens)} in, ${formatTokens(usage.output_tokens)} out`,
    ],
    ["Settings files", rt.settings?.files.map((f) => f.path).join(", ") || "(none)"],
    ["Instruction files", rt.instructions?.map((f) => f.path).join(", ") || "(none)"],
    ["Auth", rt.apiKeySource ?? "unknown"],
    ["Provider", (await rt.describeProvider?.()) ?? "unknown"],
  ];
  const sessionRules = rt.gate.sessionRules();
  if (sessionRules.length > 0)
    rows.push(["Session rules", sessionRules.map((r) => `${r.behavior} ${r.rule}`).join(", ")]);
  return rows.map(([k, v]) => `${st.bold(k.padEnd(18))} ${v}`).join("\n");
}

async function trustCommand(c: ReplController, env: CommandEnv): Promise<void> {
  if (!env.trustFolder) return c.notice("info", "Trust is decided when claw starts in this mode.");
  const { folder, already } = await env.trustFolder();
  if (already) return c.notice("info", `This folder is already trusted (${folder}).`);
  // Reopen the same session so the folder's hooks and MCP servers start now, with the conversation kept.
  const id = c.runtime.sessionId;
  const kept = keptChoices(c.runtime);
  await c.replaceRuntime(() =>
    env.makeRuntime({ ...kept, resume: id, continue: false, sessionId: undefined }),
  );
  c.notice("info", `Trusted ${folder}: its hooks and MCP servers now run.`);
}

async function resumeCommand(c: ReplController, env: CommandEnv, args: string): Promise<void> {
  const id = args || (await resumePicker(c));
  if (!id) return;
  const kept = keptChoices(c.runtime);
  await c.replaceRuntime(() =>
    env.makeRuntime({ ...kept, resume: id, continue: false, sessionId: undefined }),
  );
  c.print(await historyText(c.runtime, c.style, c.width()));
  c.notice("info", `Resumed session ${c.runtime.sessionId}.`);
}

async function runBang(c: ReplController, env: CommandEnv, command: string): Promise<void> {
  if (!command) return;
  c.print(c.style.dim(`! ${command}`));
  const signal = c.newAbortSignal();
  c.store.update({ busy: { since: Date.now(), tokens: 0, label: "Running" } }, true);
  const outcome = await runShellCommand(command, c.runtime.cwd, signal);
  const output = outcome.output.trimEnd();
  const status = outcome.interrupted ? "interrupted" : `exit ${outcome.exitCode ?? "?"}`;
  c.print(`${output ? `${output}\n` : ""}${c.style.dim(`⎿ ${status} · output added to the next prompt`)}`);
  env.pendingContext.push(
    `<shell-command>${command}</shell-command>\n<shell-output status="${status}">\n${output}\n</shell-output>`,
  );
}
