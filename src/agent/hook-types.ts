// What the loop asks of hooks (implemented by hooks.ts from settings). Every method is optional.
import type { ToolResult } from "../tools/types.js";

export interface ToolCallInfo {
  toolName: string;
  input: unknown;
  toolUseId: string;
}

export interface SubagentInfo {
  agentId: string;
  agentType: string;
}

export interface AgentHooks {
  /** block: the prompt is not sent (the reason is shown to the user). additionalContext is appended to the prompt. */
  userPromptSubmit?(
    prompt: string,
    signal?: AbortSignal,
  ): Promise<{ block?: string; additionalContext?: string }>;
  /** block: the call is not run and the reason goes to the model. permissionDecision overrides the gate. */
  preToolUse?(
    call: ToolCallInfo,
    signal?: AbortSignal,
  ): Promise<{ block?: string; permissionDecision?: "allow" | "deny" | "ask"; reason?: string }>;
  /** block/additionalContext: text added to the tool result for the model. */
  postToolUse?(
    call: ToolCallInfo & { result: ToolResult },
    signal?: AbortSignal,
  ): Promise<{ block?: string; additionalContext?: string }>;
  /** continueWith: the model is asked to continue with this reason instead of stopping. */
  /** `active`: this stop follows a continuation a Stop hook asked for (Claude Code's stop_hook_active). */
  stop?(options?: { active?: boolean; signal?: AbortSignal }): Promise<{ continueWith?: string }>;
  /** A subagent starts: additionalContext is added to its system prompt. */
  subagentStart?(info: SubagentInfo, signal?: AbortSignal): Promise<{ additionalContext?: string }>;
  /** A subagent is about to finish: continueWith sends it back to work (as Stop does for the main agent). */
  subagentStop?(
    info: SubagentInfo & { transcriptPath?: string; stopHookActive: boolean },
    signal?: AbortSignal,
  ): Promise<{ continueWith?: string }>;
  preCompact?(reason: "auto" | "manual" | "prompt_too_long"): Promise<void>;
  /** Hook problems (timeouts, non-zero exits) surface here as notices for the user. */
  drainNotices?(): string[];
}
