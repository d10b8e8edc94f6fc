// A Bash deny (or ask) rule must also catch a command that may run what it names but does not say so in
// plain words: `/usr/bin/cu?l`, `curl${IFS}x`, `$(echo curl)`, `$c x`, `printf … | sh`, `python -c …`,
// `git -c alias.x='!curl …' x`. Claw cannot know what such a command runs, so it counts as matching.
import { basename } from "node:path";
import { globMatches } from "./bash-glob.js";
import { splitCompoundCommand } from "./bash-split.js";
import { type ShellWord, shellWords } from "./bash-words.js";

export const SHELLS: ReadonlySet<string> = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "fish",
  "csh",
  "tcsh",
  "ash",
  "yash",
  "rbash",
]);

/** Programs that run code given inline, on stdin or in a file: what they run is not in the command line. */
const INTERPRETER =
  /^(python[0-9.]*|pypy[0-9.]*|node(js)?|deno|bun|perl[0-9.]*|ruby[0-9.]*|irb|php[0-9.]*|lua[0-9.]*|luajit|tclsh[0-9.]*|wish|[gmn]?awk|osascript|pwsh|powershell|Rscript|julia|expect|jshell|groovy|gdb)$/;

/** Commands that run the rest of their words (or one of them) as a command. */
export const WRAPPERS: ReadonlySet<string> = new Set([
  "sudo",
  "doas",
  "command",
  "builtin",
  "exec",
  "nohup",
  "time",
  "env",
  "nice",
  "ionice",
  "timeout",
  "stdbuf",
  "setsid",
  "xargs",
  "find",
  "watch",
  "flock",
  "chrt",
  "taskset",
  "unbuffer",
  "busybox",
  "toybox",
  "strace",
  "ltrace",
  "valgrind",
  "fakeroot",
  "chroot",
  "unshare",
  "nsenter",
  "firejail",
  "runuser",
  "su",
  "script",
  "parallel",
  "ssh",
  "eval",
  "trap",
]);

/** Variables that decide which program runs or what it runs when set for a command (`PATH=. ls`). */
const EXECUTION_VARIABLE =
  /^(PATH|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_ENV|ENV|IFS|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|GIT_[A-Z_]+|[A-Z_]*PAGER|EDITOR|VISUAL|PERL5OPT|PERL5LIB|PYTHONSTARTUP|PYTHONPATH|NODE_OPTIONS|RUBYOPT)=/;

export const LEADING: ReadonlySet<string> = new Set([
  "!",
  "{",
  "}",
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "time",
  "fi",
  "done",
]);
// `alias c=curl`, `hash -p ./c curl` and `enable -f lib.so c` change what a later name runs.
const OPAQUE_KEYWORDS = new Set([
  "case",
  "function",
  "select",
  "coproc",
  "[[",
  "((",
  "source",
  ".",
  "alias",
  "hash",
  "enable",
]);
/** Builtins that set variables: `export PATH=.` decides what later names run. */
const DECLARATIONS = new Set(["export", "declare", "typeset", "readonly", "local"]);
const REDIRECTION = /^(\d*|&)(<|>|>>|<<|<<-|<<<|<>|>\||>&|<&|&>|&>>)$/;

/** The bodies of `$(…)`, backticks and `<(…)`/`>(…)`, outermost first, nested ones included by recursion. */
export function substitutionBodies(text: string): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
      continue;
    }
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      bodies.push(text.slice(i + 1, end < 0 ? undefined : end));
      if (end < 0) break;
      i = end;
      continue;
    }
    if ((ch === "$" || ch === "<" || ch === ">") && text[i + 1] === "(") {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "(") depth++;
        else if (text[j] === ")" && --depth === 0) break;
      }
      bodies.push(text.slice(i + 2, j));
      i = j;
    }
  }
  return bodies;
}

/** The words of the rule's fixed beginning: `git push:*` → git, push; `rm * -rf` → rm. */
function ruleWords(content: string): string[] {
  const body = content.endsWith(":*") ? content.slice(0, -2) : content;
  const words: string[] = [];
  for (const word of body.trim().split(/\s+/)) {
    if (word.includes("*") || word === "") break;
    words.push(word);
  }
  return words;
}

/** The words that make up the command proper: no operators, no redirections and their targets. */
export function commandWords(text: string): ShellWord[] {
  const out: ShellWord[] = [];
  let skipNext = false;
  for (const word of shellWords(text)) {
    if (word.op) {
      skipNext = REDIRECTION.test(word.text);
      continue;
    }
    if (skipNext) {
      skipNext = false;
      continue;
    }
    out.push(word);
  }
  return out;
}

function wordMayBe(word: ShellWord, wanted: string, isProgram: boolean): boolean {
  if (word.pattern !== undefined) {
    const pattern = isProgram ? word.pattern.slice(word.pattern.lastIndexOf("/") + 1) : word.pattern;
    return globMatches(pattern, wanted);
  }
  return (isProgram ? basename(word.text) : word.text) === wanted;
}

