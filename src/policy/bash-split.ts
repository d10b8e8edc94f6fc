// Splits a shell command line into its simple commands (quote-aware, including bash's $'…' quoting and
// comments), so "every part must match" permission rules cannot be fooled by quoting tricks.

export interface CommandPart {
  /** The part's text, trimmed. */
  text: string;
  /** `$(…)`, backticks or process substitution: its effects are invisible to a prefix rule. */
  hasSubstitution: boolean;
  /** An output redirection to a file (not /dev/null, not fd duplication). */
  hasFileRedirection: boolean;
}

/** Splits `a && b || c; d | e` into its simple commands (quote-aware), for "every part must match" rules. */
export function splitCompoundCommand(command: string): CommandPart[] {
  const parts: CommandPart[] = [];
  let current = "";
  // `$'` is ANSI-C quoting, where `\'` is a quote character that does not end the string.
  let quote: "'" | '"' | "$'" | null = null;
  let depth = 0; // inside $( … )
  let hasSubstitution = false;
  const push = () => {
    const text = current.trim();
    if (text) parts.push({ text, hasSubstitution, hasFileRedirection: hasFileRedirection(text) });
    current = "";
    hasSubstitution = false;
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    const next = command[i + 1];
    if (quote === "'") {
      current += ch;
      if (ch === "'") quote = null;
      continue;
    }
    if (quote === "$'") {
      current += ch;
      if (ch === "\\") {
        current += next ?? "";
        i++;
      } else if (ch === "'") quote = null;
      continue;
    }
    if (ch === "\\") {
      current += ch + (next ?? "");
      i++;
      continue;
    }
    if (!quote && ch === "$" && next === "'") {
      quote = "$'";
      current += "$'";
      i++;
      continue;
    }
    if (!quote && ch === "#" && (current === "" || /[\s()<>]$/.test(current))) {
      // A comment, quotes and all, up to the end of the line: bash ignores it, and a quote in it must not
      // make the next line look quoted (`npm test #'` newline `rm x`).
      while (i + 1 < command.length && command[i + 1] !== "\n") i++;
      continue;
    }
    if (ch === "`" || (ch === "$" && next === "(")) hasSubstitution = true;
    if ((ch === "<" || ch === ">") && next === "(" && !quote) hasSubstitution = true;
    if (ch === "$" && next === "(") {
      depth++;
      current += "$(";
      i++;
      continue;
    }
    if (ch === ")" && depth > 0 && !quote) {
      depth--;
      current += ch;
      continue;
    }
    if (quote === '"') {
      current += ch;
      if (ch === '"') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
      continue;
    }
    if (depth === 0 && (ch === ";" || ch === "\n" || ch === "|" || ch === "&")) {
      // `>&` and `&>` are redirections, not separators.
      const prev = current[current.length - 1];
      if (ch === "&" && (prev === ">" || prev === "<" || next === ">")) {
        current += ch;
        continue;
      }
      push();
      if ((ch === "&" && next === "&") || (ch === "|" && (next === "|" || next === "&"))) i++;
      continue;
    }
    current += ch;
  }
  push();
  return parts;
}

/** The text with quoted strings and backslash-escaped characters replaced by `_`, quote-aware like bash. */
function maskQuoted(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\") {
      out += "__";
      i++;
      continue;
    }
    const ansi = ch === "$" && text[i + 1] === "'";
    if (ch !== "'" && ch !== '"' && !ansi) {
      out += ch;
      continue;
    }
    const close = ansi ? "'" : ch;
    const escapes = ch === '"' || ansi;
    let j = i + (ansi ? 2 : 1);
    while (j < text.length && text[j] !== close) j += escapes && text[j] === "\\" ? 2 : 1;
    out += "_".repeat(Math.min(j, text.length - 1) - i + 1);
    i = j;
  }
  return out;
}

function hasFileRedirection(text: string): boolean {
  // Mask quoted strings and escaped characters, then look for `>`/`>>` whose target is a file (fd
  // duplication and /dev/null are harmless).
  const unquoted = maskQuoted(text);
  for (const match of unquoted.matchAll(/(\d*|&)>>?\s*(&?)(\S*)/g)) {
    const dup = match[2] === "&";
    const target = match[3] ?? "";
    if (dup && /^\d+$|^-$/.test(target)) continue;
    if (target === "/dev/null") continue;
    return true;
  }
  return false;
}
