// Finding session files: the latest for a directory (by mtime, no index to go stale), one by id, a listing
// for `claw sessions`, and pruning of sessions older than cleanupPeriodDays.
import { existsSync, promises as fsp, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ContentBlock } from "../api/types.js";
import { isSessionId, projectDir, projectsRoot, sessionIdFromFileName } from "./session-paths.js";
import { SessionError } from "./session-store.js";

export interface SessionFile {
  id: string;
  path: string;
  mtimeMs: number;
  size: number;
}

export interface SessionInfo extends SessionFile {
  /** ISO timestamp from the header (falls back to the file's mtime). */
  created: string;
  cwd: string | undefined;
  /** Conversation records: prompts, assistant replies and tool results. */
  messageCount: number;
  /** The text of the last prompt, on one line. */
  lastPrompt: string;
}

/** Session files of one folder, newest first. A missing folder is an empty list. */
function sessionFilesIn(dir: string): SessionFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: SessionFile[] = [];
  for (const name of names) {
    const id = sessionIdFromFileName(name);
    if (!id) continue;
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (stat.isFile()) files.push({ id, path, mtimeMs: stat.mtimeMs, size: stat.size });
    } catch {
      // deleted while we looked
    }
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

export function findLatestSession(configHome: string, cwd: string): SessionFile | undefined {
  return sessionFilesIn(projectDir(configHome, cwd))[0];
}

/** This directory's session files, newest first. */
export function listSessionFiles(configHome: string, cwd: string): SessionFile[] {
  return sessionFilesIn(projectDir(configHome, cwd));
}

/**
 * A session by full id (this directory first, then every other project folder), or by a unique
 * id prefix among this directory's sessions. Undefined when nothing matches.
 */
export function findSessionById(configHome: string, cwd: string, id: string): SessionFile | undefined {
  const wanted = id.trim().toLowerCase();
  if (!wanted) return undefined;
  const here = sessionFilesIn(projectDir(configHome, cwd));
  const exact = here.find((f) => f.id.toLowerCase() === wanted);
  if (exact) return exact;
  // Only a well-formed id is looked up elsewhere: the id becomes part of a path.
  if (!isSessionId(wanted)) return uniquePrefixMatch(here, id, wanted);
  const root = projectsRoot(configHome);
  let folders: string[] = [];
  try {
    folders = readdirSync(root);
  } catch {
    // no sessions anywhere yet
  }
  for (const folder of folders) {
    const path = join(root, folder, `${wanted}.jsonl`);
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    return { id: wanted, path, mtimeMs: stat.mtimeMs, size: stat.size };
  }
  return undefined;
}

function uniquePrefixMatch(files: SessionFile[], id: string, wanted: string): SessionFile | undefined {
  const byPrefix = files.filter((f) => f.id.toLowerCase().startsWith(wanted));
  if (byPrefix.length > 1) {
    throw new SessionError(
      `Session id prefix "${id}" matches ${byPrefix.length} sessions; give more of the id.`,
    );
  }
  return byPrefix[0];
}

function promptText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as ContentBlock[])
    .filter((b) => b.type === "text")
    .map((b) => (b as { text: string }).text)
    .join(" ");
}

/** Header and a cheap pass over the records, without building the history. */
function describe(file: SessionFile): SessionInfo {
  let created = new Date(file.mtimeMs).toISOString();
  let cwd: string | undefined;
  let messageCount = 0;
  let lastPrompt = "";
  let text = "";
  try {
    text = readFileSync(file.path, "utf8");
  } catch {
    // unreadable: listed with what stat gave us
  }
  for (const line of text.split("\n")) {
    if (!line) continue;
    let value: { type?: unknown; created?: unknown; cwd?: unknown; message?: { content?: unknown } };
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (value.type === "header") {
      if (typeof value.created === "string") created = value.created;
      if (typeof value.cwd === "string") cwd = value.cwd;
    } else if (value.type === "user") {
      messageCount++;
      const prompt = promptText(value.message?.content).replace(/\s+/g, " ").trim();
      if (prompt) lastPrompt = prompt;
    } else if (value.type === "assistant" || value.type === "tool_results") {
      messageCount++;
    }
  }
  return { ...file, created, cwd, messageCount, lastPrompt };
}

/** This directory's sessions, newest first. */
export function listSessions(configHome: string, cwd: string): SessionInfo[] {
  return sessionFilesIn(projectDir(configHome, cwd)).map(describe);
}

export interface PruneOptions {
  configHome: string;
  /** Sessions untouched for longer than this many days are deleted; 0 or less turns pruning off. */
  cleanupPeriodDays?: number;
  /** Paths never deleted (the session in use). */
  keep?: string[];
  now?: number;
}

/** Deletes old session files of every project; returns how many. Cheap enough to run at each start. */
export async function pruneOldSessions(options: PruneOptions): Promise<number> {
  const days = options.cleanupPeriodDays ?? 30;
  if (!Number.isFinite(days) || days <= 0) return 0;
  const cutoff = (options.now ?? Date.now()) - days * 86_400_000;
  const keep = new Set(options.keep ?? []);
  const root = projectsRoot(options.configHome);
  let folders: string[];
  try {
    folders = await fsp.readdir(root);
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const folder of folders) {
    let names: string[];
    try {
      names = await fsp.readdir(join(root, folder));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!sessionIdFromFileName(name)) continue;
      const path = join(root, folder, name);
      if (keep.has(path)) continue;
      try {
        const stat = await fsp.stat(path);
        if (!stat.isFile() || stat.mtimeMs >= cutoff) continue;
        await fsp.unlink(path);
        // Its subagent transcripts live in the folder of the same name beside it.
        await fsp.rm(path.replace(/\.jsonl$/, ""), { recursive: true, force: true });
        // A writer lock a killed claw left (a live writer keeps the session's time recent).
        await fsp.rm(`${path}.lock`, { force: true });
        deleted++;
      } catch {
        // another claw pruned it first, or it is not ours to delete
      }
    }
  }
  return deleted;
}
