// With a Bash deny or ask rule in force, claw must know which program a command runs: a copy or link of a
// denied binary under another name (`cp /usr/bin/curl ./c; ./c …`) matches no rule by name. So a program is
// identified only when it is a shell builtin, or a file found through PATH outside the places a command can
// write unasked (the workspace, temp folders), or a path into such a PATH folder or the system's own folders.
// Anything else — `./c`, `/tmp/x`, a name not on PATH yet, a glob — is unidentified, and the call asks.
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, isAbsolute, resolve, sep } from "node:path";
import { commandWords, LEADING, SHELLS, substitutionBodies, WRAPPERS } from "./bash-deny-unknown.js";
import { splitCompoundCommand } from "./bash-split.js";
import type { ShellWord } from "./bash-words.js";
import { type PermissionRule, ruleCoversTool } from "./permission-rules.js";
import type { PermissionDecision, PermissionMode } from "./permission-types.js";

const BUILTINS = new Set(
  (
    ": . [ alias bg break builtin caller cd command compgen complete continue declare dirs disown echo enable " +
    "eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd " +
    "printf pushd pwd read readarray readonly return set shift shopt source suspend test times trap true " +
    "type typeset ulimit umask unalias unset wait"
  ).split(" "),
);

/** Folders whose programs belong to the system (package managers write there, commands do not unasked). */
const SYSTEM_PREFIXES = ["/usr/", "/bin/", "/sbin/", "/lib", "/opt/", "/nix/store/", "/snap/", "/System/"];

export interface ProgramPlaces {
  /** The command's working directory. */
  cwd: string;
  /** Folders a command may write without asking (workspace roots, extra directories), resolved. */
  writable: readonly string[];
  /** PATH of the command's environment. */
  path: string | undefined;
}

function real(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function executableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function scratchFolders(places: ProgramPlaces): string[] {
  const temp = [tmpdir(), "/tmp", "/var/tmp", "/dev/shm"].map((dir) => real(dir) ?? dir);
  return [...places.writable, ...temp];
}

function inScratch(path: string, places: ProgramPlaces): boolean {
  return scratchFolders(places).some((folder) => inside(path, folder));
}

/** PATH's absolute folders outside the writable places (resolved); the rest cannot vouch for a program. */
function trustedPathDirs(places: ProgramPlaces): string[] {
  const out: string[] = [];
  for (const dir of (places.path ?? "").split(":")) {
    if (!isAbsolute(dir)) continue;
    const resolved = real(dir);
    if (resolved && !inScratch(resolved, places)) out.push(resolved);
  }
  return out;
}

/** Why a bare program name is not identified, or undefined. */
function nameReason(name: string, places: ProgramPlaces): string | undefined {
  if (BUILTINS.has(name)) return undefined;
  for (const dir of (places.path ?? "").split(":")) {
    const candidate = resolve(places.cwd, dir || ".", name);
    if (!executableFile(candidate)) continue;
    const resolved = real(candidate);
    if (!isAbsolute(dir) || !resolved || inScratch(resolved, places))
      return `"${name}" is found in ${dir || "."}, a folder commands can write to`;
    return undefined;
  }
  return `"${name}" is not a program on PATH (it may be one the command makes)`;
}

/**
 * Why a path to a program is not identified, or undefined. `argument`: the word may be a mere argument (after
 * a wrapper), so an existing file that is not executable, or a folder, is not a program. A path that does not
 * exist yet counts either way: the command may create it first (`cp … t && timeout 5 ./t`).
 */
function pathReason(text: string, places: ProgramPlaces, argument: boolean): string | undefined {
  const absolute = resolve(places.cwd, text);
  const resolved = real(absolute);
  if (!resolved) return `"${text}" does not exist yet`;
  if (argument && !executableFile(resolved)) return undefined;
  const dir = resolved.slice(0, resolved.lastIndexOf(sep)) || sep;
  if (trustedPathDirs(places).includes(dir) && !inScratch(resolved, places)) return undefined;
  if (SYSTEM_PREFIXES.some((prefix) => resolved.startsWith(prefix)) && !inScratch(resolved, places))
    return undefined;
  return `"${text}" is a program outside the system's folders, perhaps a copy of a denied one`;
}

function wordReason(word: ShellWord, places: ProgramPlaces, isHead: boolean): string | undefined {
  if (word.opaque) return undefined; // unknownCommandReason already counts it as matching
  if (word.pattern !== undefined)
    return isHead ? `the program "${word.text}" is a pattern claw cannot identify` : undefined;
  if (word.text.includes("/")) return pathReason(word.text, places, !isHead);
  const reason = nameReason(word.text, places);
  // After a wrapper most words are arguments: a name counts only when PATH finds it in a writable folder.
  return isHead || reason?.includes("is found in") ? reason : undefined;
}

/**
 * Why the command runs a program claw cannot identify, or undefined. After a wrapper (`timeout 5 ./c`,
 * `find . -exec ./c`), later words that are paths to programs count too; `sh -c '…'` is opened.
 */
export function unidentifiedProgram(command: string, places: ProgramPlaces, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  for (const part of splitCompoundCommand(command)) {
    for (const body of substitutionBodies(part.text)) {
      const inner = unidentifiedProgram(body, places, depth + 1);
      if (inner) return inner;
    }
    const words = commandWords(part.text);
    let first = 0;
    while (first < words.length) {
      const word = words[first] as ShellWord;
      if ((LEADING.has(word.text) && !word.pattern) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text)) first++;
      else break;
    }
    const head = words[first];
    if (!head) continue;
    const reason = wordReason(head, places, true);
    if (reason) return reason;
    const name = basename(head.text);
    if (SHELLS.has(name)) {
      const flag = words.findIndex((w, i) => i > first && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text));
      const script = flag < 0 ? undefined : words[flag + 1];
      if (script && !script.opaque) {
        const inner = unidentifiedProgram(script.text, places, depth + 1);
        if (inner) return inner;
      }
    }
    if (!WRAPPERS.has(name)) continue;
    for (const word of words.slice(first + 1)) {
      const inner = word.text.startsWith("-") ? undefined : wordReason(word, places, false);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * The ask for a command whose program claw cannot identify while a Bash rule with a pattern is in force
 * (deny rules in every mode, ask rules where they apply), or undefined.
 */
export function unidentifiedUnderRules(
  rules: { deny: readonly PermissionRule[]; ask: readonly PermissionRule[] },
  command: string,
  places: ProgramPlaces,
  mode: PermissionMode,
): PermissionDecision | undefined {
  const named = (list: readonly PermissionRule[]) =>
    list.find((rule) => rule.content !== undefined && ruleCoversTool(rule, "Bash"));
  const rule = named(rules.deny) ?? (mode === "danger-full-access" ? undefined : named(rules.ask));
  if (!rule) return undefined;
  const why = unidentifiedProgram(command, places);
  if (!why) return undefined;
  return {
    behavior: "ask",
    reason: `${why}; with the rule "${rule.source}" in force, claw cannot tell whether this runs what it names.`,
  };
}
