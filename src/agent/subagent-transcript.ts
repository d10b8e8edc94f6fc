// A subagent's conversation, saved beside its parent's session file in the session format:
// <session dir>/<session id>/subagents/agent-<agent id>.jsonl, one record per event, flushed as it happens.
import { basename, dirname, join } from "node:path";
import { SESSION_FORMAT_VERSION } from "../session/session-records.js";
import { SessionStore } from "../session/session-store.js";
import { recordForEvent } from "./session-recorder.js";
import type { SubagentTranscript } from "./subagent-runner.js";

export interface SubagentTranscriptOptions {
  /** The parent's session file. */
  sessionPath: string;
  sessionId: string;
  cwd: string;
  model: () => string;
  clawVersion: string;
  onWarning?: (message: string) => void;
}

/** The folder a session's subagent transcripts go in. */
export function subagentDir(sessionPath: string): string {
  return join(dirname(sessionPath), basename(sessionPath, ".jsonl"), "subagents");
}

export function createTranscriptOpener(
  options: SubagentTranscriptOptions,
): (agentId: string, agentType: string, parentToolUseId: string) => SubagentTranscript {
  return (agentId, agentType, parentToolUseId) => {
    const store = SessionStore.createAt({
      path: join(subagentDir(options.sessionPath), `agent-${agentId}.jsonl`),
      header: {
        type: "header",
        version: SESSION_FORMAT_VERSION,
        id: agentId,
        cwd: options.cwd,
        model: options.model(),
        created: new Date().toISOString(),
        clawVersion: options.clawVersion,
        subagent: { agentType, parentSessionId: options.sessionId, parentToolUseId },
      },
      onWarning: options.onWarning,
    });
    return {
      path: store.path,
      record(event) {
        const record = recordForEvent(event);
        if (record) store.append(record);
      },
      close: () => store.close(),
    };
  };
}
