// Puts a rewind plan on disk: removes the files claw created, then writes back the old bytes (atomically,
// with the executable bit and symlinks as git kept them). Nothing is written through a symlink that leads
// out of the workspace.
import { promises as fs } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "../../util/atomic-write.js";
import type { RewindPlan } from "./rewind-plan.js";
import type { ShadowRepo } from "./shadow-git.js";
import { readBlobs } from "./snapshot.js";

export interface RestoreOutcome {
  restored: string[];
  removed: string[];
  /** Files that could not be restored, with the reason. */
  failed: Array<{ path: string; reason: string }>;
}

async function realRoot(workTree: string): Promise<string> {
  try {
    return await fs.realpath(workTree);
  } catch {
    return resolve(workTree);
  }
}

/** True when the nearest existing folder of `path` is inside the workspace once symlinks are resolved. */
async function parentInside(root: string, path: string): Promise<boolean> {
  let dir = dirname(path);
  for (;;) {
    try {
      const real = await fs.realpath(dir);
      return real === root || real.startsWith(root + sep);
    } catch {
      const up = dirname(dir);
      if (up === dir) return false;
      dir = up;
    }
  }
}

/** Removes folders left empty by a removal, up to (not including) the workspace root. */
async function pruneEmptyParents(root: string, path: string): Promise<void> {
  let dir = dirname(path);
  while (dir !== root && dir.startsWith(root + sep)) {
    try {
      await fs.rmdir(dir);
    } catch {
      return; // not empty (or gone): stop here
    }
    dir = dirname(dir);
  }
}

function fileMode(gitMode: string, existing: number | undefined): number {
  const executable = gitMode === "100755";
  if (existing === undefined) return executable ? 0o755 : 0o644;
  return executable ? existing | 0o111 : existing & ~0o111;
}

export async function applyRewindPlan(repo: ShadowRepo, plan: RewindPlan): Promise<RestoreOutcome> {
  const root = await realRoot(repo.workTree);
  const outcome: RestoreOutcome = { restored: [], removed: [], failed: [] };
  const at = (path: string) => join(root, path);
  const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

  for (const path of plan.remove) {
    const full = at(path);
    if (!(await parentInside(root, full))) {
      outcome.failed.push({ path, reason: "its folder now leads outside the workspace" });
      continue;
    }
    try {
      await fs.rm(full, { force: true });
      await pruneEmptyParents(root, full);
      outcome.removed.push(path);
    } catch (error) {
      outcome.failed.push({ path, reason: reason(error) });
    }
  }

  const blobs = await readBlobs(
    repo,
    [...plan.restore.values()].map((e) => e.blob),
  );
  for (const [path, entry] of plan.restore) {
    const full = at(path);
    const bytes = blobs.get(entry.blob);
    if (!bytes) {
      outcome.failed.push({ path, reason: "its saved content is missing from the checkpoint store" });
      continue;
    }
    try {
      if (!(await parentInside(root, full)) || relative(root, full).startsWith("..")) {
        outcome.failed.push({ path, reason: "its folder now leads outside the workspace" });
        continue;
      }
      await fs.mkdir(dirname(full), { recursive: true });
      const existing = await fs.lstat(full).catch(() => undefined);
      if (existing?.isDirectory()) {
        outcome.failed.push({ path, reason: "a folder now has its name" });
        continue;
      }
      if (entry.mode === "120000") {
        if (existing) await fs.rm(full, { force: true });
        await fs.symlink(bytes.toString("utf8"), full);
      } else {
        const mode = existing?.isFile() ? existing.mode & 0o7777 : undefined;
        if (existing && !existing.isFile()) await fs.rm(full, { force: true });
        await writeFileAtomic(full, bytes, { mode: fileMode(entry.mode, mode) });
      }
      outcome.restored.push(path);
    } catch (error) {
      outcome.failed.push({ path, reason: reason(error) });
    }
  }
  return outcome;
}
