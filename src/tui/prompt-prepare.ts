// Expands what the user typed into what the model receives: @path mentions attach the file (or a folder
// listing), and output of earlier !commands rides along with the next prompt.

import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { subprocessEnv } from "../tools/env.js";

const MAX_ATTACH_BYTES = 100_000;
const MAX_SHELL_OUTPUT = 30_000;

const MENTION = /(?:^|\s)@((?:[^\s\\]|\\ )+)/g;

function resolveMention(raw: string, cwd: string): string {
  const path = raw.replace(/\\ /g, " ").replace(/[),.;:!?]+$/, "");
  if (path.startsWith("~/")) return join(process.env.HOME ?? "", path.slice(2));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

export interface PreparedPrompt {
  content: string;
  notes: string[];
}

/** Attaches every @mention that names an existing file or folder; others stay as typed. */
export async function expandMentions(text: string, cwd: string): Promise<PreparedPrompt> {
  const attachments: string[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const absolute = resolveMention(match[1]!, cwd);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(absolute);
    } catch {
      continue;
    }
    const shown = relative(cwd, absolute) || ".";
    if (info.isDirectory()) {
      const entries = readdirSync(absolute, { withFileTypes: true })
        .slice(0, 200)
        .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
      attachments.push(`<directory path="${shown}">\n${entries.join("\n")}\n</directory>`);
      notes.push(`Attached the listing of ${shown}/ (${entries.length} entries)`);
      continue;
    }
    const buffer = await readFile(absolute);
    if (buffer.subarray(0, 8000).includes(0)) {
      notes.push(`Not attached: ${shown} looks like a binary file`);
      continue;
    }
    const cut = buffer.length > MAX_ATTACH_BYTES;
    const body = buffer.subarray(0, MAX_ATTACH_BYTES).toString("utf8");
    // A final newline ends the last line; it does not start another one.
    const lines = body === "" ? 0 : body.replace(/\n$/, "").split("\n").length;
    attachments.push(
      `<file path="${shown}">\n${body}${cut ? `\n[truncated: first ${MAX_ATTACH_BYTES} of ${buffer.length} bytes; use Read for the rest]` : ""}\n</file>`,
    );
    notes.push(`Attached ${shown} (${lines} lines${cut ? ", truncated" : ""})`);
  }
  if (attachments.length === 0) return { content: text, notes };
  return { content: `${text}\n\n${attachments.join("\n\n")}`, notes };
}

/** Tab completion for "@partial/path": the matching entries of the folder being typed. */
export function completeMention(partial: string, cwd: string): string[] {
  const typed = partial.replace(/\\ /g, " ");
  const base = typed.endsWith("/")
    ? typed
    : dirname(typed) === "." && !typed.startsWith("./")
      ? ""
      : `${dirname(typed)}/`;
  const stem = typed.endsWith("/") ? "" : basename(typed);
  const dir = resolve(cwd, base || ".");
  let entries: Array<{ name: string; dir: boolean }>;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.name.startsWith(stem) && (stem.startsWith(".") || !e.name.startsWith(".")))
    .filter((e) => e.name !== "node_modules" || stem.startsWith("node"))
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
    .slice(0, 50)
    .map((e) => `${base}${e.name}${e.dir ? "/" : ""}`.replace(/ /g, "\\ "));
}

export interface ShellOutcome {
  output: string;
  exitCode: number | null;
  interrupted: boolean;
}

/** Runs a !command in its own process group so Esc can kill it and everything it started. */
export function runShellCommand(command: string, cwd: string, signal: AbortSignal): Promise<ShellOutcome> {
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.env.SHELL && !/fish$/.test(process.env.SHELL) ? process.env.SHELL : "/bin/bash",
      ["-c", command],
      {
        cwd,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        // Its output goes to the model: the same environment policy as the Bash tool (no secrets).
        env: subprocessEnv(),
      },
    );
    let output = "";
    let dropped = 0;
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (output.length < MAX_SHELL_OUTPUT) output += text.slice(0, MAX_SHELL_OUTPUT - output.length);
      dropped += Math.max(0, text.length - (MAX_SHELL_OUTPUT - output.length));
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const kill = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      kill("SIGINT");
      killTimer = setTimeout(() => kill("SIGKILL"), 1000);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      output += `${error.message}\n`;
    });
    child.on("close", (code) => {
      signal.removeEventListener("abort", onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (dropped > 0) output += `\n[… ${dropped} more characters not shown]`;
      resolvePromise({ output, exitCode: code, interrupted: signal.aborted });
    });
  });
}
