// Expands a shell glob against the filesystem the way the user's shell will, so the permission check sees
// the words the command really gets (`[-]exec` → `-exec`, `d*/*` → `d1/environ` through a symlink).
// Where shells differ it errs towards more words: dotfiles and `.`/`..` whenever the pattern could match
// them (dash's `.?` matches `..`), every letter case, POSIX classes as any character. More words only
// means more checks; a missing word would be an unchecked one.
import { readdirSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { unescapePattern } from "./bash-words.js";

/** Beyond these the command asks instead of being checked word by word. */
const MAX_RESULTS = 500;
const MAX_ENTRIES_READ = 20_000;

export interface GlobContext {
  /** The directory relative patterns are expanded in. */
  cwd: string;
  /** The home directory, for `~/…`. */
  home: string;
}

/**
 * The words a glob pattern becomes: the matching paths, or the pattern itself (unescaped) when nothing
 * matches. Undefined when claw will not predict it (`**`, which zsh and globstar make recursive; too many).
 */
export function expandGlob(pattern: string, ctx: GlobContext): string[] | undefined {
  if (/(^|[^\\])\*\*/.test(pattern)) return undefined;
  let rest = pattern;
  let prefix = "";
  if (rest === "~" || rest.startsWith("~/")) {
    prefix = ctx.home.endsWith("/") ? ctx.home : `${ctx.home}/`;
    rest = rest.slice(2);
  } else if (rest.startsWith("/")) {
    prefix = "/";
    rest = rest.replace(/^\/+/, "");
  }
  const segments = rest.split("/");
  let candidates = [prefix];
  let budget = MAX_ENTRIES_READ;
  // Whether `.`/`..` matched: some shells skip them (bash 5.2), so the unmatched word stays possible too.
  let matchedDots = false;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    const matcher = segmentMatcher(segment);
    if (!matcher) {
      const literal = unescapePattern(segment);
      candidates = candidates.map((c) => c + literal + (last ? "" : "/"));
      continue;
    }
    const next: string[] = [];
    for (const candidate of candidates) {
      const dir = candidate === "" ? ctx.cwd : isAbsolute(candidate) ? candidate : join(ctx.cwd, candidate);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // not a directory, missing or unreadable: the shell finds nothing there either
      }
      budget -= names.length;
      if (budget < 0) return undefined;
      if (matcher.dots) names.push(".", "..");
      for (const name of names) {
        if (name.startsWith(".") && !matcher.dots) continue;
        if (!matcher.regex.test(name)) continue;
        next.push(candidate + name + (last ? "" : "/"));
        if (name === "." || name === "..") matchedDots = true;
      }
      if (next.length > MAX_RESULTS) return undefined;
    }
    candidates = next;
    if (candidates.length === 0) return [unescapePattern(pattern)];
  }
  if (matchedDots) candidates.push(unescapePattern(pattern));
  return [...new Set(candidates)].sort();
}

/** True when some segment of the pattern could match one of `names` (a file the command may create first). */
export function globMayName(pattern: string, names: readonly string[]): boolean {
  return pattern.split("/").some((segment) => {
    const matcher = segmentMatcher(segment);
    return matcher !== undefined && names.some((name) => matcher.regex.test(name));
  });
}

/** True when the shell could expand `pattern` to exactly `text` (a path matched segment by segment). */
export function globMatches(pattern: string, text: string): boolean {
  const segments = pattern.split("/");
  const names = text.split("/");
  if (segments.length !== names.length) return false;
  return segments.every((segment, i) => {
    const matcher = segmentMatcher(segment);
    return matcher ? matcher.regex.test(names[i]!) : unescapePattern(segment) === names[i];
  });
}

/** A matcher for one path segment, or undefined when the segment has no wildcard. */
function segmentMatcher(segment: string): { regex: RegExp; dots: boolean } | undefined {
  let source = "";
  let wild = false;
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === "\\" && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i]!);
      continue;
    }
    if (ch === "*") {
      source += ".*";
      wild = true;
    } else if (ch === "?") {
      source += ".";
      wild = true;
    } else if (ch === "[") {
      const bracket = bracketExpression(segment, i);
      if (!bracket) source += "\\[";
      else {
        source += bracket.source;
        i = bracket.end;
        wild = true;
      }
    } else source += escapeRegExp(ch);
  }
  if (!wild) return undefined;
  // Only an explicit leading `.` matches a dotfile in every shell; a bracket might in some, so it counts.
  const dots = segment.startsWith(".") || segment.startsWith("\\.") || segment.startsWith("[");
  try {
    return { regex: new RegExp(`^${source}$`, "isu"), dots };
  } catch {
    // A class the regex engine rejects (`[z-a]`): match everything rather than guess.
    return { regex: /^/, dots };
  }
}

/** `[…]` starting at `start` as a regex class, or undefined when it is not closed (then `[` is literal). */
function bracketExpression(segment: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (segment[i] === "!" || segment[i] === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let anyChar = false;
  for (let first = true; i < segment.length; first = false, i++) {
    const ch = segment[i]!;
    if (ch === "]" && !first) {
      // POSIX classes, equivalence classes and locale ranges are matched by any character: more, not fewer.
      if (anyChar) return { source: negate ? "[^/]" : ".", end: i };
      return { source: `[${negate ? "^" : ""}${body}]`, end: i };
    }
    if (ch === "[" && /[:=.]/.test(segment[i + 1] ?? "")) {
      const close = segment.indexOf(`${segment[i + 1]}]`, i + 2);
      if (close < 0) return undefined;
      anyChar = true;
      i = close + 1;
      continue;
    }
    if (ch === "\\" && i + 1 < segment.length) {
      body += escapeClassChar(segment[++i]!);
      continue;
    }
    if (ch === "-" && body !== "" && segment[i + 1] !== "]" && segment[i + 1] !== undefined) {
      body += "-";
      continue;
    }
    body += escapeClassChar(ch);
  }
  return undefined;
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function escapeClassChar(ch: string): string {
  return ch.replace(/[\]\\^-]/g, "\\$&");
}
