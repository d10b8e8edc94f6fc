// Decides whether a Bash command is provably read-only (safe in read-only mode and without asking).
// Anything we cannot verify is "not read-only". Splitting compound commands lives in bash-split.ts.
import { type ReadScope, readScope } from "./bash-reads.js";
import { shellWords } from "./bash-words.js";

export type ReadOnlyVerdict =
  | {
      readOnly: true;
      /** Arguments that name files (checked against the workspace and Read rules). */
      paths: string[];
      /** Arguments that may also name files (grep's pattern, `--file=x` values): checked against deny rules only. */
      otherArgs: string[];
      /** Present when the command reads more than its paths: below directories, or any file git has. */
      reads?: ReadScope;
    }
  | { readOnly: false; reason: string };

/** Options or words that make an otherwise read-only command write, delete or run something. */
interface CommandSpec {
  /** Short option letters that are dangerous, also inside clusters like `-ro`. */
  shortFlags?: string;
  /** Long options that are dangerous; GNU tools accept unique prefixes, so prefixes are refused too. */
  longFlags?: readonly string[];
  /** Whole words that are dangerous (find's predicates). */
  words?: RegExp;
  /** Maximum number of positional arguments (`uniq in out` writes its second one). */
  maxPositionals?: number;
  /** The first positional is a pattern, not a path (grep, rg). */
  patternFirst?: boolean;
  /**
   * Options that supply the pattern or read it from a file (`-e x`, `-f file`, `--files`): with any of them
   * the first positional is a path too. Letters in `fileShort`/names in `fileLong` take a file as value.
   */
  patternFrom?: { short: string; long: readonly string[]; fileShort: string; fileLong: readonly string[] };
}

const plain: CommandSpec = {};

const GREP: CommandSpec = {
  // -R follows symlinks while recursing, out of the workspace; -r does not.
  shortFlags: "R",
  longFlags: ["dereference-recursive"],
  patternFirst: true,
  patternFrom: { short: "e", long: ["regexp"], fileShort: "f", fileLong: ["file"] },
};

/** `--check` reads the files a checksum list names. */
const CHECKSUM: CommandSpec = { shortFlags: "c", longFlags: ["check"] };

const COMMANDS: Record<string, CommandSpec> = {
  // Changes only the shell's directory; its target is checked like a path (workspace, Read rules).
  cd: plain,
  ls: plain,
  cat: plain,
  head: plain,
  tail: plain,
  wc: { longFlags: ["files0-from"] },
  pwd: plain,
  echo: plain,
  printf: plain,
  grep: GREP,
  egrep: GREP,
  fgrep: GREP,
  rg: {
    // -L follows symlinks out of the workspace.
    shortFlags: "L",
    longFlags: ["pre", "hostname-bin", "follow"],
    patternFirst: true,
    patternFrom: { short: "e", long: ["regexp", "files", "type-list"], fileShort: "f", fileLong: ["file"] },
  },
  // -files0-from (like --files0-from, -f, --check and --pathspec-from-file below) takes the names to read from
  // a file: claw sees the list's name, never the files in it.
  find: { words: /^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls|files0-from)$/ },
  // --files0-from reads a list of names and then those files, which no argument shows.
  du: { longFlags: ["files0-from"] },
  df: plain,
  stat: plain,
  file: { shortFlags: "Cf", longFlags: ["compile", "files-from"] },
  which: plain,
  basename: plain,
  dirname: plain,
  realpath: plain,
  readlink: plain,
  uname: plain,
  whoami: plain,
  id: plain,
  true: plain,
  false: plain,
  diff: plain,
  cmp: plain,
  sort: { shortFlags: "o", longFlags: ["output", "compress-program", "files0-from"] },
  cut: plain,
  tr: plain,
  nl: plain,
  tac: plain,
  rev: plain,
  // -R re-runs tree with -o in every directory.
  tree: { shortFlags: "oR", longFlags: ["output", "fromfile"] },
  jq: {
    patternFirst: true,
    patternFrom: { short: "", long: [], fileShort: "fL", fileLong: ["from-file", "library-path"] },
  },
  md5sum: CHECKSUM,
  sha1sum: CHECKSUM,
  sha256sum: CHECKSUM,
  cksum: CHECKSUM,
  od: plain,
  hexdump: plain,
  seq: plain,
};

/** git subcommands that only read; their diff-family options that write files or run programs are refused. */
const GIT_READ_ONLY = new Set([
  "status",
  "log",
  "diff",
  "show",
  "branch",
  "rev-parse",
  "ls-files",
  "ls-tree",
  "blame",
  "grep",
  "shortlog",
  "describe",
  "cat-file",
  "remote",
]);
const GIT_DANGEROUS: CommandSpec = {
  longFlags: ["output", "ext-diff", "open-files-in-pager", "pathspec-from-file"],
};
const GIT_BRANCH_WRITES = "dDmMcCuft";
const GIT_BRANCH_LONG_WRITES = [
  "delete",
  "move",
  "copy",
  "force",
  "set-upstream-to",
  "unset-upstream",
  "edit-description",
  "track",
  "no-track",
  "create-reflog",
  "recurse-submodules",
];
const GIT_BRANCH_LISTING = /^(-l|--list|--contains|--no-contains|--merged|--no-merged|--points-at)(=.*)?$/;

