// What the OS sandbox hides from commands: a built-in list of secret stores plus everything Read deny rules
// forbid. A rule whose pattern is a plain path (`Read(./secrets/**)`, `Read(~/.kube)`) hides that path; a
// pattern with wildcards in the middle or no slash (`Read(**/*.pem)`, `Read(.env)`) is expanded over the
// workspace at each call, since a bind mount needs concrete paths.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parsePermissionRule } from "./permission-rules.js";

/** Secret stores no sandboxed command may read, relative to the home directory. */
const HOME_SECRETS = [".ssh", ".aws", ".gnupg"];

/** Directory entries one expansion looks at, at most (a huge tree is cut short rather than slowing every call). */
const WALK_LIMIT = 50_000;

export interface SandboxReadDenyOptions {
  denyRules: readonly string[];
  /** Relative rules are anchored here (lexical and real cwd). */
  cwds: readonly string[];
  home: string;
  /** claw's own credentials file (in the config home). */
  credentialsFile: string;
  workspaceRoots: readonly string[];
  /** The gate's own matcher, so expansion agrees with what Read refuses. */
  isReadDenied: (absolutePath: string) => boolean;
}

export interface SandboxReadDeny {
  /** Fixed paths: built-in secrets and the plain paths of rules (they may not exist yet). */
  readonly fixed: readonly string[];
  /** The rules expanded by walking the workspace (empty when none need it). */
  readonly patterns: readonly string[];
  /** Every path to hide for one call: the fixed ones plus the current matches of the patterns. */
  pathsForCall(): string[];
}

export function createSandboxReadDeny(options: SandboxReadDenyOptions): SandboxReadDeny {
  const fixed = new Set<string>([
    ...HOME_SECRETS.map((name) => join(options.home, name)),
    options.credentialsFile,
  ]);
  const patterns: string[] = [];
  const walkFrom = new Set<string>();
  for (const text of options.denyRules) {
    const parsed = parsePermissionRule(text);
    if (!parsed.ok || parsed.rule.tool !== "Read") continue;
    const content = parsed.rule.content;
    if (content === undefined) continue; // `Read` alone: the gate refuses every read; not a path to hide
    const plan = planRule(content, options);
    for (const path of plan.hide) fixed.add(path);
    for (const dir of plan.walk) walkFrom.add(dir);
    if (plan.walk.length > 0) patterns.push(content);
  }
  return {
    fixed: [...fixed],
    patterns,
    pathsForCall() {
      const found = new Set(fixed);
      if (walkFrom.size > 0) {
        const budget = { left: WALK_LIMIT };
        for (const dir of walkFrom) collectDenied(dir, options.isReadDenied, found, budget);
      }
      return [...found];
    },
  };
}

/** The paths a rule hides outright, or the directories to search for its matches. */
function planRule(content: string, options: SandboxReadDenyOptions): { hide: string[]; walk: string[] } {
  let body = content;
  let bases: readonly string[] = options.cwds;
  if (body.startsWith("//")) {
    bases = ["/"];
    body = body.slice(2);
  } else if (body === "~" || body.startsWith("~/")) {
    bases = [options.home];
    body = body.slice(2);
  } else if (body.startsWith("./")) body = body.slice(2);
  else if (body.startsWith("/")) body = body.slice(1);
  else if (!body.replace(/\/+$/, "").includes("/")) {
    // No slash: a name at any depth (gitignore style); searched for inside the workspace.
    return { hide: [], walk: [...options.workspaceRoots] };
  }
  const segments = body.replace(/\/+$/, "").split("/").filter(Boolean);
  const literal: string[] = [];
  for (const segment of segments) {
    if (/[*?[]/.test(segment)) break;
    literal.push(segment);
  }
  const rest = segments.slice(literal.length);
  const prefixes = bases.map((base) => resolve(base, ...literal));
  if (rest.length === 0 || (rest.length === 1 && rest[0] === "**")) return { hide: prefixes, walk: [] };
  return { hide: [], walk: prefixes };
}

function collectDenied(
  dir: string,
  isDenied: (path: string) => boolean,
  found: Set<string>,
  budget: { left: number },
): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (budget.left-- <= 0) return;
    const path = join(dir, entry.name);
    if (isDenied(path)) {
      found.add(path);
      continue;
    }
    // git's object store is large and holds no file names a rule could match.
    if (entry.isDirectory() && entry.name !== ".git") collectDenied(path, isDenied, found, budget);
  }
}
