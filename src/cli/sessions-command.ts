// `claw sessions`: this directory's saved sessions, newest first (id, start, size, last prompt).

import type { CliOptions } from "../runtime/options.js";
import { listSessions, type SessionInfo } from "../session/session-list.js";
import { formatBytes } from "../tools/truncate.js";
import { configHome } from "../util/config-home.js";

function formatStart(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function clipPrompt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text;
}

function formatSessionTable(sessions: SessionInfo[]): string {
  const rows = sessions.map((s) => [
    s.id,
    formatStart(s.created),
    String(s.messageCount),
    formatBytes(s.size),
    clipPrompt(s.lastPrompt) || "(no prompt)",
  ]);
  const header = ["ID", "STARTED", "MESSAGES", "SIZE", "LAST PROMPT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

export async function runSessionsCommand(options: CliOptions): Promise<number> {
  const cwd = process.cwd();
  const sessions = listSessions(configHome(), cwd);
  if (options.outputFormat === "json") {
    const list = sessions.map((s) => ({
      id: s.id,
      created: s.created,
      modified: new Date(s.mtimeMs).toISOString(),
      messages: s.messageCount,
      size: s.size,
      lastPrompt: s.lastPrompt,
      path: s.path,
    }));
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  if (sessions.length === 0) {
    process.stdout.write(`No saved sessions for ${cwd}.\n`);
    return 0;
  }
  process.stdout.write(formatSessionTable(sessions));
  process.stdout.write("Resume one with `claw -r <id>`, or the latest with `claw -c`.\n");
  return 0;
}
