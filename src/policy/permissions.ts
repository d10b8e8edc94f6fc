// The permission gate: decides allow/ask/deny for one tool call from the mode, the rules
// (deny → ask → allow, deny wins in every mode) and the resolved paths the call touches.
import { realpathSync } from "node:fs";
import { dirname } from "node:path";
import { hardLinkCount, isProtectedPath } from "../tools/workspace.js";
import { unknownCommandReason } from "./bash-deny-unknown.js";
import { protectedPathNamed } from "./bash-protected.js";
import { classifyBashCommand } from "./bash-readonly.js";
import { recursiveRoots, wideReadQuestion } from "./bash-reads.js";
import { createShellView } from "./bash-shell-view.js";
import { splitCompoundCommand } from "./bash-split.js";
import { type ProgramPlaces, unidentifiedUnderRules } from "./bash-unidentified.js";
import { credentialRules } from "./credential-rules.js";
import { parsePermissionMode } from "./permission-mode.js";
import {
  canonicalToolName,
  findAllowingRules,
  findMatchingRule,
  type MatchContext,
  type PermissionRule,
  parsePermissionRule,
  type RuleBehavior,
  type RuleTarget,
  ruleCoversTool,
  ruleNeverMatches,
  type TargetPath,
} from "./permission-rules.js";
import { firstUnapprovedPart, suggestBashRule } from "./permission-suggest.js";
import type {
  ClawPermissionGate,
  GateCall,
  PermissionDecision,
  PermissionGateOptions,
  PermissionMode,
} from "./permission-types.js";
import { decideBashWithSandbox } from "./sandbox-gate.js";

export type {
  ClawPermissionGate,
  GateCall,
  PermissionGateOptions,
  PermissionRulesInput,
} from "./permission-types.js";
export {
  canonicalToolName,
  type PermissionRule,
  parsePermissionMode,
  parsePermissionRule,
  type RuleBehavior,
};

/** Tools that only steer shells the user already let run. */
const SHELL_CONTROL_TOOLS = new Set(["BashOutput", "KillShell"]);

