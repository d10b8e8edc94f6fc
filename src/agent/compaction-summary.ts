// The text side of compaction: the transcript sent to the summariser, the prompt asking for a structured
// summary, the deterministic fallback used when that request fails, and the labelled summary message.
import type { ContentBlock, Message } from "../api/types.js";

/** Marks the first message of a compacted history, so a later compaction can recognise it. */
export const SUMMARY_LABEL =
  "[Summary of the earlier part of this session — written when the context was compacted]";

export const SUMMARY_SYSTEM_PROMPT = `You write hand-over notes for a coding session between a user and claw, a terminal coding agent. The notes replace the older part of the conversation, so anything you leave out is lost to whoever continues the work. Be specific: exact file paths, function names, commands, error messages and decisions. Do not invent anything that is not in the transcript. Use these sections, in this order, as markdown headings:

## Goal
What the user wants overall, including constraints and preferences they stated.
## Decisions
Choices made and why, including approaches that were tried and rejected.
## Files
Each file read, created or changed, with one line on why and what changed.
## Current state
What works now, what is half-done, open errors or failing tests.
## Next steps
What should happen next, in order, including anything the user asked for that is not done yet.`;

const TOOL_INPUT_CHARS = 600;
const TOOL_RESULT_CHARS = 2_000;
const TEXT_CHARS = 12_000;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  return `${text.slice(0, head)}\n[… ${text.length - max} characters omitted …]\n${text.slice(text.length - tail)}`;
}

function blocksOf(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

/** The message's text blocks joined and trimmed (tool calls, results and images left out). */
function plainText(message: Message): string {
  return blocksOf(message.content)
    .flatMap((b) => (b.type === "text" ? [b.text] : []))
    .join("\n")
    .trim();
}

function resultText(content: string | ContentBlock[]): string {
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" ? b.text : b.type === "image" ? "[image]" : "")).join("\n");
}

function renderBlock(role: Message["role"], block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return `${role === "user" ? "User" : "Assistant"}: ${clip(block.text, TEXT_CHARS)}`;
    case "image":
      return `${role === "user" ? "User" : "Assistant"}: [image]`;
    case "tool_use":
      return `Assistant called ${block.name}: ${clip(JSON.stringify(block.input ?? {}), TOOL_INPUT_CHARS)}`;
    case "tool_result":
      return `Tool result${block.is_error ? " (error)" : ""}: ${clip(resultText(block.content), TOOL_RESULT_CHARS)}`;
    case "thinking":
      return "";
  }
}

/**
 * The conversation as plain text with long parts clipped. Plain text keeps the summary request valid
 * whatever the history holds (unpaired tool calls, images) and bounds its size below the context window.
 */
export function renderTranscript(messages: readonly Message[], maxChars: number): string {
  const parts: string[] = [];
  for (const message of messages) {
    for (const block of blocksOf(message.content)) {
      const line = renderBlock(message.role, block);
      if (line) parts.push(line);
    }
  }
  const text = parts.join("\n\n");
  if (text.length <= maxChars) return text;
  // The start holds the goal, the end the current state: the middle goes first.
  const head = Math.floor(maxChars * 0.3);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n\n[… ${text.length - maxChars} characters from the middle of the session omitted …]\n\n${text.slice(text.length - tail)}`;
}

export function summaryRequestText(transcript: string, instructions: string | undefined): string {
  const extra = instructions?.trim() ? `\n\nThe user asks you to focus on: ${instructions.trim()}` : "";
  return `Here is the transcript of the session so far:\n\n<transcript>\n${transcript}\n</transcript>\n\nWrite the hand-over notes now, using the sections from your instructions.${extra}`;
}

const PATH_KEYS = ["file_path", "path", "notebook_path"];

/** Paths named in tool calls, in first-seen order. */
export function filesMentionedIn(messages: readonly Message[], limit = 100): string[] {
  const seen = new Set<string>();
  for (const message of messages) {
    if (message.role !== "assistant" || typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type !== "tool_use" || typeof block.input !== "object" || block.input === null) continue;
      const input = block.input as Record<string, unknown>;
      for (const key of PATH_KEYS) {
        const value = input[key];
        if (typeof value === "string" && value.trim() && seen.size < limit) seen.add(value.trim());
      }
    }
  }
  return [...seen];
}

function userPrompts(messages: readonly Message[]): { earlierSummary?: string; prompts: string[] } {
  let earlierSummary: string | undefined;
  const prompts: string[] = [];
  for (const message of messages) {
    if (message.role !== "user") continue;
    const text = plainText(message);
    if (!text) continue;
    if (text.startsWith(SUMMARY_LABEL)) earlierSummary = text.slice(SUMMARY_LABEL.length).trim();
    else prompts.push(text);
  }
  return { earlierSummary, prompts };
}

function lastAssistantText(messages: readonly Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== "assistant") continue;
    const text = plainText(message);
    if (text) return text;
  }
  return "";
}

/** The summary claw writes itself when the model could not: prompts, files, and the last reply. */
export function localSummary(messages: readonly Message[], reason: string): string {
  const { earlierSummary, prompts } = userPrompts(messages);
  const files = filesMentionedIn(messages);
  const shown = prompts.length > 15 ? [...prompts.slice(0, 3), ...prompts.slice(-12)] : prompts;
  const lines = [`(Written by claw without the model, because the summary request failed: ${reason}.)`];
  if (earlierSummary) lines.push("", "## Earlier summary", clip(earlierSummary, 6_000));
  lines.push("", "## User requests");
  if (prompts.length > shown.length)
    lines.push(`(${prompts.length - shown.length} requests in the middle omitted)`);
  for (const prompt of shown) lines.push(`- ${clip(prompt.replace(/\s+/g, " "), 400)}`);
  if (shown.length === 0) lines.push("- (none recorded)");
  lines.push("", "## Files named in tool calls");
  for (const file of files) lines.push(`- ${file}`);
  if (files.length === 0) lines.push("- (none)");
  const last = lastAssistantText(messages);
  if (last) lines.push("", "## Last assistant reply", clip(last, 3_000));
  return lines.join("\n");
}

/** The text that opens the compacted history. */
export function summaryMessageText(summary: string, messagesSummarized: number): string {
  return `${SUMMARY_LABEL}\n\nThis session continues from an earlier conversation that no longer fits in the context. ${messagesSummarized} earlier messages were replaced by this summary; the most recent messages follow verbatim.\n\n${summary.trim()}`;
}
