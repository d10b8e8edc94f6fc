// Decides the session of a run from -c / -r / --session-id: creates or resumes it and returns the history.
// Every failure is one line for the user, and nothing is started when a requested session is missing.
import { readFileSync } from "node:fs";
import type { Message, Usage } from "../api/types.js";
import { findSessionById, listSessionFiles, pruneOldSessions } from "./session-list.js";
import type { LoadedSession } from "./session-load.js";
import { lockNewSession, lockSession } from "./session-lock.js";
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
  /** With continue/resume: the history goes on in a new session (sessionId, else a fresh id); the original stays as it was. */
  fork?: boolean;
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

/** The session -r names, or the candidates for -c, newest first (an unreadable latest one falls back). */
function resolveExisting(request: OpenSessionRequest): { paths: string[] } | { message: string } {
  if (request.resume !== undefined) {
    const found = findSessionById(request.configHome, request.cwd, request.resume);
    if (!found) {
      return {
        message: `No session found with id ${request.resume}. Run \`claw sessions\` to list this directory's sessions.`,
      };
    }
    return { paths: [found.path] };
  }
  const files = listSessionFiles(request.configHome, request.cwd);
  if (files.length === 0)
    return { message: `No session to continue in ${request.cwd}. Start one with \`claw -p "<prompt>"\`.` };
  return { paths: files.map((file) => file.path) };
}

/** Loads the first candidate that has a header; for -c, says which broken newer ones were passed over. */
type LoadSession = (path: string) => LoadedSession;

function loadFirstValid(paths: string[], loadSession: LoadSession, warn: WarningSink): LoadedSession {
  for (const [index, path] of paths.entries()) {
    try {
      return loadSession(path);
    } catch (error) {
      const last = index === paths.length - 1;
      if (!(error instanceof SessionError) || last || !/no valid header/.test(error.message)) throw error;
      warn(
        `claw: ${error.message.replace(/; it cannot be resumed\.$/, "")}; continuing the session before it.`,
      );
    }
  }
  throw new SessionError("No session to continue.");
}

export async function openSessionForRun(request: OpenSessionRequest): Promise<OpenSessionResult> {
  const warn = request.onWarning ?? ((message: string) => process.stderr.write(`${message}\n`));
  const resuming = request.continue === true || request.resume !== undefined;
  if (request.sessionId !== undefined) {
    if (resuming && !request.fork)
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
      if (request.persist !== false) store.holdLock(lockNewSession(store.path));
      result = { ok: true, store, history: [], usageByModel: {}, lastInputTokens: 0 };
    } else {
      const existing = resolveExisting(request);
      if ("message" in existing) return { ok: false, message: existing.message };
      // Reading a session back validates its records with zod: loaded only when a run resumes one.
      const { loadSession } = await import("./session-load.js");
      const first = loadFirstValid(existing.paths, loadSession, warn);
      for (const warning of first.warnings) warn(`claw: ${warning}`);
      const { store, loaded } = request.fork
        ? forkSession(request, first, { loadSession, warn, id: request.sessionId })
        : openLocked(request, first, loadSession, warn);
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

/**
 * Opens a resumed session as its one writer. When another claw keeps writing it, the run goes on in a new
 * session holding the records as they were when that process started (a fork): the two processes never
 * interleave records, and this one does not see the other's turn in progress.
 */
function openLocked(
  request: OpenSessionRequest,
  loaded: LoadedSession,
  loadSession: LoadSession,
  warn: WarningSink,
): { store: SessionStore; loaded: LoadedSession } {
  const open = (session: LoadedSession) =>
    SessionStore.open({
      path: session.path,
      header: session.header,
      validLength: session.validLength,
      loadedSize: session.size,
      onWarning: warn,
      persist: request.persist,
    });
  if (request.persist === false) return { store: open(loaded), loaded };
  const locked = lockSession(loaded.path, loaded.validLength);
  if (locked.ok) {
    const store = open(loaded);
    store.holdLock(locked.lock);
    return { store, loaded };
  }
  const forked = forkSession(request, loaded, { loadSession, warn, length: locked.length });
  const by =
    locked.holder === undefined ? "another claw process" : `another claw process (pid ${locked.holder})`;
  warn(
    `claw: session ${loaded.header.id} is in use by ${by}; continuing in a new session ${forked.store.id} with its history (resume it with --resume ${forked.store.id}).`,
  );
  return forked;
}

/**
 * A new session holding the loaded one's records (up to `length` bytes of its file), opened as its one writer
 * (--fork-session, or a session another claw is writing); the original file is only read.
 */
function forkSession(
  request: OpenSessionRequest,
  loaded: LoadedSession,
  how: { loadSession: LoadSession; warn: WarningSink; length?: number; id?: string },
): { store: SessionStore; loaded: LoadedSession } {
  const fork = SessionStore.create({
    configHome: request.configHome,
    cwd: request.cwd,
    id: how.id,
    model: loaded.header.model,
    clawVersion: request.clawVersion,
    onWarning: how.warn,
    persist: request.persist,
  });
  if (request.persist === false) {
    // Nothing is written: the fork is the loaded history under the new id, in memory.
    return { store: fork, loaded };
  }
  const lock = lockNewSession(fork.path);
  fork.appendLines(recordLines(loaded, how.length));
  fork.close();
  const forked = how.loadSession(fork.path);
  const store = SessionStore.open({
    path: forked.path,
    header: forked.header,
    validLength: forked.validLength,
    loadedSize: forked.size,
    onWarning: how.warn,
  });
  store.holdLock(lock);
  return { store, loaded: forked };
}

/** The loaded file's records after its header line, up to `length` bytes of the file, as complete lines. */
function recordLines(loaded: LoadedSession, length: number | undefined): Buffer {
  const end = Math.min(loaded.validLength, length ?? loaded.validLength);
  const data = readFileSync(loaded.path).subarray(0, end);
  const headerEnd = data.indexOf(0x0a);
  if (headerEnd < 0) return Buffer.alloc(0);
  const body = data.subarray(headerEnd + 1);
  return body.length === 0 || body[body.length - 1] === 0x0a
    ? body
    : Buffer.concat([body, Buffer.from("\n")]);
}