export function createPermissionGate(options: PermissionGateOptions): ClawPermissionGate {
  let mode = options.mode;
  const warnings: string[] = [];
  const rules: Record<RuleBehavior, PermissionRule[]> = { allow: [], ask: [], deny: [] };
  const added: Array<{ behavior: RuleBehavior; rule: string; parsed: PermissionRule }> = [];
  const add = (behavior: RuleBehavior, text: string): string | undefined => {
    const parsed = parsePermissionRule(text);
    if (!parsed.ok) return parsed.error;
    rules[behavior].push(parsed.rule);
    const never = ruleNeverMatches(parsed.rule);
    if (never)
      warnings.push(
        `Permission rule "${parsed.rule.source}" can never match: ${never} (in permissions.${behavior})`,
      );
    return undefined;
  };
  for (const behavior of ["allow", "ask", "deny"] as const) {
    for (const text of options.rules[behavior] ?? []) {
      const error = add(behavior, text);
      if (error) warnings.push(`${error} (in permissions.${behavior}; ignored)`);
    }
  }
  rules.deny.push(...credentialRules());
  const { workspace, cwd } = options;
  let realCwd = cwd;
  try {
    realCwd = realpathSync(cwd);
  } catch {
    // A missing cwd matches rules lexically only.
  }
  const matchContext: MatchContext = {
    cwds: [...new Set([cwd, realCwd])],
    ...(options.home ? { home: options.home } : {}),
  };

  const programPlaces: ProgramPlaces = {
    cwd,
    writable: workspace.roots,
    path: options.childEnv?.PATH ?? process.env.PATH,
  };
  const { classifyIn, resolvePaths, shellDirs } = createShellView({
    workspace,
    cwd,
    ...(options.home ? { home: options.home } : {}),
    ...(options.childEnv ? { childEnv: options.childEnv } : {}),
  });

  async function decide(call: GateCall): Promise<PermissionDecision> {
    const toolName = canonicalToolName(call.toolName);
    const ctx = matchContext;
    const input = (call.input && typeof call.input === "object" ? call.input : {}) as Record<string, unknown>;
    const resolved = await resolvePaths(call.paths);
    if (typeof resolved === "string")
      return { behavior: "deny", reason: `Permission check failed: ${resolved}.` };
    const target: RuleTarget = {
      toolName,
      paths: resolved,
      ...(typeof input.command === "string" ? { command: input.command } : {}),
      ...(typeof input.url === "string" ? { url: input.url } : {}),
    };

    const denied = findMatchingRule(rules.deny, target, ctx);
    if (denied) return denyByRule(toolName, denied, target.command);
    if (toolName === "Bash") {
      // Read rules also guard what a read-only command would read (`cat secrets/key`).
      const denial = await bashReadDenial(target.command ?? "", ctx);
      if (denial) return denial;
      const unknown = unidentifiedUnderRules(rules, target.command ?? "", programPlaces, mode);
      if (unknown) return unknown;
    }
    if (mode === "danger-full-access") return { behavior: "allow" };
    const asked = findMatchingRule(rules.ask, target, ctx);
    if (asked) {
      return {
        behavior: "ask",
        reason: `The rule "${asked.source}" requires the user's approval for this ${toolName} call.`,
      };
    }
    const safeParts =
      toolName === "Bash" ? await readOnlyPartsInside(target.command ?? "") : new Set<string>();
    const allowedBy = findAllowingRules(rules.allow, target, ctx, (part) => safeParts.has(part));

    if (SHELL_CONTROL_TOOLS.has(toolName)) return { behavior: "allow" };
    if (toolName === "Bash") {
      const command = target.command ?? "";
      const withoutSandbox = () => decideBash(command, allowedBy !== undefined, ctx);
      if (!options.sandbox) return withoutSandbox();
      const named = () => protectedPathNamed(command, { workspace, cwd, home: options.home });
      const allowed = allowedBy !== undefined;
      return decideBashWithSandbox(options.sandbox, { command, input, mode, allowed, withoutSandbox, named });
    }
    if (call.kind === "write") return decideWrite(toolName, target.paths, allowedBy);
    if (call.kind === "read") return decideRead(toolName, target.paths, allowedBy !== undefined);
    if (allowedBy) return { behavior: "allow" };
    if (toolName === "WebFetch") return askNetwork(target.url);
    return {
      behavior: "ask",
      reason: `${toolName} needs the user's approval${mode === "read-only" ? " (read-only mode)" : ""}.`,
      suggestedRule: toolName,
    };
  }

  function denyByRule(toolName: string, rule: PermissionRule, command?: string): PermissionDecision {
    const unknown = command && rule.content ? unknownCommandReason(rule.content, command) : undefined;
    const why = unknown ? ` (${unknown}, so it counts as matching)` : "";
    return {
      behavior: "deny",
      reason: `Permission to use ${toolName} here is denied by the rule "${rule.source}"${why}. Do not retry it; use another approach or ask the user.`,
    };
  }

  /** A read-only command (or part of a compound one) whose file arguments a Read deny rule covers. */
  async function bashReadDenial(command: string, ctx: MatchContext): Promise<PermissionDecision | undefined> {
    const parts = splitCompoundCommand(command);
    const dirs = shellDirs(parts);
    for (const [index, part] of parts.entries()) {
      const verdict = classifyIn(part.text, dirs[index]);
      if (!verdict.readOnly) continue;
      const paths = await resolvePaths([...verdict.paths, ...verdict.otherArgs], dirs[index]);
      if (typeof paths === "string") continue;
      const rule = findMatchingRule(rules.deny, { toolName: "Read", paths }, ctx);
      if (rule) return denyByRule("Bash", rule);
      const readDenials = rules.deny.filter((r) => ruleCoversTool(r, "Read"));
      const wide =
        verdict.reads && readDenials.length > 0
          ? await wideReadQuestion(
              readDenials,
              verdict.reads,
              await resolvePaths(
                verdict.reads.recursive ? recursiveRoots(verdict.paths) : ["."],
                dirs[index],
              ),
              ctx,
            )
          : undefined;
      if (wide) return wide;
    }
    return undefined;
  }

  /** Parts of a compound command that are provably read-only and read only inside the workspace. */
  async function readOnlyPartsInside(command: string): Promise<Set<string>> {
    const safe = new Set<string>();
    const parts = splitCompoundCommand(command);
    if (parts.length < 2) return safe;
    const dirs = shellDirs(parts);
    for (const [index, part] of parts.entries()) {
      const verdict = classifyIn(part.text, dirs[index]);
      if (!verdict.readOnly) continue;
      const paths = await resolvePaths(verdict.paths, dirs[index]);
      if (typeof paths !== "string" && paths.every((p) => workspace.contains(p.resolved)))
        safe.add(part.text);
    }
    return safe;
  }

  async function decideBash(
    command: string,
    allowed: boolean,
    ctx: MatchContext,
  ): Promise<PermissionDecision> {
    const verdict = classifyIn(command);
    if (verdict.readOnly) {
      const paths = await resolvePaths(verdict.paths);
      const outside = typeof paths === "string" ? [] : paths.filter((p) => !workspace.contains(p.resolved));
      const readAsk =
        typeof paths === "string" ? undefined : findMatchingRule(rules.ask, { toolName: "Read", paths }, ctx);
      if (readAsk) {
        return {
          behavior: "ask",
          reason: `The rule "${readAsk.source}" requires approval to read these files.`,
        };
      }
      if (outside.length === 0 || allowed) return { behavior: "allow" };
      return {
        behavior: "ask",
        reason: `This command reads a file claw does not count as inside: ${outsideNote(outside[0]!.resolved)}; it needs the user's approval.`,
        suggestedRule: suggestBashRule(command),
      };
    }
    if (
      mode !== "read-only" &&
      (await readOnlyPartsInside(command)).size === splitCompoundCommand(command).length
    ) {
      // A pipeline or list of read-only commands reading inside the workspace (`git log | head`).
      return { behavior: "allow" };
    }
    if (mode === "read-only") {
      return {
        behavior: "deny",
        reason: `claw is in read-only mode and this command is not provably read-only (${verdict.reason}). Use Read, Grep or Glob, or a single read-only command (ls, cat, grep, git status/log/diff…) without operators, redirections or substitutions.`,
      };
    }
    if (allowed) {
      const touched = await protectedPathNamed(command, { workspace, cwd, home: options.home });
      if (!touched) return { behavior: "allow" };
      return {
        behavior: "ask",
        reason: `This command names ${touched}, which is or may become a protected path: git internals, claw settings and hook scripts always need the user's approval, even when the command is allowed.`,
      };
    }
    const part = firstUnapprovedPart(
      command,
      (text) =>
        classifyBashCommand(text).readOnly ||
        findAllowingRules(rules.allow, { toolName: "Bash", command: text, paths: [] }, ctx) !== undefined,
    );
    return {
      behavior: "ask",
      reason: `Running this command needs the user's approval (${verdict.reason}).`,
      suggestedRule: suggestBashRule(part),
    };
  }

  function decideWrite(
    toolName: string,
    paths: TargetPath[],
    allowedBy: PermissionRule[] | undefined,
  ): PermissionDecision {
    if (mode === "read-only") {
      return {
        behavior: "deny",
        reason: `claw is in read-only mode: ${toolName} is not allowed. Describe the change instead, or ask the user to switch to a writable mode.`,
      };
    }
    const isProtected = paths.find((p) => isProtectedPath(p.resolved, workspace.roots));
    // A protected path is allowed only by a rule naming its path, never by a bare `Edit` or `Edit(**)`.
    if (isProtected && !allowedBy?.every(namesAPath)) {
      return {
        behavior: "ask",
        reason: `${isProtected.resolved} is protected (git internals, settings or hook scripts); changing it needs the user's approval.`,
        suggestedRule: `Edit(/${isProtected.resolved})`,
      };
    }
    if (allowedBy) return { behavior: "allow" };
    const outside = paths.find((p) => !workspace.contains(p.resolved));
    if (outside) {
      return {
        behavior: "ask",
        reason: `${outsideNote(outside.resolved)}; writing there needs the user's approval.`,
        suggestedRule: `Edit(/${dirname(outside.resolved)}/**)`,
      };
    }
    if (mode === "default") {
      return {
        behavior: "ask",
        reason: `${toolName} needs the user's approval (default mode asks before edits).`,
        suggestedRule: "Edit",
      };
    }
    return { behavior: "allow" };
  }

  /** Why a path does not count as inside: outside the roots, or a hard link to what may be outside. */
  function outsideNote(path: string): string {
    const links = hardLinkCount(path);
    if (links !== undefined && workspace.roots.some((root) => path.startsWith(root)))
      return `${path} is a hard link (the file has ${links} names, maybe one outside the workspace)`;
    return `${path} is outside the workspace (${workspace.roots.join(", ")})`;
  }

  function decideRead(toolName: string, paths: TargetPath[], allowed: boolean): PermissionDecision {
    const outside = paths.find((p) => !workspace.contains(p.resolved));
    if (!outside || allowed) return { behavior: "allow" };
    return {
      behavior: "ask",
      reason: `${outsideNote(outside.resolved)}; ${toolName} there needs the user's approval.`,
      suggestedRule: `Read(/${dirname(outside.resolved)}/**)`,
    };
  }

  return {
    get mode() {
      return mode;
    },
    get warnings() {
      return warnings;
    },
    decide,
    setMode(next: PermissionMode) {
      mode = next;
    },
    addSessionRule(behavior: RuleBehavior, text: string) {
      const error = add(behavior, text);
      if (!error) added.push({ behavior, rule: text.trim(), parsed: rules[behavior].at(-1)! });
      return error;
    },
    removeSessionRule(behavior: RuleBehavior, text: string) {
      const index = added.findIndex((r) => r.behavior === behavior && r.rule === text.trim());
      if (index < 0) return false;
      const [entry] = added.splice(index, 1);
      rules[behavior] = rules[behavior].filter((r) => r !== entry?.parsed);
      return true;
    },
    sessionRules: () => added.map(({ behavior, rule }) => ({ behavior, rule })),
    addRule: (behavior: RuleBehavior, text: string) => add(behavior, text),
    removeRule(behavior: RuleBehavior, text: string) {
      const index = rules[behavior].findIndex((r) => r.source === text.trim());
      if (index < 0) return false;
      rules[behavior].splice(index, 1);
      return true;
    },
    isToolDenied: (toolName: string) =>
      rules.deny.some((rule) => rule.content === undefined && ruleCoversTool(rule, toolName)),
    isReadDenied(absolutePath: string) {
      const paths = [{ lexical: absolutePath, resolved: absolutePath }];
      return findMatchingRule(rules.deny, { toolName: "Read", paths }, matchContext) !== undefined;
    },
  };
}

function namesAPath(rule: PermissionRule): boolean {
  const content = rule.content?.replace(/^(\.\/|~\/|\/\/?)/, "");
  return content !== undefined && !content.startsWith("*");
}

function askNetwork(url: string | undefined): PermissionDecision {
  let host = "";
  try {
    host = url ? new URL(url).hostname : "";
  } catch {
    // An invalid URL is reported by the tool itself.
  }
  return {
    behavior: "ask",
    reason: `Fetching ${host || "this URL"} needs the user's approval (network access).`,
    ...(host ? { suggestedRule: `WebFetch(domain:${host})` } : {}),
  };
}
