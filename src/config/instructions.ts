// Discovers the instruction files (CLAUDE.md, CLAUDE.local.md, .claude/CLAUDE.md, AGENTS.md) from the user's
// config home and from the repository root down to the working directory, follows `@path` imports, drops
// duplicates and applies per-file and total size budgets with a visible marker where text was cut.

import { closeSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, parse, resolve, sep } from "node:path";
import { extractImports, resolveImport } from "./instruction-imports.js";
import { directoriesDownTo, findProjectRoot } from "./project-root.js";
import type { SettingSource } from "./settings.js";

export interface InstructionFile {
  path: string;
  content: string;
  /** True when the content was cut (or left out) by a budget; the content then ends with a marker. */
  truncated: boolean;
  /** The file whose `@path` line pulled this one in. */
  importedFrom?: string;
}

export type SkippedImportKind = "outside" | "declined" | "denied";

export interface LoadInstructionFilesOptions {
  cwd: string;
  configHome: string;
  /** For `@~/...` imports (defaults to $HOME). */
  home?: string;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  /**
   * Told about each `@import` left out: outside the project and the config home and not approved ("outside"),
   * declined by the user for this project ("declined"), or covered by a Read deny rule ("denied").
   */
  onSkippedImport?: (path: string, importedFrom: string, why: string, kind: SkippedImportKind) => void;
  /** The user's decision on an import outside the project and the config home (by real path). */
  importDecision?: (realPath: string) => "allow" | "deny" | undefined;
  /** True when a Read deny rule covers the path: such a file is never imported. */
  isImportDenied?: (path: string) => boolean;
  /** --setting-sources: the user's CLAUDE.md needs "user", the project's files need "project" (default: both). */
  settingSources?: readonly SettingSource[];
}

/** Looked for in every directory from the root down to cwd, in this order. */
const INSTRUCTION_FILE_NAMES = ["CLAUDE.md", "CLAUDE.local.md", join(".claude", "CLAUDE.md"), "AGENTS.md"];
const MAX_IMPORT_DEPTH = 5;
const DEFAULT_MAX_FILE_BYTES = 40 * 1024;
const DEFAULT_MAX_TOTAL_BYTES = 120 * 1024;

