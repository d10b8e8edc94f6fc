// The on-disk record types of a session file (one JSON object per line); validation (zod) is in
// session-record-schemas, loaded only when a session is read back.
// Line 1 is a versioned header; every later line is one record. Unknown record types are kept as-is.
import type { AssistantMessage, Message, Usage } from "../api/types.js";

export const SESSION_FORMAT_VERSION = 1;

export interface SessionHeader {
  type: "header";
  version: number;
  id: string;
  cwd: string;
  model: string;
  /** ISO timestamp. */
  created: string;
  clawVersion: string;
  /** Set in a subagent's transcript (saved beside its parent's session file). */
  subagent?: { agentType: string; parentSessionId: string; parentToolUseId: string };
}

interface Stamped {
  /** ISO timestamp of when the record was written. */
  ts?: string;
}

/** A prompt (or hook nudge) the user side added. */
export interface UserRecord extends Stamped {
  type: "user";
  message: Message;
  /** Set for a prompt the user typed (not a hook's nudge): what checkpoints and rewinds refer to. */
  uuid?: string;
}
export interface AssistantRecord extends Stamped {
  type: "assistant";
  message: AssistantMessage;
}
/** The user message carrying tool_result blocks. */
export interface ToolResultsRecord extends Stamped {
  type: "tool_results";
  message: Message;
  /** The UI's one-line summary of each result ("Read 12 lines"), by tool_use_id, for replay on resume. */
  displays?: Record<string, string>;
}
export interface ModelChangeRecord extends Stamped {
  type: "model_change";
  model: string;
}
export interface PermissionModeChangeRecord extends Stamped {
  type: "permission_mode_change";
  mode: string;
}
export interface CompactionRecord extends Stamped {
  type: "compaction";
  summary: string;
  messagesSummarized: number;
  tokensBefore: number;
  tokensAfter: number;
  filesMentioned: string[];
  /** The history right after compaction (summary message + kept messages); replay restarts from it. */
  messages: Message[];
}
export interface UsageRecord extends Stamped {
  type: "usage";
  model: string;
  usage: Usage;
  /** Set for side requests (the compaction summary): counted in totals, not taken as the context size. */
  /** Side requests (a compaction summary, WebFetch's small model): cost, but not the context size. */
  purpose?: "compaction" | "web_fetch" | "web_search" | "subagent";
}
/** Partial assistant text of a response that was cut off (abort or unrecoverable stream error). */
export interface InterruptedRecord extends Stamped {
  type: "interrupted";
  partialText: string;
}

/** The last prompt was taken back before any answer (the REPL put it back in the input): replay drops it. */
export interface PromptWithdrawnRecord extends Stamped {
  type: "prompt_withdrawn";
}

/**
 * A snapshot of the workspace in the project's shadow git repository. "before" is taken just before a prompt
 * (or a rewind) first changes a file — a later "before" with the same id replaces it when an ignored file is
 * added — and "after" when it is done, with the files that changed in between.
 */
export interface CheckpointRecord extends Stamped {
  type: "checkpoint";
  /** The prompt's uuid, or a rewind's own id. */
  id: string;
  stage: "before" | "after";
  /** The git tree id of the snapshot. */
  tree: string;
  /** For "after": the workspace-relative paths that changed since "before". */
  files?: string[];
  /** Files too large to keep in the checkpoint. */
  skipped?: string[];
  /** For a rewind's own checkpoint: the id of the prompt it restored to. */
  rewindOf?: string;
}

/** The conversation continues from just before the prompt `to`: replay restores the history it had then. */
export interface ConversationRewindRecord extends Stamped {
  type: "conversation_rewind";
  to: string;
}

export type SessionRecord =
  | CheckpointRecord
  | ConversationRewindRecord
  | PromptWithdrawnRecord
  | UserRecord
  | AssistantRecord
  | ToolResultsRecord
  | ModelChangeRecord
  | PermissionModeChangeRecord
  | CompactionRecord
  | UsageRecord
  | InterruptedRecord;

/** A record as read back: a known record, or an unknown/future one preserved untouched. */
export type LoadedRecord = SessionRecord | { type: "unknown"; raw: Record<string, unknown> };
