// What an editor is shown: agent events become ACP `session/update` payloads — message and thought chunks,
// tool calls with their kind, title, locations, output and diffs, and the TodoWrite list as a plan.
// Types are written out here (a subset of the ACP schema) so this module loads without the ACP SDK.
import type { AgentEvent } from "../agent/events.js";
import type { ContentBlock, Message } from "../api/types.js";
import type { ToolResult } from "../tools/types.js";
import { isRecord } from "../util/is-record.js";

export type AcpToolKind =
  | "read"
  | "edit"
  | "delete"
  | "move"
  | "search"
  | "execute"
  | "think"
  | "fetch"
  | "other";
export type AcpContent = { type: "text"; text: string } | { type: "image"; data: string; mimeType: string };
export type AcpToolContent =
  | { type: "content"; content: AcpContent }
  | { type: "diff"; path: string; oldText?: string | null; newText: string }
  | { type: "terminal"; terminalId: string };

export type AcpUpdate =
  | {
      sessionUpdate: "agent_message_chunk" | "agent_thought_chunk" | "user_message_chunk";
      content: AcpContent;
    }
  | {
      sessionUpdate: "tool_call";
      toolCallId: string;
      title: string;
      kind: AcpToolKind;
      status: "pending" | "in_progress" | "completed" | "failed";
      rawInput?: unknown;
      locations?: Array<{ path: string; line?: number }>;
      content?: AcpToolContent[];
    }
  | {
      sessionUpdate: "tool_call_update";
      toolCallId: string;
      status: "in_progress" | "completed" | "failed";
      content?: AcpToolContent[];
      rawOutput?: unknown;
    }
  | {
      sessionUpdate: "plan";
      entries: Array<{
        content: string;
        priority: "medium";
        status: "pending" | "in_progress" | "completed";
      }>;
    };

export function toolKind(name: string): AcpToolKind {
  switch (name) {
    case "Read":
      return "read";
    case "Write":
    case "Edit":
    case "NotebookEdit":
      return "edit";
    case "Bash":
    case "BashOutput":
    case "KillShell":
      return "execute";
    case "Glob":
    case "Grep":
      return "search";
    case "WebFetch":
    case "WebSearch":
      return "fetch";
    case "TodoWrite":
      return "think";
    default:
      return "other";
  }
}

/** The files a call touches, so the editor can follow along. */
function locations(input: unknown): Array<{ path: string; line?: number }> {
  if (!isRecord(input)) return [];
  const path = [input.file_path, input.notebook_path, input.path].find((p) => typeof p === "string");
  if (typeof path !== "string") return [];
  return typeof input.offset === "number" ? [{ path, line: input.offset }] : [{ path }];
}

/** Edit and Write shown as diffs the editor can render (Edit: the replaced fragment). */
function diffOf(name: string, input: unknown): AcpToolContent[] {
  if (!isRecord(input) || typeof input.file_path !== "string") return [];
  if (name === "Edit" && typeof input.old_string === "string" && typeof input.new_string === "string") {
    return [{ type: "diff", path: input.file_path, oldText: input.old_string, newText: input.new_string }];
  }
  if (name === "Write" && typeof input.content === "string") {
    return [{ type: "diff", path: input.file_path, oldText: null, newText: input.content }];
  }
  return [];
}

function resultContent(result: ToolResult): AcpToolContent[] {
  if (typeof result.content === "string") {
    return result.content ? [{ type: "content", content: { type: "text", text: result.content } }] : [];
  }
  return result.content.map((block) =>
    block.type === "text"
      ? { type: "content", content: { type: "text", text: block.text } }
      : {
          type: "content",
          content: { type: "image", data: block.source.data, mimeType: block.source.media_type },
        },
  );
}

function planOf(input: unknown): AcpUpdate | undefined {
  if (!isRecord(input) || !Array.isArray(input.todos)) return undefined;
  const entries = input.todos.filter(isRecord).map((todo) => ({
    content: String(todo.content ?? ""),
    priority: "medium" as const,
    status: (["pending", "in_progress", "completed"] as const).find((s) => s === todo.status) ?? "pending",
  }));
  return { sessionUpdate: "plan", entries };
}

/** The updates one agent event becomes (often none). Tool inputs are remembered between start and end. */
export function createUpdateMapper(): (event: AgentEvent) => AcpUpdate[] {
  const inputs = new Map<string, { name: string; input: unknown }>();
  return (event) => {
    switch (event.type) {
      case "text_delta":
        return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.text } }];
      case "thinking_delta":
        return [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.text } }];
      case "tool_start": {
        inputs.set(event.id, { name: event.name, input: event.input });
        const update: AcpUpdate = {
          sessionUpdate: "tool_call",
          toolCallId: event.id,
          title: event.summary,
          kind: toolKind(event.name),
          status: "pending",
          rawInput: event.input,
          locations: locations(event.input),
          content: diffOf(event.name, event.input),
        };
        const plan = event.name === "TodoWrite" ? planOf(event.input) : undefined;
        return plan ? [update, plan] : [update];
      }
      case "tool_update":
        return [
          {
            sessionUpdate: "tool_call_update",
            toolCallId: event.id,
            status: "in_progress",
            content: [{ type: "content", content: { type: "text", text: event.text } }],
          },
        ];
      case "tool_end": {
        const call = inputs.get(event.id);
        inputs.delete(event.id);
        const failed = event.result.isError === true;
        const diff = !failed && call ? diffOf(call.name, call.input) : [];
        // A command run in the editor's terminal keeps showing it: the content is left as it is.
        const inTerminal = typeof event.result.details?.terminalId === "string";
        return [
          {
            sessionUpdate: "tool_call_update",
            toolCallId: event.id,
            status: failed ? "failed" : "completed",
            ...(inTerminal ? {} : { content: [...diff, ...resultContent(event.result)] }),
            rawOutput: event.result.details ?? event.result.display,
          },
        ];
      }
      default:
        return [];
    }
  };
}

/** A loaded session's history as the updates that show it again (session/load). */
export function historyUpdates(messages: readonly Message[]): AcpUpdate[] {
  const updates: AcpUpdate[] = [];
  const blocks = (content: string | ContentBlock[]): ContentBlock[] =>
    typeof content === "string" ? [{ type: "text", text: content }] : content;
  for (const message of messages) {
    for (const block of blocks(message.content)) {
      if (block.type === "text" && block.text.trim()) {
        updates.push({
          sessionUpdate: message.role === "user" ? "user_message_chunk" : "agent_message_chunk",
          content: { type: "text", text: block.text },
        });
      } else if (block.type === "tool_use") {
        updates.push({
          sessionUpdate: "tool_call",
          toolCallId: block.id,
          title: block.name,
          kind: toolKind(block.name),
          status: "completed",
          rawInput: block.input,
          locations: locations(block.input),
          content: diffOf(block.name, block.input),
        });
      } else if (block.type === "tool_result") {
        const text =
          typeof block.content === "string"
            ? block.content
            : block.content.map((b) => (b.type === "text" ? b.text : "[image]")).join("\n");
        updates.push({
          sessionUpdate: "tool_call_update",
          toolCallId: block.tool_use_id,
          status: block.is_error ? "failed" : "completed",
          content: text ? [{ type: "content", content: { type: "text", text } }] : [],
        });
      }
    }
  }
  return updates;
}
