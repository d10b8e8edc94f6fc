// The compaction seam the loop calls before each request and on "prompt is too long" (compaction.ts implements it).
import type { Message } from "../api/types.js";

export type CompactionReason = "auto" | "manual" | "prompt_too_long";

export interface CompactionOutcome {
  messages: Message[];
  summary: string;
  messagesSummarized: number;
  tokensBefore: number;
  tokensAfter: number;
  filesMentioned: string[];
}

export interface Compactor {
  /** Cheap check, so the UI can show "compacting" before the summary request starts. */
  shouldCompact?(reason: CompactionReason, lastInputTokens: number): boolean;
  /** Returns the replacement history when it compacted, undefined when nothing needed doing. */
  maybeCompact(input: {
    messages: Message[];
    lastInputTokens: number;
    reason: CompactionReason;
    instructions?: string;
    signal: AbortSignal;
  }): Promise<CompactionOutcome | undefined>;
}
