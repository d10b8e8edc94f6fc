// Reads a session file back: tolerates a torn last line, skips damaged and unknown lines (the file keeps
// them), replays records into the message history (from the latest compaction on) and the usage totals.
import { readFileSync } from "node:fs";
import type { ContentBlock, Message, Usage } from "../api/types.js";
import { emptyUsage } from "../api/types.js";
import { jsonNestsDeeperThan } from "../util/json-depth.js";
import { repairHistory } from "./history-repair.js";
import { classifyRecord, isHeader } from "./session-record-schemas.js";
import { type LoadedRecord, SESSION_FORMAT_VERSION, type SessionHeader } from "./session-records.js";
import { SessionError } from "./session-store.js";

/** The text the agent keeps for a cut-off response; replay rebuilds the same assistant message. */
function interruptedAssistantText(partialText: string): string {
  return `${partialText}\n\n[interrupted by user]`;
}

export interface LoadedSession {
  path: string;
  header: SessionHeader;
  records: LoadedRecord[];
  /** The history to send next: after the latest compaction, repaired for the API. */
  messages: Message[];
  /** The model in use at the end of the file (header, then model_change records). */
  model: string;
  permissionMode: string | undefined;
  usageByModel: Record<string, Usage>;
  /** Context size of the last request (input + cache tokens), for auto-compaction after resume. */
  lastInputTokens: number;
  /** The UI's one-line summary of each tool result, by tool_use_id (what the REPL replays on resume). */
  toolDisplays: Record<string, string>;
  /** One line each: torn tail, damaged lines, repairs. */
  warnings: string[];
  /** Bytes of complete records; anything beyond is a torn tail the store cuts before appending. */
  validLength: number;
  /** The file's size when read. */
  size: number;
}

function addUsage(into: Record<string, Usage>, model: string, usage: Partial<Usage>): void {
  const total = into[model] ?? emptyUsage();
  into[model] = total;
  total.input_tokens += usage.input_tokens ?? 0;
  total.output_tokens += usage.output_tokens ?? 0;
  total.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
  total.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
}

function contextTokens(usage: Partial<Usage>): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0)
  );
}

function toBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

/** Deeper than any record claw writes (tool inputs are refused beyond 256 levels, records add a few). */
const MAX_RECORD_DEPTH = 300;

/** Parses the file into a header and records, noting the torn tail and damaged lines. */
function parseLines(path: string, data: Buffer) {
  const warnings: string[] = [];
  const values: Array<{ line: number; value: unknown }> = [];
  const lastNewline = data.lastIndexOf(0x0a);
  let validLength = lastNewline + 1;
  const body = data.subarray(0, validLength).toString("utf8");
  const tail = data.subarray(validLength).toString("utf8");
  const lines = body.split("\n");
  lines.pop(); // the empty string after the final newline
  lines.forEach((text, index) => {
    if (!text.trim()) return;
    if (jsonNestsDeeperThan(text, MAX_RECORD_DEPTH)) {
      // Written by hand or by a broken tool: replaying it would overflow the stack when the request is built.
      warnings.push(`Session ${path}: line ${index + 1} nests too deeply to be used and was skipped.`);
      return;
    }
    try {
      values.push({ line: index + 1, value: JSON.parse(text) });
    } catch {
      warnings.push(`Session ${path}: line ${index + 1} is damaged and was skipped.`);
    }
  });
  if (tail.trim()) {
    try {
      // A complete record that only lacks its newline.
      values.push({ line: lines.length + 1, value: JSON.parse(tail) });
      validLength = data.length;
    } catch {
      warnings.push(
        `Session ${path}: the last line was cut off (claw stopped mid-write); it was dropped and the earlier records were loaded.`,
      );
    }
  }
  return { values, warnings, validLength };
}

