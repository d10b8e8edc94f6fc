// Decides the session of a run from -c / -r / --session-id: creates or resumes it and returns the history.
// Every failure is one line for the user, and nothing is started when a requested session is missing.
import type { Message, Usage } from "../api/types.js";
import { findLatestSession, findSessionById, pruneOldSessions } from "./session-list.js";
import type { LoadedSession } from "./session-load.js";
import { isSessionId } from "./session-paths.js";
import { SessionError, SessionStore, type WarningSink } from "./session-store.js";

export interface OpenSessionRequest {
  configHome: string;
  cwd: string;
  /** The model this run uses; recorded as a model_change when a resumed session used another. */
  model: string;
  clawVersion: string;
  continue?: boolean;
  resume?: string;
  sessionId?: string;
  cleanupPeriodDays?: number;
  onWarning?: WarningSink;
  /** false (--no-session-persistence): nothing is written under the config home. */
  persist?: boolean;
}

export type OpenSessionResult =
  | {
      ok: true;
      store: SessionStore;
      /** The history to start from (empty for a new session). */
      history: Message[];
      /** Set when an existing session was resumed. */
      resumed?: LoadedSession;
      usageByModel: Record<string, Usage>;
      lastInputTokens: number;
    }
  | { ok: false; message: string };

function resolveExisting(request: OpenSessionRequest): { path: string } | { message: string } {
  if (request.resume !== undefined) {
    const found = findSessionById(request.configHome, request.cwd, request.resume);
    if (!found) {
      return {
        message: `No session found with id ${request.resume}. Run \`claw sessions\` to list this directory's sessions.`,
      };
    }
    return { path: found.path };
  }
  const latest = findLatestSession(request.configHome, request.cwd);
  if (!latest)
    return { message: `No session to continue in ${request.cwd}. Start one with \`claw -p "<prompt>"\`.` };
  return { path: latest.path };
}

export async function openSessionForRun(request: OpenSessionRequest): Promise<OpenSessionResult> {
  const warn = request.onWarning ?? ((message: string) => process.stderr.write(`${message}\n`));
  const resuming = request.continue === true || request.resume !== undefined;
  if (request.sessionId !== undefined) {
    if (resuming)
      return {
        ok: false,
        message: "--session-id starts a new session; it cannot be combined with --continue or --resume.",
      };
    if (!isSessionId(request.sessionId)) {
      return { ok: false, message: `Invalid session id "${request.sessionId}": --session-id needs a UUID.` };
    }
  }
  try {
    let result: OpenSessionResult;
    if (!resuming) {
      const store = SessionStore.create({
        configHome: request.configHome,
        cwd: request.cwd,
        id: request.sessionId,
        model: request.model,
        clawVersion: request.clawVersion,
        onWarning: warn,
        persist: request.persist,
      });
      result = { ok: true, store, history: [], usageByModel: {}, lastInputTokens: 0 };
    } else {
      const existing = resolveExisting(request);
      if ("message" in existing) return { ok: false, message: existing.message };
      // Reading a session back validates its records with zod: loaded only when a run resumes one.
      const { loadSession } = await import("./session-load.js");
      const loaded = loadSession(existing.path);
      for (const warning of loaded.warnings) warn(`claw: ${warning}`);
      const store = SessionStore.open({
        path: loaded.path,
        header: loaded.header,
        validLength: loaded.validLength,
        loadedSize: loaded.size,
        onWarning: warn,
        persist: request.persist,
      });
      if (request.model && request.model !== loaded.model)
        store.append({ type: "model_change", model: request.model });
      result = {
        ok: true,
        store,
        history: loaded.messages,
        resumed: loaded,
        usageByModel: loaded.usageByModel,
        lastInputTokens: loaded.lastInputTokens,
      };
    }
    // Background and best effort: a slow disk must not delay the first request.
    void pruneOldSessions({
      configHome: request.configHome,
      cleanupPeriodDays: request.cleanupPeriodDays,
      keep: [result.store.path],
    }).catch(() => undefined);
    return result;
  } catch (error) {
    if (error instanceof SessionError) return { ok: false, message: error.message };
    throw error;
  }
}
