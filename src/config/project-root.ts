// Finds the repository root (nearest `.git` upward) with plain fs calls: no git process on the startup path.
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

function hasGitEntry(dir: string): boolean {
  try {
    return statSync(join(dir, ".git"), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // unreadable directory: keep looking upward
  }
}

/** The nearest directory at or above `cwd` holding `.git` (a directory, or a file for worktrees/submodules). */
export function findProjectRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  while (true) {
    if (hasGitEntry(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Directories from `top` down to `cwd`, inclusive (just `cwd` when it is not below `top`). */
export function directoriesDownTo(top: string, cwd: string): string[] {
  const bottom = resolve(cwd);
  const dirs: string[] = [];
  let dir = bottom;
  while (true) {
    dirs.push(dir);
    if (dir === top) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (dirs[dirs.length - 1] !== top && top !== bottom) return [bottom];
  return dirs.reverse();
}