type Scan = { ok: true } | { ok: false; reason: string };

/**
 * Refuses anything whose meaning depends on the shell rather than on the words: unquoted operators,
 * redirections, expansions, comments, braces, newlines. shell-quote alone is not enough here: it
 * treats a newline as a space and `a#; rm x` as a comment, where bash runs `rm x`.
 */
function scanForShellSyntax(command: string): Scan {
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    const code = ch.charCodeAt(0);
    if (quote === "'") {
      if (ch === "'") quote = null;
      continue;
    }
    if (ch === "$" || ch === "`")
      return { ok: false, reason: "it uses variable expansion or command substitution" };
    if (code < 0x20 && ch !== "\t")
      return { ok: false, reason: "it contains a newline or control character" };
    if (ch === "\\") {
      i++;
      const next = command[i];
      if (next === undefined || next === "\n" || next === "\r")
        return { ok: false, reason: "it ends with a line continuation" };
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      continue;
    }
    if (";&|".includes(ch)) {
      const operator = /^[;&|]+/.exec(command.slice(i))?.[0] ?? ch; // "&&", "||", ";" …
      return { ok: false, reason: `it uses the shell operator "${operator}"` };
    }
    if ("<>".includes(ch)) return { ok: false, reason: "it uses a redirection" };
    if ("()".includes(ch)) return { ok: false, reason: "it uses a subshell or process substitution" };
    if ("{}".includes(ch)) return { ok: false, reason: "it uses brace expansion" };
    if (ch === "#") return { ok: false, reason: "it contains a comment character" };
    // `~user`, `~+`, `~-` expand to other directories than the word says; only `~` and `~/…` are checked.
    const wordStart = i === 0 || [" ", "\t", "=", ":"].includes(command[i - 1]!);
    if (ch === "~" && wordStart && !["/", " ", "\t", undefined].includes(command[i + 1]))
      return { ok: false, reason: "it uses tilde expansion" };
  }
  if (quote) return { ok: false, reason: "it has an unterminated quote" };
  return { ok: true };
}

/** One argument as the command receives it; `glob` marks a word claw got by expanding a pattern itself. */
type Word = { text: string; glob: boolean };

export interface ClassifyOptions {
  /**
   * Expands a glob pattern against the filesystem as the shell will (see bash-glob.ts); undefined when it
   * cannot. Without it, or when it gives up, a command with a glob is not provably read-only.
   */
  expandGlob?: (pattern: string) => string[] | undefined;
}

/** The command's words with every glob replaced by what it expands to, or why that cannot be known. */
function toWords(command: string, options: ClassifyOptions): Word[] | string {
  const words: Word[] = [];
  for (const [index, word] of shellWords(command).entries()) {
    if (word.op) return "it uses shell syntax that cannot be verified";
    if (word.opaque) return `${word.opaque}: claw cannot see what "${word.text}" becomes`;
    if (word.pattern === undefined) {
      words.push({ text: word.text, glob: false });
      continue;
    }
    // A pattern in the command's or git's subcommand's place names a program claw cannot check.
    if (index === 0) return "the command name is a glob pattern";
    const expanded = options.expandGlob?.(word.pattern);
    if (!expanded) return `claw cannot tell what the glob "${word.text}" expands to`;
    for (const text of expanded) words.push({ text, glob: true });
  }
  return words;
}

function dangerousOption(word: string, spec: CommandSpec): boolean {
  if (spec.words?.test(word)) return true;
  if (word.startsWith("--")) {
    const name = word.slice(2).split("=")[0]!;
    // GNU getopt_long and git's parse-options accept unambiguous prefixes (`--out` = `--output`).
    return name.length > 0 && (spec.longFlags ?? []).some((flag) => flag.startsWith(name));
  }
  if (word.startsWith("-") && word.length > 1 && spec.shortFlags) {
    return [...word.slice(1)].some((letter) => spec.shortFlags!.includes(letter));
  }
  return false;
}

/**
 * True when an option supplies the pattern (`-e x`, `-fFILE`, `--regexp=x`, `rg --files`), so that no
 * positional is the pattern. Collects the values of file-taking options that are attached to the option.
 */
function patternSupplied(args: Word[], spec: CommandSpec, attachedFiles: string[]): boolean {
  const from = spec.patternFrom;
  if (!from) return false;
  const longNames = [...from.long, ...from.fileLong];
  let supplied = false;
  for (const arg of args) {
    const text = arg.text;
    if (text === "--") break;
    if (text.startsWith("--")) {
      const [name = "", ...value] = text.slice(2).split("=");
      if (name === "" || !longNames.some((flag) => flag.startsWith(name))) continue;
      supplied = true;
      if (value.length > 0 && from.fileLong.some((flag) => flag.startsWith(name)))
        attachedFiles.push(value.join("="));
    } else if (text.startsWith("-") && text.length > 1) {
      // In a cluster like `-rf../x` the first value-taking letter takes the rest of the word.
      for (let i = 1; i < text.length; i++) {
        const letter = text[i]!;
        if (!from.short.includes(letter) && !from.fileShort.includes(letter)) continue;
        supplied = true;
        const rest = text.slice(i + 1);
        if (rest && from.fileShort.includes(letter)) attachedFiles.push(rest);
        break;
      }
    }
  }
  return supplied;
}