interface Found {
  path: string;
  text: string;
  bytes: number;
  importedFrom?: string;
  cutByFileBudget: boolean;
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`;
}

function withMarker(text: string, marker: string): string {
  return `${text.replace(/\s+$/, "")}\n\n${marker}`;
}

/** Cuts to at most maxBytes of UTF-8, on a character boundary, preferring the end of a line. */
function truncateUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, "utf8");
  if (buffer.length <= maxBytes) return text;
  let cut = Math.max(0, maxBytes);
  while (cut > 0 && ((buffer[cut] as number) & 0xc0) === 0x80) cut--;
  const newline = buffer.lastIndexOf(10, cut - 1);
  if (newline >= cut * 0.8) cut = newline + 1;
  return buffer.subarray(0, cut).toString("utf8");
}

/** Reads at most `limit` bytes (a huge file costs no more than the budget) and reports the full size. */
function readInstructionFile(
  path: string,
  limit: number,
): { real: string; text: string; size: number } | undefined {
  let fd: number | undefined;
  try {
    const real = realpathSync.native(path);
    fd = openSync(real, "r");
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(stat.size, limit));
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, length);
    // Binary files are not instructions.
    if (bytes.subarray(0, 8192).includes(0)) return undefined;
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { real, text: bytes.subarray(bom).toString("utf8"), size: stat.size - bom };
  } catch {
    return undefined; // missing or unreadable: not an instruction file
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function loadInstructionFiles(options: LoadInstructionFilesOptions): InstructionFile[] {
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxTotal = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const home = options.home ?? (process.env.HOME || homedir());
  const seen = new Set<string>();
  const groups: Found[][] = [];

  const cwd = resolve(options.cwd);
  const root = findProjectRoot(cwd) ?? parse(cwd).root;
  // A repository's CLAUDE.md may import only from the project and the config home: `@~/.netrc` or
  // `@../../secret` would otherwise put any file the user can read into the prompt, unasked.
  const allowedRoots = [findProjectRoot(cwd) ?? cwd, options.configHome].map(realOrSelf);
  const importAllowed = (path: string) => {
    const real = realOrSelf(path);
    return allowedRoots.some((dir) => real === dir || real.startsWith(dir.endsWith(sep) ? dir : dir + sep));
  };

  // The user's own CLAUDE.md (in the config home) may import from anywhere: the user wrote those lines.
  const userFile = join(options.configHome, "CLAUDE.md");
  const visit = (path: string, depth: number, group: Found[], importedFrom?: string, own = false): void => {
    if (importedFrom && !own && !importAllowed(path)) {
      const decision = options.importDecision?.(realOrSelf(path));
      if (decision !== "allow") {
        const declined = decision === "deny";
        options.onSkippedImport?.(
          path,
          importedFrom,
          declined
            ? "you declined it for this project"
            : 'it is outside the project and the config home (approve it when the REPL asks, or list it in "approvedImports" in your settings)',
          declined ? "declined" : "outside",
        );
        return;
      }
    }
    // Deny rules apply to approved imports as well.
    if (importedFrom && (options.isImportDenied?.(path) || options.isImportDenied?.(realOrSelf(path)))) {
      options.onSkippedImport?.(path, importedFrom, "a Read deny rule covers it", "denied");
      return;
    }
    // A few extra bytes so a cut never lands inside a multi-byte character without us knowing.
    const read = readInstructionFile(path, maxFile + 4);
    if (!read || seen.has(read.real)) return; // missing, a duplicate, or an import cycle
    seen.add(read.real);
    const bytes = read.size;
    const cutByFileBudget = bytes > maxFile;
    const text = cutByFileBudget
      ? withMarker(
          truncateUtf8(read.text, maxFile),
          `[claw: truncated here — ${path} is ${formatSize(bytes)}; only the first ${formatSize(maxFile)} is included. Read the file for the rest.]`,
        )
      : read.text;
    group.push({ path, text, bytes: Math.min(bytes, maxFile), importedFrom, cutByFileBudget });
    if (depth >= MAX_IMPORT_DEPTH) return;
    for (const token of extractImports(text)) {
      visit(resolveImport(token, dirname(path), home), depth + 1, group, path, own);
    }
  };

  // --setting-sources: the user's CLAUDE.md needs "user", the project's files need "project".
  const sources = options.settingSources;
  const top = !sources || sources.includes("user") ? [join(options.configHome, "CLAUDE.md")] : [];
  for (const dir of !sources || sources.includes("project") ? directoriesDownTo(root, cwd) : []) {
    for (const name of INSTRUCTION_FILE_NAMES) top.push(join(dir, name));
  }
  for (const path of top) {
    const group: Found[] = [];
    visit(path, 0, group, undefined, path === userFile);
    if (group.length > 0) groups.push(group);
  }
  return applyTotalBudget(groups, maxTotal);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Spends the total budget from the most specific files (nearest the working directory) outward, so a huge
 * user-level file cannot crowd out the project's own instructions; reading order is kept.
 */
function applyTotalBudget(groups: Found[][], maxTotal: number): InstructionFile[] {
  let remaining = maxTotal;
  const results = new Map<Found, InstructionFile>();
  for (const group of [...groups].reverse()) {
    for (const found of group) {
      const base = { path: found.path, ...(found.importedFrom ? { importedFrom: found.importedFrom } : {}) };
      if (found.bytes <= remaining) {
        remaining -= found.bytes;
        results.set(found, { ...base, content: found.text, truncated: found.cutByFileBudget });
      } else if (remaining >= 1024) {
        const content = withMarker(
          truncateUtf8(found.text, remaining),
          `[claw: truncated here — instruction files exceed the ${formatSize(maxTotal)} total budget. Read ${found.path} for the rest.]`,
        );
        remaining = 0;
        results.set(found, { ...base, content, truncated: true });
      } else {
        const content = `[claw: not included — instruction files exceed the ${formatSize(maxTotal)} total budget. Read ${found.path} if it is relevant.]`;
        results.set(found, { ...base, content, truncated: true });
      }
    }
  }
  return groups.flat().map((found) => results.get(found) as InstructionFile);
}
