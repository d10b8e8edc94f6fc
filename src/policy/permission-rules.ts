// Claude Code permission rules: parsing `Tool(specifier)` and matching one tool call against them.
// Bash by command (prefix `:*`, exact, wildcard), file tools by gitignore-style path globs, WebFetch by domain.
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import picomatch from "picomatch";
import { unknownCommandReason } from "./bash-deny-unknown.js";
import { commandMatches, commandsForDeny } from "./bash-rule-match.js";
import { splitCompoundCommand } from "./bash-split.js";

export type RuleBehavior = "allow" | "ask" | "deny";

export interface PermissionRule {
  /** The rule as written by the user, for messages. */
  source: string;
  /** Canonical tool name (aliases resolved), or an MCP prefix like `mcp__server`. */
  tool: string;
  /** The text inside the parentheses; undefined for a bare rule (`Bash`, `Bash(*)`). */
  content?: string;
}

/** The seed's and a few snake_case names, accepted in rules and flags. */
const TOOL_ALIASES: Record<string, string> = {
  read_file: "Read",
  write_file: "Write",
  edit_file: "Edit",
  glob_search: "Glob",
  grep_search: "Grep",
  bash: "Bash",
  web_fetch: "WebFetch",
  todo_write: "TodoWrite",
  notebook_edit: "NotebookEdit",
  // Claude Code 1.x's name for the Agent tool.
  Task: "Agent",
};

/** Rules on these names cover the whole family (Claude Code: Read rules apply to Grep/Glob, Edit to all edits). */
const RULE_FAMILIES: Record<string, readonly string[]> = {
  Read: ["Read", "Glob", "Grep"],
  Edit: ["Edit", "Write", "NotebookEdit"],
};

export function canonicalToolName(name: string): string {
  return Object.hasOwn(TOOL_ALIASES, name) ? TOOL_ALIASES[name]! : name;
}

export function parsePermissionRule(
  text: string,
): { ok: true; rule: PermissionRule } | { ok: false; error: string } {
  const source = text.trim();
  const match = /^([A-Za-z0-9_.*-]+)(?:\((.*)\))?$/s.exec(source);
  if (!match) {
    return {
      ok: false,
      error: `Invalid permission rule "${text}": write Tool or Tool(specifier), e.g. Bash(npm test:*) or Edit(src/**).`,
    };
  }
  const tool = canonicalToolName(match[1]!);
  const raw = match[2]?.trim();
  const content = raw === undefined || raw === "" || raw === "*" ? undefined : raw;
  return { ok: true, rule: { source, tool, ...(content === undefined ? {} : { content }) } };
}

/** One path a call touches: as written (made absolute) and after resolving symlinks. */
export interface TargetPath {
  lexical: string;
  resolved: string;
}

export interface RuleTarget {
  /** Canonical tool name. */
  toolName: string;
  /** Bash: the command line. */
  command?: string;
  /** WebFetch: the URL. */
  url?: string;
  paths: TargetPath[];
}

export interface MatchContext {
  /** The directory relative rules are anchored to, lexical and resolved. */
  cwds: readonly string[];
  home?: string;
}

export function ruleCoversTool(rule: PermissionRule, toolName: string): boolean {
  if (rule.tool.startsWith("mcp__")) {
    const parts = rule.tool.split("__");
    // mcp__server and mcp__server__* cover every tool of the server; mcp__server__tool is exact.
    if (parts.length === 2 || (parts.length === 3 && parts[2] === "*"))
      return toolName.startsWith(`mcp__${parts[1]}__`);
    return rule.tool === toolName;
  }
  const family = RULE_FAMILIES[rule.tool];
  return family ? family.includes(toolName) : rule.tool === toolName;
}

// ---- paths ----

/**
 * A gitignore-style glob as a matcher over a slash-separated relative path: picomatch, with `*` and `**` matching
 * dotfiles too (a rule on `**\/*.env` must cover `.env`), braces and classes as the Glob tool takes them.
 */
