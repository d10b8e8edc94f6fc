// What a front end may change in a running conversation — model, permission mode, withdrawing the last prompt —
// each done in one place: the agent or gate changes and the session records it, so a resume replays it.
import type { Agent } from "../agent/agent.js";
import type { PermissionGate, PermissionMode } from "../policy/permission-types.js";
import { rewindConversation } from "../session/conversation-rewind.js";
import type { SessionRecord } from "../session/session-records.js";

export interface ConversationControls {
  /** From the next request on; recorded so a resumed session keeps it. */
  setModel(model: string): void;
  setPermissionMode(mode: PermissionMode): void;
  /** Takes the latest prompt out again (nothing came back for it); false when there was nothing to take. */
  withdrawLastPrompt(): boolean;
  /**
   * Continues the conversation from just before the prompt `promptId` (a new branch of the session file; nothing
   * is deleted). Returns what the user had typed for that prompt.
   */
  rewindConversation(promptId: string): Promise<{ promptText: string } | { error: string }>;
}

export function conversationControls(
  agent: Agent,
  gate: Pick<PermissionGate, "setMode">,
  append: (record: SessionRecord) => void,
  /** The session file the history is replayed from; without one the conversation cannot be rewound. */
  sessionPath?: string,
): ConversationControls {
  return {
    setModel(model) {
      agent.setModel(model);
      append({ type: "model_change", model });
    },
    setPermissionMode(mode) {
      gate.setMode(mode);
      append({ type: "permission_mode_change", mode });
    },
    withdrawLastPrompt() {
      if (!agent.withdrawLastPrompt()) return false;
      append({ type: "prompt_withdrawn" });
      return true;
    },
    async rewindConversation(promptId) {
      if (!sessionPath) return { error: "This session is not saved, so its conversation cannot be rewound." };
      const rewound = await rewindConversation({ append }, sessionPath, promptId);
      if ("error" in rewound) return rewound;
      agent.rewindHistory(rewound.messages);
      return { promptText: rewound.promptText };
    },
  };
}
