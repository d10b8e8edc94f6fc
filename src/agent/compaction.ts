// Compaction: when the context fills up, the older part of the history is replaced by a structured
// summary (written by the model in a separate tool-less request, or locally if that fails).
import type { ContentBlock, Message, Provider, Usage } from "../api/types.js";
import {
  filesMentionedIn,
  localSummary,
  renderTranscript,
  SUMMARY_SYSTEM_PROMPT,
  summaryMessageText,
  summaryRequestText,
} from "./compaction-summary.js";
import type { CompactionOutcome, CompactionReason, Compactor } from "./compaction-types.js";

export interface CompactorOptions {
  provider: Provider;
  /** A function follows the session's current model (the REPL's /model), for the window and the summary. */
  model: string | (() => string);
  contextWindow: number | ((model: string) => number);
  /** Auto-compaction starts when the last request's input tokens pass this share of the window. */
  thresholdRatio?: number;
  /** False (settings `autoCompact: false`) turns off automatic compaction; manual still works. */
  enabled?: boolean;
  /** How many recent messages to keep verbatim (adjusted to keep tool calls with their results). */
  keepMessages?: number;
  summaryMaxTokens?: number;
  /** Usage of the summary request, so its cost is counted. */
  onUsage?: (model: string, usage: Usage) => void;
}

export interface CompactorHandle extends Compactor {
  /** The input-token count above which auto-compaction runs. */
  readonly threshold: number;
  /** Whether maybeCompact would try for this reason now (so a UI can announce it before the summary request). */
  shouldCompact(reason: CompactionReason, lastInputTokens: number): boolean;
}

/** A rough token count (about 4 characters per token), for the messages we cannot ask the API about. */
export function estimateTokens(messages: readonly Message[]): number {
  let chars = 0;
  let images = 0;
  // An image costs the model about 1,600 tokens whatever its base64 length, so it is counted apart.
  const countImages = (_key: string, value: unknown) => {
    if (isImageBlock(value)) {
      images++;
      return undefined;
    }
    return value;
  };
  for (const message of messages) chars += JSON.stringify(message.content, countImages).length;
  return Math.ceil(chars / 4) + images * IMAGE_TOKENS;
}

const IMAGE_TOKENS = 1600;

function isImageBlock(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "image";
}

function hasToolResults(message: Message): boolean {
  return typeof message.content !== "string" && message.content.some((b) => b.type === "tool_result");
}

/** The kept part may start at an assistant message or at a user message that carries no tool results. */
function isValidCut(messages: readonly Message[], index: number): boolean {
  const message = messages[index];
  if (!message) return false;
  return message.role === "assistant" || !hasToolResults(message);
}

/**
 * Index where the verbatim tail starts: about `keep` messages from the end, never between a tool_use
 * and its tool_result, at least one message summarised, and the tail shrunk while it alone exceeds
 * `tailBudgetTokens`. Undefined when no such index exists.
 */
export function chooseCut(
  messages: readonly Message[],
  keep: number,
  tailBudgetTokens: number,
): number | undefined {
  const n = messages.length;
  const valid: number[] = [];
  for (let i = 1; i < n; i++) if (isValidCut(messages, i)) valid.push(i);
  if (valid.length === 0) return undefined;
  const target = Math.max(1, n - keep);
  let position = -1;
  for (let k = 0; k < valid.length; k++) if (valid[k]! <= target) position = k;
  if (position === -1) position = 0;
  while (position < valid.length - 1 && estimateTokens(messages.slice(valid[position]!)) > tailBudgetTokens)
    position++;
  return valid[position];
}

function toBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

/** Summary first; a kept tail that starts with a prompt joins it, so roles keep alternating. */
function buildHistory(summaryText: string, kept: readonly Message[]): Message[] {
  const first = kept[0];
  if (first?.role === "user") {
    return [
      { role: "user", content: [{ type: "text", text: summaryText }, ...toBlocks(first.content)] },
      ...kept.slice(1),
    ];
  }
  return [{ role: "user", content: summaryText }, ...kept];
}

async function requestSummary(
  options: CompactorOptions,
  model: string,
  transcript: string,
  instructions: string | undefined,
  signal: AbortSignal,
): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  let text = "";
  try {
    const stream = options.provider.stream({
      model,
      maxTokens: options.summaryMaxTokens ?? 8_192,
      system: [SUMMARY_SYSTEM_PROMPT],
      messages: [{ role: "user", content: summaryRequestText(transcript, instructions) }],
      tools: [],
      signal,
    });
    for await (const event of stream) {
      if (event.type === "text_delta") text += event.text;
      else if (event.type === "retry") text = "";
      else if (event.type === "error") return { ok: false, reason: event.error.message };
      else if (event.type === "message_end") {
        options.onUsage?.(event.message.model || model, event.message.usage);
        const final = event.message.content
          .filter((b) => b.type === "text")
          .map((b) => (b as { text: string }).text)
          .join("");
        if (final.trim()) text = final;
        return text.trim() ? { ok: true, text } : { ok: false, reason: "the summary came back empty" };
      }
    }
    return { ok: false, reason: "the summary response ended early" };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function createCompactor(options: CompactorOptions): CompactorHandle {
  const ratio = options.thresholdRatio ?? 0.8;
  const enabled = options.enabled ?? true;
  const keep = options.keepMessages ?? 6;
  const model = () => (typeof options.model === "function" ? options.model() : options.model);
  const window = () =>
    typeof options.contextWindow === "function" ? options.contextWindow(model()) : options.contextWindow;
  const threshold = () => Math.floor(window() * ratio);

  const wants = (reason: CompactionReason, lastInputTokens: number): boolean => {
    if (reason === "manual") return true;
    if (!enabled) return false;
    return reason === "prompt_too_long" || lastInputTokens > threshold();
  };

  return {
    get threshold() {
      return threshold();
    },
    shouldCompact: wants,
    async maybeCompact({
      messages,
      lastInputTokens,
      reason,
      instructions,
      signal,
    }): Promise<CompactionOutcome | undefined> {
      if (!wants(reason, lastInputTokens) || signal.aborted) return undefined;
      // The kept tail may take at most a quarter of the window, so the compacted history has room to grow.
      const contextWindow = window();
      const cut = chooseCut(messages, keep, Math.floor(contextWindow / 4));
      if (cut === undefined) return undefined;
      const older = messages.slice(0, cut);
      const kept = messages.slice(cut);
      // Leave room for the summary prompt and the answer; ~3 characters per token is a safe bound.
      const transcript = renderTranscript(older, Math.max(20_000, Math.floor(contextWindow * 0.5) * 3));
      const answer = await requestSummary(options, model(), transcript, instructions, signal);
      if (signal.aborted) return undefined;
      const summary = answer.ok ? answer.text.trim() : localSummary(older, answer.reason);
      const newMessages = buildHistory(summaryMessageText(summary, older.length), kept);
      // Both figures are the whole context: what the last request measured beyond the messages (system prompt,
      // tools) is still sent after compaction.
      const messagesBefore = estimateTokens(messages);
      const fixedPart = Math.max(0, lastInputTokens - messagesBefore);
      return {
        messages: newMessages,
        summary,
        messagesSummarized: older.length,
        tokensBefore: lastInputTokens > 0 ? lastInputTokens : messagesBefore,
        tokensAfter: fixedPart + estimateTokens(newMessages),
        filesMentioned: filesMentionedIn(older),
      };
    },
  };
}
