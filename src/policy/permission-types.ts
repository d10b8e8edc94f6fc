// Permission modes, rules and decisions shared by the gate and every frontend that answers "ask".

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
