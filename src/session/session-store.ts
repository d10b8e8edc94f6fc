// Appends session records to the session's JSONL file, one write per record, so a kill -9 loses at most
// the record being written. A failing disk (ENOSPC, EIO) warns once and the session goes on in memory.
import { randomUUID } from "node:crypto";
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { stringifyOrUndefined } from "../util/json-depth.js";
import type { SessionLock } from "./session-lock.js";
import { isSessionId, sessionFilePath } from "./session-paths.js";
import { SESSION_FORMAT_VERSION, type SessionHeader, type SessionRecord } from "./session-records.js";

export type WarningSink = (message: string) => void;

/** An expected failure with a one-line message for the user. */
export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionError";
  }
}

export interface CreateSessionOptions {
  configHome: string;
  cwd: string;
  model: string;
  clawVersion: string;
  /** A caller-chosen id (--session-id); must be a UUID. */
  id?: string;
  /** false (--no-session-persistence): the session lives in memory only; nothing is written. */
  persist?: boolean;
  onWarning?: WarningSink;
  now?: Date;
}

export interface OpenSessionOptions {
  path: string;
  header: SessionHeader;
  /** Byte length of the complete records; a torn tail beyond it is cut before appending. */
  validLength?: number;
  /** File size when it was loaded: the tail is only cut if nobody appended since. */
  loadedSize?: number;
  /** false (--no-session-persistence): the resumed history is used, nothing is appended. */
  persist?: boolean;
  onWarning?: WarningSink;
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

export class SessionStore {
  private fd: number | undefined;
  private failed = false;
  private readonly warn: WarningSink;
  /** This process's claim to be the session's one writer; released on close (and at exit). */
  private lock: SessionLock | undefined;

  private constructor(
    readonly path: string,
    readonly header: SessionHeader,
    fd: number | undefined,
    onWarning: WarningSink | undefined,
  ) {
    this.fd = fd;
    this.warn = onWarning ?? ((message) => process.stderr.write(`${message}\n`));
  }

  get id(): string {
    return this.header.id;
  }

  /** False once a write failed: the session then lives only in memory. */
  get persistent(): boolean {
    return !this.failed && this.fd !== undefined;
  }

  /** Starts a new session file and writes its header. An id that already has a file is an error. */
  static create(options: CreateSessionOptions): SessionStore {
    const id = options.id ?? randomUUID();
    if (!isSessionId(id)) {
      throw new SessionError(
        `Invalid session id "${id}": --session-id needs a UUID such as ${randomUUID()}.`,
      );
    }
    const path = sessionFilePath(options.configHome, options.cwd, id);
    const header: SessionHeader = {
      type: "header",
      version: SESSION_FORMAT_VERSION,
      id,
      cwd: options.cwd,
      model: options.model,
      created: (options.now ?? new Date()).toISOString(),
      clawVersion: options.clawVersion,
    };
    if (options.persist === false) return new SessionStore(path, header, undefined, options.onWarning);
    return SessionStore.createAt({ path, header, onWarning: options.onWarning });
  }

  /** Starts a session-format file at a given path (a subagent's transcript beside its parent's session). */
  static createAt(options: { path: string; header: SessionHeader; onWarning?: WarningSink }): SessionStore {
    const { path, header } = options;
    const id = header.id;
    let fd: number;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      if (errorCode(error) === "EEXIST") {
        throw new SessionError(`A session with id ${id} already exists; use --resume ${id} to continue it.`);
      }
      const store = new SessionStore(path, header, undefined, options.onWarning);
      store.fail(error);
      return store;
    }
    const store = new SessionStore(path, header, fd, options.onWarning);
    store.writeLine(`${JSON.stringify(header)}\n`);
    return store;
  }

  /** Opens an existing session file for appending (resume). */
  static open(options: OpenSessionOptions): SessionStore {
    if (options.persist === false)
      return new SessionStore(options.path, options.header, undefined, options.onWarning);
    let fd: number;
    try {
      fd = openSync(options.path, "r+");
    } catch (error) {
      const store = new SessionStore(options.path, options.header, undefined, options.onWarning);
      store.fail(error);
      return store;
    }
    const store = new SessionStore(options.path, options.header, undefined, options.onWarning);
    try {
      const size = fstatSync(fd).size;
      const torn = options.validLength !== undefined && options.validLength < size;
      if (torn && size === options.loadedSize) {
        // A torn last line would otherwise glue itself to the next record. If the file grew since it was
        // loaded, another writer is active: leave its bytes alone and only start a fresh line below.
        ftruncateSync(fd, options.validLength!);
      } else if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) writeSync(fd, "\n", size);
      }
      closeSync(fd);
      // Reopen in append mode so every write lands at the end, even with another writer.
      store.fd = openSync(options.path, "a");
      // A resumed session counts as recent: keep it away from pruning.
      if (statSync(options.path).isFile()) {
        const now = new Date();
        utimesSync(options.path, now, now);
      }
    } catch (error) {
      store.fail(error);
    }
    return store;
  }

  /** Writes one record as one line, before the caller processes the next event. */
  append(record: SessionRecord): void {
    if (this.failed || this.fd === undefined) return;
    const stamped = record.ts ? record : { ...record, ts: new Date().toISOString() };
    const line = stringifyOrUndefined(stamped);
    // Tool inputs are depth-checked on arrival; anything else too deep to store ends persistence, not the run.
    if (line === undefined) this.fail(new Error("a record nests too deeply to be stored"));
    else this.writeLine(`${line}\n`);
  }

  /** Keeps the session's writer lock until close. */
  holdLock(lock: SessionLock | undefined): void {
    this.lock = lock;
  }

  /** Appends complete record lines as they are (a fork copying its parent's records). */
  appendLines(lines: Buffer): void {
    if (this.failed || this.fd === undefined || lines.length === 0) return;
    this.writeLine(lines.toString("utf8"));
  }

  close(): void {
    this.lock?.release();
    this.lock = undefined;
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed or the disk is gone: nothing left to save
    }
    this.fd = undefined;
  }

  private writeLine(line: string): void {
    if (this.fd === undefined) return;
    try {
      const bytes = Buffer.from(line, "utf8");
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.close();
    this.warn(
      `claw: could not write the session file ${this.path} (${errorCode(error)}); this session continues in memory and cannot be resumed from here.`,
    );
  }
}