export function loadSession(path: string): LoadedSession {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SessionError(
      code === "ENOENT" ? `No session file at ${path}.` : `Cannot read the session file ${path} (${code}).`,
    );
  }
  const { values, warnings, validLength } = parseLines(path, data);
  const first = values[0];
  if (!first || !isHeader(first.value)) {
    throw new SessionError(`The session file ${path} has no valid header line; it cannot be resumed.`);
  }
  const header = first.value;
  if (header.version > SESSION_FORMAT_VERSION) {
    warnings.push(
      `Session ${path} was written by a newer claw (format ${header.version}); records this version does not know are skipped.`,
    );
  }

  const records: LoadedRecord[] = [];
  let messages: Message[] = [];
  let model = header.model;
  let permissionMode: string | undefined;
  const usageByModel: Record<string, Usage> = {};
  const assistantUsage: Record<string, Usage> = {};
  let sawUsageRecord = false;
  let lastInputTokens = 0;
  const toolDisplays: Record<string, string> = {};

  // Consecutive user-side messages merge, mirroring how the agent keeps its history.
  // The history as it was before the latest prompt, for a prompt_withdrawn record.
  let beforePrompt: Message[] | undefined;
  // The history before each typed prompt, for conversation_rewind records.
  const beforePromptById = new Map<string, Message[]>();
  const appendUser = (message: Message) => {
    const last = messages[messages.length - 1];
    if (last?.role === "user") last.content = [...toBlocks(last.content), ...toBlocks(message.content)];
    else messages.push({ role: "user", content: message.content });
  };

  for (const { line, value } of values.slice(1)) {
    const record = classifyRecord(value);
    if (!record) {
      warnings.push(`Session ${path}: line ${line} is not a valid record and was skipped.`);
      continue;
    }
    records.push(record);
    switch (record.type) {
      case "user":
        beforePrompt = messages.map((m) => ({ ...m }));
        if (record.uuid)
          beforePromptById.set(
            record.uuid,
            messages.map((m) => ({ ...m })),
          );
        appendUser(record.message);
        break;
      case "conversation_rewind": {
        const before = beforePromptById.get(record.to);
        if (before) messages = before.map((m) => ({ ...m }));
        beforePrompt = undefined;
        break;
      }
      case "tool_results":
        appendUser(record.message);
        for (const [id, display] of Object.entries(record.displays ?? {}))
          if (typeof display === "string") toolDisplays[id] = display;
        break;
      case "prompt_withdrawn":
        if (beforePrompt) messages = beforePrompt;
        beforePrompt = undefined;
        break;
      case "assistant": {
        messages.push({ role: "assistant", content: record.message.content });
        const usage = record.message.usage;
        if (usage) addUsage(assistantUsage, record.message.model || model, usage);
        break;
      }
      case "interrupted":
        if (record.partialText.trim()) {
          messages.push({
            role: "assistant",
            content: [{ type: "text", text: interruptedAssistantText(record.partialText) }],
          });
        }
        break;
      case "compaction":
        messages = record.messages.map((m) => ({ role: m.role, content: m.content }));
        beforePrompt = undefined;
        lastInputTokens = record.tokensAfter;
        break;
      case "model_change":
        model = record.model;
        break;
      case "permission_mode_change":
        permissionMode = record.mode;
        break;
      case "usage":
        sawUsageRecord = true;
        addUsage(usageByModel, record.model, record.usage);
        if (!record.purpose) lastInputTokens = contextTokens(record.usage);
        break;
      case "checkpoint":
      case "unknown":
        break;
    }
  }

  const repaired = repairHistory(messages);
  if (repaired.addedResults > 0) {
    warnings.push(
      `Session ${path}: ${repaired.addedResults} tool call(s) had no result (interrupted); they were marked as interrupted.`,
    );
  }
  if (repaired.droppedResults > 0) {
    warnings.push(
      `Session ${path}: ${repaired.droppedResults} tool result(s) without a matching call were dropped.`,
    );
  }
  return {
    path,
    header,
    records,
    messages: repaired.messages,
    model,
    permissionMode,
    // Files from before usage records existed still carry usage on each assistant message.
    usageByModel: sawUsageRecord ? usageByModel : assistantUsage,
    lastInputTokens,
    toolDisplays,
    warnings,
    validLength,
    size: data.length,
  };
}