const matchers = new Map<string, (path: string) => boolean>();
function globMatcher(glob: string): (path: string) => boolean {
  let matcher = matchers.get(glob);
  if (!matcher) {
    matcher = picomatch(glob, { dot: true });
    matchers.set(glob, matcher);
  }
  return matcher;
}

/** Why a rule can never match anything, or undefined. Such a rule is reported when the gate is built. */
export function ruleNeverMatches(rule: PermissionRule): string | undefined {
  if (rule.content === undefined) return undefined;
  if (rule.tool === "WebFetch") {
    return rule.content.startsWith("domain:")
      ? undefined
      : `WebFetch rules name a domain; write WebFetch(domain:${rule.content.replace(/^https?:\/\//, "").split("/")[0]})`;
  }
  if (!PATH_TOOLS.has(rule.tool)) return undefined;
  try {
    picomatch.makeRe(rule.content, { dot: true });
  } catch (error) {
    return `the path pattern cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  return undefined;
}

const PATH_TOOLS = new Set(["Read", "Edit", "Write", "NotebookEdit", "Glob", "Grep"]);

function toSlashes(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** The path itself and each ancestor: a rule on a directory covers what is inside (gitignore semantics). */
function selfAndAncestors(rel: string): string[] {
  const segments = rel.split("/");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

/** Where a path pattern is anchored: the directories it is relative to, or nowhere (a bare name). */
function patternAnchor(
  pattern: string,
  ctx: MatchContext,
  upward: boolean,
): { bases: readonly string[]; body: string; anchored: boolean } {
  let body = pattern;
  let bases: readonly string[] = ctx.cwds;
  let anchored = true;
  if (body.startsWith("//")) {
    bases = ["/"];
    body = body.slice(2);
  } else if (body === "~" || body.startsWith("~/")) {
    bases = [ctx.home ?? homedir()];
    body = body.slice(2);
  } else if (body.startsWith("./")) body = body.slice(2);
  else if (body.startsWith("/")) body = body.slice(1);
  else anchored = body.replace(/\/+$/, "").includes("/");
  body = body.replace(/\/+$/, "");
  // A deny of `../secrets/**` is anchored above the working directory: move the base up instead of never matching.
  while (upward && anchored && body.startsWith("../")) {
    bases = bases.map((base) => dirname(base));
    body = body.slice(3);
  }
  if (body === "") body = "**";
  return { bases, body, anchored };
}

function isSameOrInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * True when the rule may cover `dir` or something below it, so a command that reads everything below
 * `dir` (`grep -r`, `git grep` in a work tree) may read what the rule protects.
 */
export function ruleMayCoverBelow(rule: PermissionRule, dir: string, ctx: MatchContext): boolean {
  if (rule.content === undefined) return true;
  const { bases, body, anchored } = patternAnchor(rule.content, ctx, true);
  if (!anchored) return true;
  const literal: string[] = [];
  for (const segment of body.split("/")) {
    if (/[*?[{]/.test(segment)) break;
    literal.push(segment);
  }
  return bases.some((base) => {
    const area = join(base, ...literal);
    return isSameOrInside(area, dir) || isSameOrInside(dir, area);
  });
}

/** `upward`: a `../` pattern reaches above the working directory (deny and ask rules only: they only tighten). */
function pathPatternMatches(pattern: string, absPath: string, ctx: MatchContext, upward = false): boolean {
  const { bases, body, anchored } = patternAnchor(pattern, ctx, upward);
  // `dir/**` covers the directory itself too: searching it (Grep, Glob) reads what is inside.
  const globs = [globMatcher(body)];
  if (body.endsWith("/**") && body.length > 3) globs.push(globMatcher(body.slice(0, -3)));
  const regex = { test: (text: string) => globs.some((matches) => matches(text)) };
  if (!anchored) {
    // No slash: the name may appear at any depth (like `*.env` in .gitignore).
    return toSlashes(absPath)
      .split("/")
      .some((segment) => segment !== "" && regex.test(segment));
  }
  return bases.some((base) => {
    const rel = relative(base, absPath);
    if (rel === "") return body === "**";
    if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
    return selfAndAncestors(toSlashes(rel)).some((candidate) => regex.test(candidate));
  });
}

function domainMatches(content: string, url: string | undefined): boolean {
  if (!content.startsWith("domain:") || !url) return false;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  const domain = content.slice("domain:".length).trim().toLowerCase().replace(/^\*\./, "");
  return host === domain || host.endsWith(`.${domain}`);
}

// ---- matching ----

export type MatchMode = "deny" | "allow";

/**
 * Whether one rule matches the call. Deny/ask matching is generous (any part of a compound command,
 * lexical or resolved path); allow matching is strict (handled per part / per resolved path by the caller).
 */
function ruleMatches(rule: PermissionRule, target: RuleTarget, ctx: MatchContext, mode: MatchMode): boolean {
  if (!ruleCoversTool(rule, target.toolName)) return false;
  if (rule.content === undefined) return true;
  const content = rule.content;
  if (target.toolName === "Bash") {
    const command = target.command ?? "";
    if (mode === "deny")
      return (
        commandsForDeny(command).some((part) => commandMatches(content, part)) ||
        unknownCommandReason(content, command) !== undefined
      );
    return commandMatches(content, command);
  }
  if (target.toolName === "WebFetch") return domainMatches(content, target.url);
  if (target.paths.length === 0) return false;
  if (mode === "deny") {
    return target.paths.some(
      (p) =>
        pathPatternMatches(content, p.lexical, ctx, true) ||
        pathPatternMatches(content, p.resolved, ctx, true),
    );
  }
  // Allow looks at where the call really lands: a symlink inside an allowed dir may point elsewhere.
  return target.paths.every((p) => pathPatternMatches(content, p.resolved, ctx));
}

/** The first deny (or ask) rule that matches any part of the call. */
export function findMatchingRule(
  rules: readonly PermissionRule[],
  target: RuleTarget,
  ctx: MatchContext,
): PermissionRule | undefined {
  return rules.find((rule) => ruleMatches(rule, target, ctx, "deny"));
}

/**
 * The allow rule(s) that cover the whole call, or undefined. For Bash every part of a compound
 * command must be covered, and a part with a substitution or a file redirection is covered only by
 * a bare `Bash` rule (a prefix rule cannot vouch for what `$(…)` or `> file` does).
 */
export function findAllowingRules(
  rules: readonly PermissionRule[],
  target: RuleTarget,
  ctx: MatchContext,
  /** Bash parts that need no rule (provably read-only, checked by the caller). */
  isSafeBashPart: (text: string) => boolean = () => false,
): PermissionRule[] | undefined {
  const bare = rules.find((rule) => rule.content === undefined && ruleCoversTool(rule, target.toolName));
  if (bare) return [bare];
  if (target.toolName === "Bash") {
    const parts = splitCompoundCommand(target.command ?? "");
    if (parts.length === 0) return undefined;
    const used: PermissionRule[] = [];
    for (const part of parts) {
      if (part.hasSubstitution || part.hasFileRedirection) return undefined;
      if (isSafeBashPart(part.text)) continue;
      const rule = rules.find((r) => ruleMatches(r, { ...target, command: part.text }, ctx, "allow"));
      if (!rule) return undefined;
      if (!used.includes(rule)) used.push(rule);
    }
    return used.length > 0 ? used : undefined;
  }
  if (target.paths.length > 1) {
    // Each path may be allowed by a different rule.
    const used: PermissionRule[] = [];
    for (const path of target.paths) {
      const rule = rules.find((r) => ruleMatches(r, { ...target, paths: [path] }, ctx, "allow"));
      if (!rule) return undefined;
      if (!used.includes(rule)) used.push(rule);
    }
    return used;
  }
  const rule = rules.find((r) => ruleMatches(r, target, ctx, "allow"));
  return rule ? [rule] : undefined;
}
