// The workspace guard: resolves every path a tool touches to its real location (symlinks followed, also
// dangling ones and those under not-yet-existing parents) and checks separator-aware containment.
import { promises as fs, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { configHome } from "../util/config-home.js";
import type { WorkspaceGuard } from "./types.js";

const MAX_LINK_HOPS = 40;

class PathResolutionError extends Error {}

/** Expands `~` and `~/…` to the home directory and makes the path absolute against `cwd`. */
export function absolutePath(
  path: string,
  cwd: string,
  home: string = process.env.HOME || homedir(),
): string {
  let expanded = path;
  if (path === "~") expanded = home;
  else if (path.startsWith("~/")) expanded = join(home, path.slice(2));
  return isAbsolute(expanded) ? resolve(expanded) : resolve(cwd, expanded);
}

/**
 * The real location of `absolute`: realpath for existing paths; for missing ones the real nearest existing
 * parent plus the rest, following a dangling symlink to where it points (a write would land there).
 */
async function realLocation(absolute: string, hops = 0): Promise<string> {
  if (hops > MAX_LINK_HOPS) throw new PathResolutionError(`Too many levels of symbolic links at ${absolute}`);
  try {
    return await fs.realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new PathResolutionError(`Too many levels of symbolic links at ${absolute}`);
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
  }
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  const realParent = await realLocation(parent, hops);
  const candidate = join(realParent, basename(absolute));
  let target: string | null = null;
  try {
    const stat = await fs.lstat(candidate);
    if (stat.isSymbolicLink()) target = await fs.readlink(candidate);
  } catch {
    // Missing: the candidate is where the file would be created.
  }
  if (target === null) return candidate;
  return realLocation(resolve(realParent, target), hops + 1);
}

function realRoot(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** True when `path` is `root` or below it; `/w/proj-evil` is not inside `/w/proj`. */
function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

export interface WorkspaceGuardOptions {
  /** Home directory for `~` expansion; defaults to $HOME. */
  home?: string;
}

/** The workspace is `cwd` plus the `--add-dir` directories, each resolved to its real path. */
export function createWorkspaceGuard(
  cwd: string,
  addDirs: readonly string[] = [],
  options: WorkspaceGuardOptions = {},
): WorkspaceGuard {
  const home = options.home ?? (process.env.HOME || homedir());
  const realCwd = realRoot(resolve(cwd));
  const roots = [realCwd, ...addDirs.map((dir) => realRoot(absolutePath(dir, realCwd, home)))];
  const unique = [...new Set(roots)];
  return {
    roots: unique,
    resolve: (path: string) => realLocation(absolutePath(path, cwd, home)),
    // A hard link is another name for a file that may live outside: it counts as outside, like a symlink.
    contains: (resolvedPath: string) =>
      unique.some((root) => isInside(resolvedPath, root)) && hardLinkCount(resolvedPath) === undefined,
  };
}

/**
 * The number of names a regular file has when it has more than one (a hard link, maybe to a file outside the
 * workspace that no path shows), else undefined. Directories always have several and are not counted.
 */
export function hardLinkCount(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.nlink > 1 ? stat.nlink : undefined;
  } catch {
    return undefined;
  }
}

const SETTINGS_FILE = /^settings(\..*)?\.json$/i;

/**
 * Directory and file names that make a path protected wherever they appear. Compared without case: on
 * macOS and Windows `.GIT/hooks` is `.git/hooks`.
 */
export const PROTECTED_DOT_NAMES: readonly string[] = [
  ".git",
  ".claude",
  ".claw",
  ".husky",
  ".githooks",
  ".mcp.json",
];

/**
 * Paths whose change always needs the user's approval, even inside a writable root: git internals
 * (hooks, config), claw's/Claude Code's settings and hook scripts. Checked on the resolved path.
 */
export function isProtectedPath(resolvedPath: string, roots: readonly string[] = []): boolean {
  const parts = resolvedPath.split(sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.toLowerCase();
    if (part === ".git") return true;
    if (part === ".claude" || part === ".claw") {
      const next = parts[i + 1];
      if (next === undefined) continue;
      if (i + 2 === parts.length && SETTINGS_FILE.test(next)) return true;
      if (next.toLowerCase() === "hooks") return true;
    }
    if (part === ".husky" || part === ".githooks") return true;
    // Its servers start with the next claw in this project: a command line the model would choose.
    if (part === ".mcp.json" && i + 1 === parts.length) return true;
  }
  // The config home may be anywhere (CLAUDE_CONFIG_HOME): its settings, hooks and credentials count too.
  const config = realRoot(configHome());
  if (isInsideIgnoringCase(resolvedPath, config)) {
    const rest = resolvedPath.slice(config.length).split(sep).filter(Boolean);
    const name = rest[0] ?? "";
    if (rest.length === 1 && (SETTINGS_FILE.test(name) || CREDENTIAL_FILES.includes(name.toLowerCase())))
      return true;
    if (name.toLowerCase() === "hooks") return true;
  }
  return isHomeDotfile(resolvedPath, roots);
}

/** claw's saved login in the config home (Claude Code names it `.credentials.json`). */
export const CREDENTIAL_FILES: readonly string[] = ["credentials.json", ".credentials.json"];

/**
 * Shell and tool configuration in the home directory (`.bashrc`, `.gitconfig`, `.ssh/`, `.npmrc`,
 * `.config/…`): every dot entry there configures something that runs later. A workspace opened inside one
 * (`~/.config/nvim`) is the user's choice, so its own files are not protected by this rule.
 */
function isHomeDotfile(resolvedPath: string, roots: readonly string[]): boolean {
  const home = realRoot(process.env.HOME || homedir());
  if (!isInsideIgnoringCase(resolvedPath, home) || resolvedPath.length === home.length) return false;
  const first = resolvedPath.slice(home.length).split(sep).find(Boolean) ?? "";
  if (!first.startsWith(".")) return false;
  const dotEntry = join(home, first);
  return !roots.some(
    (root) => isInsideIgnoringCase(root, dotEntry) && isInsideIgnoringCase(resolvedPath, root),
  );
}

function isInsideIgnoringCase(path: string, root: string): boolean {
  return isInside(path.toLowerCase(), root.toLowerCase());
}
