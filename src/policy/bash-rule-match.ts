// Bash permission rules matched against a command: `prefix:*`, exact and wildcard contents, and the variants a
// deny or ask rule must see through (wrappers, quoting, paths to the binary, `sh -c`, `eval`, substitutions).
import { basename } from "node:path";
import { parse as parseShell } from "shell-quote";
import { SHELLS, WRAPPERS } from "./bash-deny-unknown.js";
import { splitCompoundCommand } from "./bash-split.js";

function normalizeCommand(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

export function commandMatches(content: string, command: string): boolean {
  const text = normalizeCommand(command);
  if (content.endsWith(":*")) {
    const prefix = normalizeCommand(content.slice(0, -2));
    return text === prefix || text.startsWith(`${prefix} `);
  }
  if (content.includes("*")) {
    const source = normalizeCommand(content)
      .split("*")
      .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${source}$`, "s").test(text);
  }
  return text === normalizeCommand(content);
}

/** Wrappers that run their argument; a deny rule must see through them (`sudo rm` is still `rm`). */
function stripForDeny(text: string): string {
  let rest = text.trim();
  for (;;) {
    const next = rest
      .replace(/^[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+/, "")
      .replace(/^(?:sudo|command|exec|nohup|time|env|builtin)\s+/, "");
    if (next === rest) return rest;
    rest = next;
  }
}

/** Commands hidden inside `$(…)` and backticks, so that deny rules apply to them too. */
function innerCommands(text: string): string[] {
  const inner: string[] = [];
  for (const m of text.matchAll(/\$\(([^()]*)\)|`([^`]*)`|[<>]\(([^()]*)\)/g)) {
    const body = m[1] ?? m[2] ?? m[3];
    if (body) inner.push(...splitCompoundCommand(body).map((p) => p.text));
  }
  return inner;
}

/** Words that may open a simple command without being its name. */
const LEADING = new Set(["(", "{", "}", "!", "if", "then", "else", "elif", "do", "while", "until", "time"]);

/**
 * The same simple command as bash sees it: quotes and backslashes removed (`\rm`, `'rm'`, `r''m`), a path
 * reduced to its name (`/bin/rm`), wrappers' arguments tried as commands, `sh -c '…'` and `eval …` opened.
 */
function denyVariants(text: string, depth = 0): string[] {
  let entries: ReturnType<typeof parseShell>;
  try {
    entries = parseShell(text, (name: string) => `$${name}`);
  } catch {
    return [];
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") words.push(entry);
    else if ("op" in entry && entry.op === "glob") words.push(entry.pattern);
    else if ("comment" in entry) break;
  }
  while (words.length > 0 && (LEADING.has(words[0]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)))
    words.shift();
  if (words.length === 0) return [];
  const named = (rest: string[]) => [basename(rest[0]!), ...rest.slice(1)].join(" ");
  const out: string[] = [];
  // After a wrapper any later word may be the command (`sudo -u root rm`); bounded, as each start costs a join.
  const starts = WRAPPERS.has(basename(words[0]!)) ? Math.min(words.length, 256) : 1;
  for (let i = 0; i < starts; i++) {
    const rest = words.slice(i);
    const head = basename(rest[0]!);
    out.push(named(rest));
    if (depth >= 3) continue;
    if (SHELLS.has(head)) {
      const flag = rest.findIndex((w, j) => j > 0 && /^-[a-z]*c[a-z]*$/.test(w));
      const script = flag > 0 ? rest[flag + 1] : undefined;
      if (script) out.push(...commandsForDeny(script, depth + 1));
    }
    if (head === "eval") out.push(...commandsForDeny(rest.slice(1).join(" "), depth + 1));
  }
  return out;
}

/** Every simple command a deny/ask rule should look at. */
export function commandsForDeny(command: string, depth = 0): string[] {
  const parts = splitCompoundCommand(command).map((p) => p.text);
  const all = [...parts, ...parts.flatMap(innerCommands)];
  return [
    ...new Set([...all, ...all.map(stripForDeny), ...all.flatMap((part) => denyVariants(part, depth))]),
  ];
}
