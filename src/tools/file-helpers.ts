// Shared pieces of the file tools: helpful errors for missing paths and directories, the
// read-before-write rule, and the unified diff shown to the user.
import { promises as fs, type Stats } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { ToolContext, ToolResult, ToolSessionState } from "./types.js";

export function errorResult(message: string): ToolResult {
  return { content: message, isError: true, display: message };
}

/** stat that returns null for a missing path instead of throwing. */
export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await fs.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/** Edit distance, capped work: names are short. */
function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The names in `names` closest to `wanted` (same stem with another extension counts as close). */
function closestNames(wanted: string, names: readonly string[], max = 3): string[] {
  const lower = wanted.toLowerCase();
  const stem = basename(lower, extname(lower));
  const scored = names.map((name) => {
    const candidate = name.toLowerCase();
    let score = levenshtein(lower, candidate);
    if (basename(candidate, extname(candidate)) === stem) score = Math.min(score, 1);
    if (candidate.includes(lower) || lower.includes(candidate)) score = Math.min(score, 2);
    return { name, score };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 2));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** "File not found" with the nearest names in its directory, or the first missing directory. */
export async function missingPathMessage(shownPath: string, resolvedPath: string): Promise<string> {
  const dir = dirname(resolvedPath);
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    let missingDir = dir;
    while ((await statOrNull(dirname(missingDir))) === null && dirname(missingDir) !== missingDir) {
      missingDir = dirname(missingDir);
    }
    return `File does not exist: ${shownPath}. The directory ${missingDir} does not exist either; check the path (use Glob to search for the file).`;
  }
  const close = closestNames(basename(resolvedPath), entries);
  const hint = close.length
    ? ` Did you mean ${close.map((name) => `${dir}/${name}`).join(" or ")}?`
    : " Use Glob to search for it.";
  return `File does not exist: ${shownPath}.${hint}`;
}

/** A directory was given where a file was expected: say so and show what it holds. */
export async function directoryMessage(shownPath: string, resolvedPath: string): Promise<string> {
  let entries: string[] = [];
  try {
    entries = (await fs.readdir(resolvedPath, { withFileTypes: true }))
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort();
  } catch {
    // unreadable: say only that it is a directory
  }
  const shown = entries.slice(0, 12).join(", ");
  const more = entries.length > 12 ? `, … (${entries.length} entries)` : "";
  const listing = entries.length ? ` It contains: ${shown}${more}.` : " It is empty.";
  return `${shownPath} is a directory, not a file.${listing} Read one of its files, or use Glob or Bash ls to list it.`;
}

/**
 * The read-before-write rule: an existing file may be changed only if the model read it in this session
 * and it has not changed on disk since. Returns an error message, or null when the write may go ahead.
 */
export function staleFileMessage(session: ToolSessionState, path: string, stat: Stats): string | null {
  const readAt = session.readFiles.get(path);
  if (readAt === undefined) {
    return `${path} has not been read in this session. Read it first so your change is based on its current content, then try again.`;
  }
  if (Math.abs(stat.mtimeMs - readAt) > 0.5) {
    return `${path} was modified on disk after you last read it (by the user, a formatter or a command). Read it again, then redo the change.`;
  }
  return null;
}

/**
 * Why a file tool may not change an existing path: it is a directory, not a regular file (`notRegular`
 * says what the tool does instead), or breaks the read-before-write rule. Null when the change may go ahead.
 */
export async function existingFileProblem(
  session: ToolSessionState,
  shownPath: string,
  path: string,
  stat: Stats,
  notRegular: string,
): Promise<string | null> {
  if (stat.isDirectory()) return directoryMessage(shownPath, path);
  if (!stat.isFile()) return `${shownPath} is not a regular file; ${notRegular}`;
  return staleFileMessage(session, path, stat);
}

/**
 * Replaces a file the model changed: atomically, then remembered as read (the model knows the new content),
 * then temp files that a killed earlier writer left beside it are removed. With `editor` (claw inside an
 * editor that takes writes) the editor saves the text instead, so its open buffer stays in step.
 */
export async function writeChangedFile(
  session: ToolSessionState,
  path: string,
  data: string | Uint8Array,
  editor?: { write: NonNullable<ToolContext["editorWrite"]>; text: string },
): Promise<void> {
  if (editor && (await editor.write(path, editor.text))) {
    await recordRead(session, path);
    return;
  }
  await writeFileAtomic(path, data);
  await recordRead(session, path);
  await removeStaleTempFiles(path);
}

/** Remembers that the model now knows this file's content (after a read or its own write). */
export async function recordRead(session: ToolSessionState, path: string): Promise<void> {
  const stat = await statOrNull(path);
  if (stat) session.readFiles.set(path, stat.mtimeMs);
}

/** A unified diff of a file change for the UI (CR stripped so CRLF files diff cleanly). */
export function unifiedDiff(path: string, before: string, after: string): string {
  const clean = (text: string) => text.replace(/\r\n/g, "\n");
  return createTwoFilesPatch(path, path, clean(before), clean(after), undefined, undefined, { context: 3 });
}

/** Counts added and removed lines in a unified diff ("+3 -1"). */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+") && !line.startsWith("+++")) added++;
    else if (line.startsWith("-") && !line.startsWith("---")) removed++;
  }
  return { added, removed };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temp files that a writer killed mid-write left beside `path` (writeFileAtomic names them
 * `.<name>.<pid>.<hex>.tmp`), once their process is gone. Best effort: never fails the write.
 */
async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    await fs.rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}
