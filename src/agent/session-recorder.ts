// Turns the agent's events into session records, so every frontend records sessions the same way.
// Each record is written before the next event is handled (flush per record).
import type { SessionRecord } from "../session/session-records.js";
import type { AgentEvent } from "./events.js";

/** What the recorder needs from a store (SessionStore satisfies it). */
export interface RecordSink {
  append(record: SessionRecord): void;
}

/** The record an event becomes, or undefined for events that are not part of the transcript. */
export function recordForEvent(event: AgentEvent): SessionRecord | undefined {
  switch (event.type) {
    case "user_message": {
      const content = event.message.content;
      const isToolResults = typeof content !== "string" && content.some((b) => b.type === "tool_result");
      if (!isToolResults)
        return { type: "user", message: event.message, ...(event.promptId ? { uuid: event.promptId } : {}) };
      const displays: Record<string, string> = {};
      for (const [id, result] of Object.entries(event.toolResults ?? {}))
        if (result.display) displays[id] = result.display;
      return {
        type: "tool_results",
        message: event.message,
        ...(Object.keys(displays).length ? { displays } : {}),
      };
    }
    case "assistant_message":
      return { type: "assistant", message: event.message };
    case "interrupted":
      return { type: "interrupted", partialText: event.partialText };
    case "usage":
      return { type: "usage", model: event.model, usage: event.usage };
    case "subagent":
      // The subagent's conversation has its own transcript; the parent's keeps what it cost.
      return event.event.type === "usage"
        ? { type: "usage", model: event.event.model, usage: event.event.usage, purpose: "subagent" }
        : undefined;
    case "compaction_end":
      return {
        type: "compaction",
        summary: event.summary,
        messagesSummarized: event.messagesSummarized,
        tokensBefore: event.tokensBefore,
        tokensAfter: event.tokensAfter,
        filesMentioned: event.filesMentioned,
        messages: event.messages,
      };
    default:
      return undefined;
  }
}

/** A consumer to call with every AgentEvent of a run. */
export function createSessionRecorder(sink: RecordSink): (event: AgentEvent) => void {
  return (event) => {
    const record = recordForEvent(event);
    if (record) sink.append(record);
  };
}
