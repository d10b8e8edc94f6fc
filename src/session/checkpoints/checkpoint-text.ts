// The words every front end uses for checkpoints: an entry's changed files, what a rewind did, what is not covered.
import { type CheckpointEntry, shortId } from "./checkpoint-list.js";
import type { RewindOutcome } from "./file-checkpoints.js";

export const NOT_COVERED =
  "Not covered: files outside the workspace, files .gitignore excludes (unless Edit or Write changed them), files over 10 MB, nested git repositories, and effects beyond files (a database, a push).";

export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function describeFiles(entry: CheckpointEntry): string {
  if (entry.before && !entry.after) return "files: (unknown: claw stopped during this prompt)";
  if (entry.files.length === 0) return "no file changes";
  const shown = entry.files.slice(0, 5).join(", ");
  const more = entry.files.length > 5 ? ` and ${entry.files.length - 5} more` : "";
  return `${entry.files.length} file${entry.files.length === 1 ? "" : "s"}: ${shown}${more}`;
}

/** Lines saying what a successful rewind restored and how to undo it. */
export function describeRewind(result: Extract<RewindOutcome, { ok: true }>, undoHint: string): string[] {
  const what = `just before ${shortId(result.target.id)} "${clipText(result.target.prompt, 60)}"`;
  if (!result.outcome) {
    return [`Nothing to restore: the files claw changed since then are already as they were ${what}.`];
  }
  const { restored, removed, failed } = result.outcome;
  const lines = [`Restored the code to ${what}:`];
  for (const path of restored) lines.push(`  restored  ${path}`);
  for (const path of removed) lines.push(`  removed   ${path}`);
  for (const { path, reason } of failed) lines.push(`  FAILED    ${path} (${reason})`);
  if (result.rewindId) lines.push(undoHint.replace("<id>", shortId(result.rewindId)));
  return lines;
}
