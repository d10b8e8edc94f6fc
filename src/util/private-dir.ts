// The per-session scratch directory under the shared temp dir, made safe against other local users: the
// per-user parent must be a real directory owned by us and closed to others, or we use a fresh private one.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `<tmp>/claw-<uid>/<id>`, mode 0700. Another user can create `/tmp/claw-<uid>` first (or a symlink by that
 * name) and then swap our session dir for links to files of ours; spilled command output would overwrite
 * them. When the parent is not ours, not a plain directory, or cannot be closed, a fresh mkdtemp dir is used.
 */
export function privateScratchDir(id: string, tmp: string = tmpdir()): string {
  const uid = process.getuid?.();
  const base = join(tmp, `claw-${uid ?? "user"}`);
  if (isPrivateDir(base, uid)) {
    const dir = join(base, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
  return mkdtempSync(join(tmp, `claw-${uid ?? "user"}-${id}-`));
}

function isPrivateDir(path: string, uid: number | undefined): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
  }
  try {
    const stat = lstatSync(path);
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) return false;
    // Ours but opened up (umask 000, an old version): close it again.
    if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o700);
    return true;
  } catch {
    return false;
  }
}
