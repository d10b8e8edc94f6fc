// The one-time "trust this folder?" question, asked in the plain terminal before the REPL starts, when the
// project's own settings would run commands (hooks, MCP servers) and the folder has not been trusted yet.

import { loadSettings } from "../config/settings.js";
import { isFolderTrusted, trustFolder, trustFolderKey } from "../config/trust.js";
import type { CliOptions } from "../runtime/options.js";
import {
  describeServer,
  findProjectCode,
  hasProjectCode,
  type ProjectCode,
  projectCodeOptions,
} from "../runtime/project-trust.js";
import { configHome } from "../util/config-home.js";
import type { Style } from "./style.js";

const MAX_LINES = 12;

function questionText(code: ProjectCode, folder: string, style: Style): string {
  const lines = [
    ...code.hooks.map((h) => `  hook ${h.event}: ${h.command}`),
    ...code.servers.map((s) => `  MCP server ${describeServer(s)}`),
  ].map((line) => (line.length > 160 ? `${line.slice(0, 157)}...` : line));
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > shown.length) shown.push(`  ... and ${lines.length - shown.length} more`);
  return [
    style.bold(`This folder's settings run commands: ${folder}`),
    ...shown,
    "Only trust folders whose files you trust: these commands run with your permissions.",
    `${style.bold("Trust this folder?")} [y/N] `,
  ].join("\n");
}

/**
 * One answer line from the raw terminal (the REPL keeps stdin in raw mode from the start), echoed as typed.
 * A whole line, not one key: text typed ahead before the question appeared ("yes, fix the build") must not
 * count as an answer. Ctrl+C / Ctrl+D give undefined.
 */
export function readAnswer(stdin: NodeJS.ReadStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let line = "";
    let finished = false;
    // Read in paused mode ("readable" + read()), as Ink does after us: on Bun a stdin switched to flowing
    // mode with "data" and paused again never hands Ink another key.
    const done = (answer: string | undefined) => {
      finished = true;
      stdin.off("readable", onReadable);
      process.stdout.write("\n");
      resolve(answer);
    };
    const onChunk = (chunk: Buffer | string) => {
      const text = chunk.toString();
      if (text.startsWith("\x1b")) return; // arrows, function keys
      for (const ch of text) {
        if (ch === "\x03" || ch === "\x04") return done(undefined);
        if (ch === "\r" || ch === "\n") return done(line);
        if (ch === "\x7f" || ch === "\b") {
          if (line.length > 0) process.stdout.write("\b \b");
          line = line.slice(0, -1);
        } else if (ch >= " ") {
          line += ch;
          process.stdout.write(ch);
        }
      }
    };
    const onReadable = () => {
      let chunk: Buffer | string | null = stdin.read();
      while (chunk !== null && !finished) {
        onChunk(chunk);
        if (!finished) chunk = stdin.read();
      }
    };
    stdin.on("readable", onReadable);
  });
}

/**
 * Decides whether this folder may run its own hooks and MCP servers in the REPL. Trusted folders (or a
 * narrower trusted parent) pass silently; otherwise, when there is something to run and a terminal to ask
 * on, the user is asked once and "y" is remembered. Anything else, or no terminal, means untrusted.
 */
export async function decideProjectTrust(options: CliOptions, style: Style): Promise<boolean> {
  const env = process.env;
  const cwd = process.cwd();
  const home = configHome(env);
  if (isFolderTrusted({ cwd, configHome: home, env })) return true;
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stdout.isTTY) return false;
  const settings = await loadSettings({ cwd, configHome: home, flagSettings: options.settings, env });
  const code = findProjectCode(projectCodeOptions(options, { cwd, configHome: home, settings, env }));
  if (!hasProjectCode(code)) return false;

  process.stdout.write(questionText(code, trustFolderKey(cwd), style));
  const answer = await readAnswer(stdin);
  if (answer === undefined) {
    // Ctrl+C / Ctrl+D: leave before anything has started.
    stdin.setRawMode(false);
    process.exit(130);
  }
  const yes = /^\s*y(es)?\s*$/i.test(answer);
  if (!yes) {
    process.stdout.write(
      style.dim("Not trusted: claw starts without this folder's hooks and MCP servers.\n"),
    );
    return false;
  }
  try {
    const saved = await trustFolder({ cwd, configHome: home, env });
    process.stdout.write(style.dim(`Trusted ${saved}.\n`));
  } catch (error) {
    // Still trusted for this run; next time the question comes back.
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `claw: could not save the trust decision (${reason}); trusted for this session only\n`,
    );
  }
  return true;
}

/** /trust: remembers the current folder as trusted; returns the stored folder. */
export async function trustCurrentFolder(): Promise<string> {
  const env = process.env;
  const cwd = process.cwd();
  const home = configHome(env);
  if (isFolderTrusted({ cwd, configHome: home, env })) return trustFolderKey(cwd);
  return trustFolder({ cwd, configHome: home, env });
}
