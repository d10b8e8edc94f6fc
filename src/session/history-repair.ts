// Makes a replayed history acceptable to the Messages API: every tool_use gets a tool_result in the next
// user message (an "interrupted" error result when the session ended first), orphans go, roles alternate.
import type { ContentBlock, Message, ToolResultBlock } from "../api/types.js";

export const INTERRUPTED_TOOL_RESULT =
  "Interrupted: this tool call did not finish (the session ended before it returned a result).";

export interface RepairOutcome {
  messages: Message[];
  /** Tool calls that got a synthetic "interrupted" result. */
  addedResults: number;
  /** tool_result blocks dropped because no preceding tool_use matched them. */
  droppedResults: number;
  /** Messages dropped or merged (empty assistant messages, leading assistant messages, same-role runs). */
  otherFixes: number;
}

function toBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function toolUseIds(message: Message | undefined): string[] {
  if (message?.role !== "assistant" || typeof message.content === "string") return [];
  return message.content.filter((b) => b.type === "tool_use").map((b) => b.id);
}

function interruptedResult(id: string): ToolResultBlock {
  return { type: "tool_result", tool_use_id: id, content: INTERRUPTED_TOOL_RESULT, is_error: true };
}

/** Returns a repaired copy; the input array and its messages are not modified. */
export function repairHistory(messages: readonly Message[]): RepairOutcome {
  const out: Message[] = [];
  let addedResults = 0;
  let droppedResults = 0;
  let otherFixes = 0;

  const closeDanglingToolUses = () => {
    const pending = toolUseIds(out[out.length - 1]);
    if (pending.length === 0) return;
    out.push({ role: "user", content: pending.map(interruptedResult) });
    addedResults += pending.length;
  };

  for (let message of messages) {
    if (message.role === "assistant") {
      // Whitespace-only text blocks are rejected by the API (400), so a reply of "\n\n" must not come back.
      const blocks = toBlocks(message.content);
      const sendable = blocks.filter((b) => b.type !== "text" || b.text.trim() !== "");
      if (sendable.length === 0) {
        otherFixes++;
        continue;
      }
      if (sendable.length !== blocks.length) {
        otherFixes++;
        message = { role: "assistant", content: sendable };
      }
      if (out.length === 0) {
        // The API needs a user message first; an assistant message with nothing before it has no context.
        otherFixes++;
        continue;
      }
      closeDanglingToolUses();
      const last = out[out.length - 1]!;
      if (last.role === "assistant") {
        last.content = [...toBlocks(last.content), ...toBlocks(message.content)];
        otherFixes++;
        continue;
      }
      out.push({ role: "assistant", content: message.content });
      continue;
    }

    const last = out[out.length - 1];
    const pending = toolUseIds(last);
    const blocks = toBlocks(message.content);
    const hasResults = blocks.some((b) => b.type === "tool_result");
    if (pending.length === 0 && !hasResults) {
      if (last?.role === "user") {
        last.content = [...toBlocks(last.content), ...blocks];
        otherFixes++;
      } else {
        out.push({ role: "user", content: message.content });
      }
      continue;
    }
    const wanted = new Set(pending);
    const results: ContentBlock[] = [];
    const others: ContentBlock[] = [];
    for (const block of blocks) {
      if (block.type !== "tool_result") others.push(block);
      else if (wanted.delete(block.tool_use_id)) results.push(block);
      else droppedResults++;
    }
    const synthetic = [...wanted].map(interruptedResult);
    addedResults += synthetic.length;
    // tool_result blocks must come first in the user message.
    const content = [...results, ...synthetic, ...others];
    if (content.length === 0) continue;
    if (last?.role === "user") {
      last.content = [...toBlocks(last.content), ...content];
      otherFixes++;
    } else {
      out.push({ role: "user", content });
    }
  }
  closeDanglingToolUses();
  return { messages: out, addedResults, droppedResults, otherFixes };
}
