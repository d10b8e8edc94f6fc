// Takes a snapshot of the workspace into the shadow repository and returns its tree id. Only what changed
// since the session's index last saw it is hashed, so an unchanged workspace costs one git process.
import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CheckpointError, type ShadowRepo, splitNul } from "./shadow-git.js";

/** Files above this size are not copied into checkpoints (named in the checkpoint as skipped). */
export const MAX_CHECKPOINT_FILE_BYTES = 10 * 1024 * 1024;
/** A workspace that would add more new files than this in one snapshot is not checkpointed (e.g. a home folder). */
export const MAX_NEW_FILES = 50_000;

export interface Snapshot {
  tree: string;
  /** Files too large to keep (their previous state, if any, is what the checkpoint holds). */
  skipped: string[];
}

export interface SnapshotOptions {
  /** Workspace-relative paths to include even when .gitignore excludes them (files Edit/Write touch). */
  forcePaths?: string[];
}

/** Why a workspace cannot be checkpointed at all, or undefined when it can. */
export function unsupportedWorkspace(workTree: string): string | undefined {
  const dir = resolve(workTree);
  if (dir === "/" || dir === resolve(homedir())) {
    return `${dir} is too broad a workspace to checkpoint; start claw in a project folder`;
  }
  return undefined;
}

type Change = { path: string; kind: "update" | "remove" | "skip" | "directory" };

async function classify(repo: ShadowRepo, path: string): Promise<Change> {
  try {
    const stat = await fs.lstat(join(repo.workTree, path));
    if (stat.isDirectory()) return { path, kind: "directory" };
    if (stat.isFile() && stat.size > MAX_CHECKPOINT_FILE_BYTES) return { path, kind: "skip" };
    return { path, kind: "update" };
  } catch {
    return { path, kind: "remove" };
  }
}

export async function takeSnapshot(repo: ShadowRepo, options: SnapshotOptions = {}): Promise<Snapshot> {
  await repo.ensure();
  // Modified, deleted and new (not ignored) files relative to this session's index.
  const listed = splitNul(
    // --modified lists deleted files too.
    await repo.run(["ls-files", "-z", "--modified", "--others", "--exclude-standard"]),
  ).filter((p) => !p.endsWith("/")); // "dir/" is a nested repository: not covered
  if (listed.length > MAX_NEW_FILES) {
    throw new CheckpointError(
      `the workspace has more than ${MAX_NEW_FILES} files that are not ignored; checkpoints are off for it`,
    );
  }
  const candidates = new Set(listed);
  for (const path of options.forcePaths ?? []) candidates.add(path);
  return addToIndex(repo, [...candidates]);
}

/** Brings the index up to date for `paths` (added even when ignored; gone ones dropped) and writes its tree. */
export async function addToIndex(repo: ShadowRepo, paths: string[]): Promise<Snapshot> {
  const changes = await Promise.all(paths.map((path) => classify(repo, path)));
  const skipped = changes.filter((c) => c.kind === "skip").map((c) => c.path);
  const update = changes.filter((c) => c.kind === "update" || c.kind === "remove").map((c) => c.path);
  if (update.length > 0) {
    // --add takes new files (ignored ones too, for forced paths); --remove drops entries whose file is gone.
    // Many new files (a project's first snapshot): one pack instead of a loose object file each, which on a
    // slow disk halves the time. A handful stay loose, so packs do not pile up.
    const bulk = update.length > 1000 ? ["-c", "core.bigFileThreshold=1"] : [];
    await repo.run([...bulk, "update-index", "--add", "--remove", "-z", "--stdin"], {
      stdin: `${update.join("\0")}\0`,
    });
  }
  // Nothing changed and nobody else wrote the index since its tree was written: the same tree, no process.
  const known = update.length === 0 ? await repo.cachedTree() : undefined;
  if (known) return { tree: known, skipped };
  const tree = (await repo.run(["write-tree"])).toString("utf8").trim();
  await repo.rememberTree(tree);
  return { tree, skipped };
}

/** The paths that differ between two trees. */
export async function changedPaths(repo: ShadowRepo, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  return splitNul(await repo.run(["diff-tree", "-r", "-z", "--no-renames", "--name-only", from, to]));
}

/** A file as a tree holds it: "<mode> <blob id>", or undefined when the tree has no such file. */
export type TreeEntry = { mode: string; blob: string };

/** The entries of `paths` in `tree` (paths the tree lacks are absent from the map). */
export async function treeEntries(
  repo: ShadowRepo,
  tree: string,
  paths: string[],
): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  const wanted = new Set(paths);
  // Pathspecs go on the command line: chunks keep it well under the argument limit.
  for (let i = 0; i < paths.length; i += 500) {
    const chunk = paths.slice(i, i + 500);
    const out = splitNul(await repo.run(["ls-tree", "-r", "-z", tree, "--", ...chunk]));
    for (const line of out) {
      const tab = line.indexOf("\t");
      const [mode, , blob] = line.slice(0, tab).split(" ");
      const path = line.slice(tab + 1);
      if (mode && blob && wanted.has(path)) entries.set(path, { mode, blob });
    }
  }
  return entries;
}

/** The bytes of each blob (git cat-file --batch). */
export async function readBlobs(repo: ShadowRepo, blobs: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const contents = new Map<string, Buffer>();
  if (unique.length === 0) return contents;
  const out = await repo.run(["cat-file", "--batch"], { stdin: `${unique.join("\n")}\n` });
  let offset = 0;
  while (offset < out.length) {
    const newline = out.indexOf(0x0a, offset);
    if (newline < 0) break;
    const [id, type, size] = out.subarray(offset, newline).toString("utf8").split(" ");
    if (type === "missing" || !id || size === undefined) {
      offset = newline + 1;
      continue;
    }
    const length = Number(size);
    contents.set(id, out.subarray(newline + 1, newline + 1 + length));
    offset = newline + 1 + length + 1;
  }
  return contents;
}