/** Why running `sed` with these words may execute commands (GNU sed's `e` command and `s///e` flag). */
function sedExecutes(words: readonly ShellWord[]): boolean {
  return words.some(
    (w) =>
      /(^|[;{}\n\d$/!]\s*)e(\s|;|$)/.test(w.text) || /\/[gpiImMw0-9]*e[gpiImMw0-9]*(\s|;|}|$)/.test(w.text),
  );
}

/**
 * Why the command may run what the rule names although its plain words do not show it, or undefined.
 * `content` is the rule's specifier (`curl:*`); the ordinary prefix match is done by the caller.
 */
export function unknownCommandReason(content: string, command: string, depth = 0): string | undefined {
  if (depth > 4) return "it nests shells too deeply to check";
  const prefix = ruleWords(content);
  for (const part of splitCompoundCommand(command)) {
    for (const body of substitutionBodies(part.text)) {
      const inner = unknownCommandReason(content, body, depth + 1);
      if (inner) return inner;
    }
    const reason = simpleCommandReason(prefix, content, part.text, depth);
    if (reason) return reason;
  }
  return undefined;
}

function simpleCommandReason(
  prefix: string[],
  content: string,
  text: string,
  depth: number,
): string | undefined {
  if (/^\s*[A-Za-z_][\w.:-]*\s*\(\s*\)/.test(text)) return "it defines a shell function";
  const words = commandWords(text);
  let first = 0;
  for (; first < words.length; first++) {
    const word = words[first]!;
    if (word.opaque && first === 0) break;
    if (LEADING.has(word.text) && !word.pattern) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text)) {
      if (EXECUTION_VARIABLE.test(word.text)) return `it sets ${word.text.split("=")[0]} for the command`;
      continue;
    }
    break;
  }
  const head = words[first];
  if (!head) return undefined;
  if (!head.opaque && !head.pattern && OPAQUE_KEYWORDS.has(head.text))
    return `"${head.text}" runs commands claw cannot see`;
  if (!head.opaque && !head.pattern && DECLARATIONS.has(head.text)) {
    const set = words
      .slice(first + 1)
      .find((w) => EXECUTION_VARIABLE.test(w.text) || (w.opaque && !/^[A-Za-z_]\w*=/.test(w.text)));
    if (set) return `it sets ${set.text.split("=")[0]}, which decides what later commands run`;
  }
  const starts =
    !head.opaque && !head.pattern && WRAPPERS.has(basename(head.text)) ? words.length : first + 1;
  for (let start = first; start < starts; start++) {
    const reason = startReason(prefix, content, words.slice(start), depth);
    if (reason) return reason;
  }
  return undefined;
}

/** The command that starts at words[0]: a program and its arguments. */
function startReason(
  prefix: string[],
  content: string,
  words: ShellWord[],
  depth: number,
): string | undefined {
  const head = words[0]!;
  if (head.opaque) return `${head.opaque}: claw cannot see which program "${head.text}" runs`;
  const name = basename(head.text);
  if (!head.pattern) {
    const rest = words.slice(1);
    const hidden = rest.find((w) => w.opaque);
    if (SHELLS.has(name)) {
      const flag = rest.findIndex((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text));
      const script = flag < 0 ? undefined : rest[flag + 1];
      if (!script || script.opaque) return `${name} runs a script claw cannot read`;
      const inner = unknownCommandReason(content, script.text, depth + 1);
      if (inner) return inner;
    }
    if (INTERPRETER.test(name)) return `${name} runs code claw cannot check`;
    if (name === "sed" && sedExecutes(rest)) return "sed's e command runs programs";
    if (name === "git" && rest.some((w) => /^(-c|--config-env)(=|$)|^-c./.test(w.text)))
      return "git -c can define aliases and programs git runs";
    if (name === "xargs" && rest.some((w) => /^(-[a-zA-Z]*[IiJ]|--replace)/.test(w.text)))
      return "xargs builds the command from its input";
    if (WRAPPERS.has(name)) {
      // `watch 'curl x'`, `su -c 'curl x'`, `eval "curl x"`: a word that is itself a command line.
      if (hidden && (name === "eval" || name === "trap"))
        return `${name} runs "${hidden.text}", which claw cannot see`;
      for (const word of rest) {
        if (word.opaque || !/\s/.test(word.text)) continue;
        const inner = unknownCommandReason(content, word.text, depth + 1);
        if (inner) return inner;
      }
    }
  }
  // Word by word against the rule's fixed beginning: a glob may be the named word, an opaque word anything.
  let guessed: ShellWord | undefined;
  for (const [index, wanted] of prefix.entries()) {
    const word = words[index];
    if (!word) return undefined;
    if (word.opaque) return `${word.opaque}: claw cannot see what "${word.text}" becomes`;
    if (!wordMayBe(word, wanted, index === 0)) return undefined;
    if (word.pattern !== undefined) guessed ??= word;
  }
  if (guessed) return `the pattern "${guessed.text}" may expand to what the rule names`;
  // Inside a quoted script or a substitution the plain words match too (`watch 'curl x'`).
  return depth > 0 && prefix.length > 0 ? "it runs the command inside a quoted script" : undefined;
}
