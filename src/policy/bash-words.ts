// The words of one simple shell command as the shell will see them, with what claw cannot see marked:
// a word may be a glob pattern (unquoted `*`, `?`, `[`), which only the filesystem turns into words, or
// "opaque" (parameters, substitutions, `$'…'`, brace expansion, `~user`, zsh's `=cmd`), which nothing
// static can turn into words. Such a word may become an option, several words or another executable.

export interface ShellWord {
  /** The word after quote removal; an opaque word keeps its source text. */
  text: string;
  /** For a glob: the pattern, with quoted or escaped special characters backslash-escaped. */
  pattern?: string;
  /** Why the word's expansion cannot be known statically. */
  opaque?: string;
  /** An operator or redirection token (`<`, `>>`, `2>&1`, `(`, `|`): not a word of the command. */
  op?: boolean;
}

const GLOB_CHARS = "*?[";
const OPERATOR_CHARS = ";&|<>()";

function isBlank(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

/**
 * Splits one simple command into words. Unlike shell-quote it keeps track of which characters were
 * quoted, so `[-]exec` is a pattern and `'[-]exec'` is not, and it reports every expansion it cannot see.
 */
export function shellWords(command: string): ShellWord[] {
  const words: ShellWord[] = [];
  let text = "";
  let pattern = "";
  let glob = false;
  let opaque: string | undefined;
  let started = false;
  /** Positions in `text` of unquoted characters that matter after the fact (`{`, `}`, `~`, `=`, `:`). */
  const unquoted = new Set<number>();
  const flush = () => {
    if (!started) return;
    const word: ShellWord = { text };
    const brace = opaque ?? braceExpansion(text, unquoted);
    const tilde = brace ?? tildeExpansion(text, unquoted);
    if (tilde) word.opaque = tilde;
    else if (glob) word.pattern = pattern;
    words.push(word);
    text = "";
    pattern = "";
    glob = false;
    opaque = undefined;
    started = false;
    unquoted.clear();
  };
  const addQuoted = (ch: string) => {
    text += ch;
    pattern += GLOB_CHARS.includes(ch) || ch === "]" || ch === "\\" ? `\\${ch}` : ch;
    started = true;
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    const next = command[i + 1];
    if (isBlank(ch)) {
      flush();
      continue;
    }
    if (OPERATOR_CHARS.includes(ch)) {
      // A digit word right before a redirection is its file descriptor (`2>&1`), not an argument.
      const fd = /^\d+$/.test(text) && (ch === "<" || ch === ">") && started && !opaque && !glob;
      if (fd) text = pattern = "";
      else flush();
      started = false;
      let op = ch;
      while (i + 1 < command.length && OPERATOR_CHARS.includes(command[i + 1]!) && command[i + 1] !== "(")
        op += command[++i];
      if (op.endsWith("&") && /\d|-/.test(command[i + 1] ?? "")) op += command[++i]; // `>&2`, `<&-`
      words.push({ text: op, op: true });
      continue;
    }
    if (ch === "\\") {
      if (next === undefined) break;
      i++;
      if (next !== "\n") addQuoted(next);
      continue;
    }
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      const body = command.slice(i + 1, end < 0 ? undefined : end);
      for (const c of body) addQuoted(c);
      started = true;
      i = end < 0 ? command.length : end;
      continue;
    }
    if (ch === "$" && (next === "'" || next === '"')) {
      opaque ??= next === "'" ? "it uses $'…' quoting" : 'it uses $"…" quoting';
    }
    if (ch === "`" || (ch === "$" && next !== undefined && /[A-Za-z0-9_{(@*#?$!-]/.test(next))) {
      opaque ??= ch === "`" || next === "(" ? "it uses command substitution" : "it uses a shell variable";
    }
    if (ch === '"') {
      started = true;
      for (i++; i < command.length && command[i] !== '"'; i++) {
        const c = command[i]!;
        if (c === "\\" && i + 1 < command.length && '$`"\\\n'.includes(command[i + 1]!)) {
          i++;
          if (command[i] !== "\n") addQuoted(command[i]!);
          continue;
        }
        if (c === "`" || (c === "$" && /[A-Za-z0-9_{(@*#?$!-]/.test(command[i + 1] ?? "")))
          opaque ??=
            c === "`" || command[i + 1] === "(" ? "it uses command substitution" : "it uses a shell variable";
        addQuoted(c);
      }
      continue;
    }
    if (GLOB_CHARS.includes(ch)) glob = true;
    unquoted.add(text.length);
    text += ch;
    pattern += ch;
    started = true;
  }
  flush();
  return words;
}

/** `{a,b}` and `{1..3}` become several words; a lone `{`, `}` or `{}` stays itself. */
function braceExpansion(text: string, unquoted: ReadonlySet<number>): string | undefined {
  if (text === "{" || text === "}" || text === "{}") return undefined;
  const open = [...unquoted].find((i) => text[i] === "{");
  if (open === undefined) return undefined;
  const close = [...unquoted].find((i) => i > open && text[i] === "}");
  return close === undefined ? undefined : "it uses brace expansion";
}

/**
 * `~` and `~/…` are the home directory, which claw knows; `~user`, `~+`, `~-` are not. Bash also expands a
 * tilde after `=` or `:` in a word that looks like an assignment; zsh turns a leading `=cmd` into a path.
 */
function tildeExpansion(text: string, unquoted: ReadonlySet<number>): string | undefined {
  if (unquoted.has(0) && text[0] === "=" && text.length > 1) return "zsh expands a leading =";
  for (const i of unquoted) {
    if (text[i] !== "~") continue;
    const starts = i === 0 || ((text[i - 1] === "=" || text[i - 1] === ":") && unquoted.has(i - 1));
    if (!starts) continue;
    const after = text[i + 1];
    if (after !== undefined && after !== "/" && after !== ":") return "it uses tilde expansion";
  }
  return undefined;
}

/** Removes the backslash escapes of a pattern: the word the shell passes when nothing matches. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\(.)/g, "$1");
}
