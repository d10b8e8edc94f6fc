// Permission modes, rules and decisions shared by the gate and every frontend that answers "ask".
import type { WorkspaceGuard } from "../tools/types.js";
import type { RuleBehavior } from "./permission-rules.js";
import type { GateSandbox } from "./sandbox-gate.js";

/** Our names; Claude Code's aliases (plan, acceptEdits, bypassPermissions) map onto these. "default" asks for edits too. */
export type PermissionMode = "read-only" | "workspace-write" | "danger-full-access" | "default";

export type PermissionDecision =
  | { behavior: "allow" }
  | { behavior: "deny"; reason: string }
  | {
      behavior: "ask";
      reason: string /** a rule the user may save, e.g. "Bash(npm test:*)" */;
      suggestedRule?: string;
    };

export interface PermissionQuestion {
  toolUseId: string;
  toolName: string;
  input: unknown;
  reason: string;
  suggestedRule?: string;
  /** Set when a subagent makes the call: the agent type, so the dialog says who asks. */
  subagent?: string;
}

export type PermissionAnswer =
  | {
      behavior: "allow";
      remember?: "session" | "project";
      rule?: string;
      /** The input to run the tool with instead of the model's (an SDK host's canUseTool may rewrite it). */
      updatedInput?: unknown;
    }
  | { behavior: "deny"; message?: string };

/** Answers an "ask" interactively. Print mode has none: ask becomes deny. */
export type AskPermission = (question: PermissionQuestion, signal: AbortSignal) => Promise<PermissionAnswer>;

/** Decides whether one tool call may run. Implemented in permissions.ts; the REPL adds session rules. */
export interface PermissionGate {
  readonly mode: PermissionMode;
  decide(call: {
    toolName: string;
    input: unknown;
    paths: string[];
    kind: ToolKindForGate;
  }): Promise<PermissionDecision>;
  setMode(mode: PermissionMode): void;
  /** Adds a rule for the rest of the session (e.g. "Bash(npm test:*)"). */
  addSessionRule(behavior: "allow" | "deny", rule: string): void;
}

export type ToolKindForGate = "read" | "write" | "execute" | "network";

export interface PermissionRulesInput {
  allow?: readonly string[];
  ask?: readonly string[];
  deny?: readonly string[];
}

export interface PermissionGateOptions {
  mode: PermissionMode;
  rules: PermissionRulesInput;
  workspace: WorkspaceGuard;
  cwd: string;
  /** Home for `~/` rules; defaults to $HOME. */
  home?: string;
  /** Variables settings add to every command's environment (settings `env`): they may steer git. */
  childEnv?: Record<string, string>;
  /** The OS sandbox as configured (settings `sandbox`); absent: Bash is judged by rules and parsing alone. */
  sandbox?: GateSandbox;
}

export interface ClawPermissionGate extends PermissionGate {
  /** Rules that could not be parsed (ignored), one message each, for a startup warning. */
  readonly warnings: readonly string[];
  /** Adds a rule of any behavior; returns an error message for an invalid rule. */
  addSessionRule(behavior: RuleBehavior, rule: string): string | undefined;
  /**
   * True when a deny rule forbids reading this absolute path. Wire it into ToolContext.isReadDenied so
   * Grep and Glob over a directory leave denied files out of their results.
   */
  isReadDenied(absolutePath: string): boolean;
  /** True when a bare deny rule (`Bash`, `mcp__server`) refuses every call: the model is not offered the tool. */
  isToolDenied(toolName: string): boolean;
  /** Removes a rule added with addSessionRule (settings rules stay); false when there was none. */
  removeSessionRule(behavior: RuleBehavior, rule: string): boolean;
  /** Applies a rule saved to a settings file (not listed among the session's rules); an error for an invalid one. */
  addRule(behavior: RuleBehavior, rule: string): string | undefined;
  /** Stops applying a rule, whatever its origin (its settings file was edited); false when there was none. */
  removeRule(behavior: RuleBehavior, rule: string): boolean;
  /** Rules added during this session, in the order they were added. */
  sessionRules(): Array<{ behavior: RuleBehavior; rule: string }>;
}

export interface GateCall {
  toolName: string;
  input: unknown;
  paths: string[];
  kind: ToolKindForGate;
}