function checkArgs(command: string, args: Word[], spec: CommandSpec): ReadOnlyVerdict {
  const paths: string[] = [];
  const otherArgs: string[] = [];
  // With `-e x` or `-f file` every positional is a file; an attached `-fFILE` names one too.
  const patternFirst = spec.patternFirst === true && !patternSupplied(args, spec, paths);
  let positionals = 0;
  let endOfOptions = false;
  for (const arg of args) {
    if (!endOfOptions && arg.text === "--") {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && arg.text.startsWith("-") && arg.text !== "-") {
      if (dangerousOption(arg.text, spec))
        return { readOnly: false, reason: `"${command} ${arg.text}" can write files or run programs` };
      const value = arg.text.indexOf("=");
      if (value > 0) {
        // `--from-file=../x`: any option value may name a file, so it is checked like a path too.
        otherArgs.push(arg.text.slice(value + 1));
        paths.push(arg.text.slice(value + 1));
      }
      continue;
    }
    if (spec.words?.test(arg.text))
      return { readOnly: false, reason: `"${command} ${arg.text}" can write files or run programs` };
    positionals++;
    if (patternFirst && positionals === 1) {
      // The pattern: not a file, but deny rules still see it. A word from a glob is a file name whatever
      // place the shell's sort order gives it.
      otherArgs.push(arg.text);
      if (!arg.glob) continue;
    }
    paths.push(arg.text);
  }
  if (spec.maxPositionals !== undefined && positionals > spec.maxPositionals)
    return { readOnly: false, reason: `${command} with ${positionals} arguments can write a file` };
  return { readOnly: true, paths: [...new Set(paths)], otherArgs };
}

function checkGit(args: Word[]): ReadOnlyVerdict {
  let rest = args;
  while (rest[0]?.text === "--no-pager") rest = rest.slice(1);
  const sub = rest[0];
  if (!sub || sub.glob || !GIT_READ_ONLY.has(sub.text))
    return { readOnly: false, reason: `"git ${sub?.text ?? ""}" is not a known read-only git command` };
  const subArgs = rest.slice(1);
  if (sub.text === "remote") {
    const okRemote = subArgs.every((a) => a.text === "-v" || a.text === "--verbose");
    return okRemote
      ? { readOnly: true, paths: [], otherArgs: [] }
      : { readOnly: false, reason: "only `git remote` and `git remote -v` are read-only" };
  }
  if (sub.text === "branch") {
    const spec: CommandSpec = { shortFlags: GIT_BRANCH_WRITES, longFlags: GIT_BRANCH_LONG_WRITES };
    const listing = subArgs.some((a) => GIT_BRANCH_LISTING.test(a.text));
    const hasPositional = subArgs.some((a) => !a.text.startsWith("-"));
    if (hasPositional && !listing)
      return { readOnly: false, reason: "`git branch <name>` creates a branch; use `git branch --list`" };
    const verdict = checkArgs("git branch", subArgs, spec);
    return verdict.readOnly ? { readOnly: true, paths: [], otherArgs: [] } : verdict;
  }
  const grepSpec: CommandSpec = {
    ...GIT_DANGEROUS,
    shortFlags: "O",
    patternFirst: true,
    patternFrom: { short: "e", long: ["regexp"], fileShort: "f", fileLong: [] },
  };
  return checkArgs(`git ${sub.text}`, subArgs, sub.text === "grep" ? grepSpec : GIT_DANGEROUS);
}

/** True only for a single simple command from the read-only list with no dangerous options. */
export function classifyBashCommand(command: string, options: ClassifyOptions = {}): ReadOnlyVerdict {
  const trimmed = command.trim();
  if (trimmed === "") return { readOnly: false, reason: "the command is empty" };
  const scan = scanForShellSyntax(trimmed);
  if (!scan.ok) return { readOnly: false, reason: `it is not provably read-only: ${scan.reason}` };
  const words = toWords(trimmed, options);
  if (typeof words === "string") return { readOnly: false, reason: `it is not provably read-only: ${words}` };
  const [head, ...args] = words;
  if (!head) return { readOnly: false, reason: "the command name is not a plain word" };
  const spec = Object.hasOwn(COMMANDS, head.text) ? COMMANDS[head.text] : undefined;
  if (!spec && head.text !== "git")
    return { readOnly: false, reason: `"${head.text}" is not a known read-only command` };
  const verdict = spec ? checkArgs(head.text, args, spec) : checkGit(args);
  if (!verdict.readOnly) return verdict;
  const reads = readScope(
    head.text,
    args.map((a) => a.text),
  );
  return reads.recursive || reads.printsRepository ? { ...verdict, reads } : verdict;
}
