// The session's prompts (and rewinds) in file order, each with the checkpoint taken before its first change
// and the files it changed: what /rewind, `claw rewind --list` and the SDK's rewind_files choose from.
import type { ContentBlock } from "../../api/types.js";
import type { LoadedRecord } from "../session-records.js";

export interface CheckpointEntry {
  /** The prompt's uuid (a rewind's own id for a rewind). */
  id: string;
  kind: "prompt" | "rewind";
  /** The prompt's text on one line; for a rewind, what it restored to. */
  prompt: string;
  /** ISO timestamp of the prompt. */
  at: string;
  /** Tree of the workspace just before the first change; undefined when the prompt changed nothing. */
  before?: string;
  /** Tree when the prompt finished; undefined while running or when claw stopped mid-prompt. */
  after?: string;
  /** Files the prompt changed (known once it finished). */
  files: string[];
  /** Files too large to keep. */
  skipped: string[];
  /** For a rewind: the id it restored to. */
  rewindOf?: string;
}

export function promptText(content: string | ContentBlock[]): string {
  const text =
    typeof content === "string"
      ? content
      : content
          .filter((b) => b.type === "text")
          .map((b) => (b as { text: string }).text)
          .join(" ");
  return text.replace(/\s+/g, " ").trim();
}

export function checkpointEntries(records: readonly LoadedRecord[]): CheckpointEntry[] {
  const entries: CheckpointEntry[] = [];
  const byId = new Map<string, CheckpointEntry>();
  for (const record of records) {
    if (record.type === "user" && record.uuid) {
      const entry: CheckpointEntry = {
        id: record.uuid,
        kind: "prompt",
        prompt: promptText(record.message.content),
        at: record.ts ?? "",
        files: [],
        skipped: [],
      };
      entries.push(entry);
      byId.set(entry.id, entry);
    } else if (record.type === "checkpoint") {
      let entry = byId.get(record.id);
      if (!entry && record.rewindOf !== undefined) {
        const target = byId.get(record.rewindOf);
        entry = {
          id: record.id,
          kind: "rewind",
          prompt: `rewind to before ${shortId(record.rewindOf)}${target ? ` "${target.prompt}"` : ""}`,
          at: record.ts ?? "",
          files: [],
          skipped: [],
          rewindOf: record.rewindOf,
        };
        entries.push(entry);
        byId.set(entry.id, entry);
      }
      if (!entry) continue;
      if (record.stage === "before") entry.before = record.tree;
      else {
        entry.after = record.tree;
        entry.files = record.files ?? [];
      }
      if (record.skipped?.length) entry.skipped = [...new Set([...entry.skipped, ...record.skipped])];
    }
  }
  return entries;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** The entry an id (or a unique prefix of one) names. */
export function findEntry(
  entries: readonly CheckpointEntry[],
  id: string,
): { entry: CheckpointEntry } | { error: string } {
  const wanted = id.trim().toLowerCase();
  const matches = entries.filter((e) => e.id.toLowerCase().startsWith(wanted));
  if (!wanted || matches.length === 0) {
    return { error: `No prompt with id ${id} in this session. List them with \`claw rewind --list\`.` };
  }
  const exact = matches.find((e) => e.id.toLowerCase() === wanted);
  if (exact) return { entry: exact };
  if (matches.length > 1)
    return { error: `The id prefix ${id} matches ${matches.length} prompts; give more of it.` };
  return { entry: matches[0]! };
}
