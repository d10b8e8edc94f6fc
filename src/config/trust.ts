// Workspace trust: which project folders the user has agreed may run their own hooks and MCP servers in the
// interactive REPL. Kept in <configHome>/trusted-folders.json, keyed by the real path of the project root.
import { readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { editJsonFile } from "../util/json-file-edit.js";
import { findProjectRoot } from "./project-root.js";

export interface TrustEntry {
  trustedAt: string;
}

export interface TrustLocation {
  cwd: string;
  configHome: string;
  /** For the home directory (HOME); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export function trustStorePath(configHome: string): string {
  return join(configHome, "trusted-folders.json");
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/** The folder a trust decision is about: the real path of the project root (nearest `.git`), else of cwd. */
export function trustFolderKey(cwd: string): string {
  return realpathOrSelf(findProjectRoot(cwd) ?? cwd);
}

type StoreDocument = Record<string, unknown> & { folders?: unknown };

/** The whole document; an unreadable or malformed file counts as empty (nothing is trusted). */
function readStore(configHome: string): StoreDocument {
  try {
    const parsed: unknown = JSON.parse(readFileSync(trustStorePath(configHome), "utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as StoreDocument;
  } catch {
    // missing or broken: nothing trusted
  }
  return {};
}

function folderMap(doc: StoreDocument): Record<string, TrustEntry> {
  const folders = doc.folders;
  if (typeof folders !== "object" || folders === null || Array.isArray(folders)) return {};
  const out: Record<string, TrustEntry> = {};
  for (const [path, entry] of Object.entries(folders)) {
    if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
      const at = (entry as Record<string, unknown>).trustedAt;
      out[path] = { trustedAt: typeof at === "string" ? at : "" };
    }
  }
  return out;
}

/** The trusted folders, real paths → entry. */
export function trustedFolders(configHome: string): Record<string, TrustEntry> {
  return folderMap(readStore(configHome));
}

function isAncestor(parent: string, child: string): boolean {
  if (parent === child) return false;
  const prefix = parent.endsWith(sep) ? parent : `${parent}${sep}`;
  return child.startsWith(prefix);
}

/**
 * Whether an entry for `entry` also covers folders below it. Broad entries do not: `/`, the home directory and
 * anything above the home directory trust only themselves. Otherwise answering "yes" once in `~` (a dotfiles
 * repository, or starting claw there by accident) would silently trust every project the user ever clones.
 * Narrower parents (`~/work`) do cover their subfolders, so a user can trust a tree of their own projects.
 */
function coversChildren(entry: string, home: string): boolean {
  if (entry === dirname(entry)) return false; // the filesystem root
  return entry !== home && !isAncestor(entry, home);
}

/** True when the project folder of `cwd`, or a narrower parent of it, has been trusted. */
export function isFolderTrusted(location: TrustLocation): boolean {
  const env = location.env ?? process.env;
  const key = trustFolderKey(location.cwd);
  const home = realpathOrSelf(env.HOME || homedir());
  for (const entry of Object.keys(trustedFolders(location.configHome))) {
    if (entry === key) return true;
    if (isAncestor(entry, key) && coversChildren(entry, home)) return true;
  }
  return false;
}

/**
 * Records the project folder of `cwd` as trusted; other folders and other keys in the file are kept. The
 * read-modify-write holds the file's lock, so two claws trusting folders at once both keep their entry.
 */
export async function trustFolder(location: TrustLocation, now: Date = new Date()): Promise<string> {
  const key = trustFolderKey(location.cwd);
  // A broken trust file is refused (with a message naming it), never silently replaced by one entry.
  await editJsonFile(
    trustStorePath(location.configHome),
    (doc) => {
      doc.folders = { ...folderMap(doc), [key]: { trustedAt: now.toISOString() } };
      return true;
    },
    { mode: 0o600 },
  );
  return key;
}
