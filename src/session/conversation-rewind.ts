// Continuing a session from just before one of its prompts: a conversation_rewind record is appended (nothing
// is deleted: the later messages stay in the file as another branch) and the history is replayed up to there.
import type { ContentBlock, Message } from "../api/types.js";
import type { SessionRecord } from "./session-records.js";

export interface ConversationRewind {
  /** The history to continue from. */
  messages: Message[];
  /** What the user had typed for that prompt (to offer it again). */
  promptText: string;
}

function plainText(content: string | ContentBlock[]): string {
  if (typeof content === "string") return content;
  return content
    .filter((b) => b.type === "text")
    .map((b) => (b as { text: string }).text)
    .join("\n");
}

export async function rewindConversation(
  sink: { append(record: SessionRecord): void },
  sessionPath: string,
  promptId: string,
): Promise<ConversationRewind | { error: string }> {
  const { loadSession } = await import("./session-load.js");
  const before = loadSession(sessionPath);
  const prompt = before.records.find((r) => r.type === "user" && r.uuid === promptId);
  if (prompt?.type !== "user") return { error: "That prompt is not in this session's file." };
  sink.append({ type: "conversation_rewind", to: promptId });
  const after = loadSession(sessionPath);
  return { messages: after.messages, promptText: plainText(prompt.message.content) };
}
