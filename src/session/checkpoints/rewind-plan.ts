// Works out what rewinding to just before a prompt means file by file: every file claw changed since then
// gets back the content it had before claw first changed it (or goes, if claw created it). A file whose
// content now differs from what claw last left there was changed by someone else: a conflict.
import type { CheckpointEntry } from "./checkpoint-list.js";
import type { ShadowRepo } from "./shadow-git.js";
import { changedPaths, type Snapshot, type TreeEntry, treeEntries } from "./snapshot.js";

export interface RewindPlan {
  target: CheckpointEntry;
  /** The workspace as it is now (the rewind's own "before" checkpoint). */
  now: Snapshot;
  /** Files to write back, with the content the target checkpoint holds. */
  restore: Map<string, TreeEntry>;
  /** Files claw created since the target: removed. */
  remove: string[];
  /** Files changed outside claw since claw last wrote them (overwritten only when forced). */
  conflicts: string[];
}

function sameEntry(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return a.mode === b.mode && a.blob === b.blob;
}

export async function planRewind(
  repo: ShadowRepo,
  entries: readonly CheckpointEntry[],
  target: CheckpointEntry,
  snapshotNow: (forcePaths: string[]) => Promise<Snapshot>,
): Promise<RewindPlan> {
  const start = entries.indexOf(target);
  const changing = entries.slice(start < 0 ? entries.length : start).filter((e) => e.before);
  const known = new Set(changing.flatMap((e) => (e.after ? e.files : [])));
  const now = await snapshotNow([...known]);

  // For each file: the tree holding the content to restore (the first change) and the one claw last left.
  const firstBefore = new Map<string, string>();
  const lastAfter = new Map<string, string>();
  for (const [index, entry] of changing.entries()) {
    // A prompt cut off before its "after" snapshot ends where the next change began, or now.
    const after = entry.after ?? changing[index + 1]?.before ?? now.tree;
    const files = entry.after ? entry.files : await changedPaths(repo, entry.before!, after);
    for (const path of files) {
      if (!firstBefore.has(path)) firstBefore.set(path, entry.before!);
      lastAfter.set(path, after);
    }
  }

  const paths = [...firstBefore.keys()];
  const lookup = new Map<string, Map<string, TreeEntry>>();
  const entriesOf = async (tree: string, wanted: string[]) => {
    const found = await treeEntries(repo, tree, wanted);
    const into = lookup.get(tree) ?? new Map<string, TreeEntry>();
    for (const [path, entry] of found) into.set(path, entry);
    lookup.set(tree, into);
  };
  const groupBy = (map: Map<string, string>) => {
    const groups = new Map<string, string[]>();
    for (const [path, tree] of map) groups.set(tree, [...(groups.get(tree) ?? []), path]);
    return groups;
  };
  for (const [tree, wanted] of groupBy(firstBefore)) await entriesOf(tree, wanted);
  for (const [tree, wanted] of groupBy(lastAfter)) await entriesOf(tree, wanted);
  await entriesOf(now.tree, paths);

  const skippedNow = new Set(now.skipped);
  const restore = new Map<string, TreeEntry>();
  const remove: string[] = [];
  const conflicts: string[] = [];
  for (const path of paths.sort()) {
    const wanted = lookup.get(firstBefore.get(path)!)?.get(path);
    const lastWritten = lookup.get(lastAfter.get(path)!)?.get(path);
    const current = lookup.get(now.tree)?.get(path);
    if (!skippedNow.has(path) && sameEntry(current, wanted)) continue;
    if (skippedNow.has(path) || !sameEntry(current, lastWritten)) conflicts.push(path);
    if (wanted) restore.set(path, wanted);
    else remove.push(path);
  }
  return { target, now, restore, remove, conflicts };
}
