// One writer per session file: `<session>.jsonl.lock` holds the writer's pid. A lock whose pid is gone (claw
// was killed) is stale and taken over; a live one makes the caller wait briefly, then give up (the caller
// forks a new session instead of interleaving records with the other process).
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";

export interface SessionLock {
  readonly path: string;
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function lockPathFor(sessionPath: string): string {
  return `${sessionPath}.lock`;
}

interface LockContent {
  pid: number | undefined;
  /** Length of the session's complete records when the holder took the lock (what a fork copies). */
  length: number | undefined;
}

function readLock(path: string): LockContent {
  try {
    const [pid, length] = readFileSync(path, "utf8").trim().split(/\s+/).map(Number);
    const valid = (n: number | undefined) => (Number.isInteger(n) && (n as number) >= 0 ? n : undefined);
    return { pid: pid && valid(pid), length: valid(length) };
  } catch {
    return { pid: undefined, length: undefined };
  }
}

function readPid(path: string): number | undefined {
  return readLock(path).pid;
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates the lock with its pid already inside (linked from a private file), so nobody reads it empty. */
function createLock(path: string, length: number): boolean {
  const own = `${path}.${process.pid}`;
  const fd = openSync(own, "w", 0o600);
  try {
    writeSync(fd, `${process.pid} ${length}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(own, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkQuietly(own);
  }
}

/** Moves a dead holder's lock aside; puts it back if another process replaced it in the meantime. */
function removeStale(path: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // already gone
  }
  if (isAlive(readPid(aside))) {
    try {
      linkSync(aside, path);
    } catch {
      // somebody holds it again: their lock stands
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // nothing to clean
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the session's lock, waiting up to `waitMs` for a live holder. `length` is the byte length of the
 * session's complete records as this process loaded them. When the holder stays busy, returns its pid and the
 * length it started from. Errors other than contention (a read-only folder) give no lock and no refusal.
 */
export function lockSession(
  sessionPath: string,
  length: number,
  waitMs = 2000,
):
  | { ok: true; lock: SessionLock | undefined }
  | { ok: false; holder: number | undefined; length: number | undefined } {
  const path = lockPathFor(sessionPath);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      if (createLock(path, length)) return { ok: true, lock: heldLock(path) };
    } catch {
      return { ok: true, lock: undefined };
    }
    const holder = readLock(path);
    const alive = isAlive(holder.pid);
    if (!alive) removeStale(path);
    if (Date.now() >= deadline) return { ok: false, holder: holder.pid, length: holder.length };
    if (alive) sleepSync(100);
  }
}

function heldLock(path: string): SessionLock {
  held.add(path);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const lock of held) unlinkQuietly(lock);
    });
  }
  return {
    path,
    release() {
      if (!held.delete(path)) return;
      unlinkQuietly(path);
    },
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already removed
  }
}

/** The lock of a session this process has just created (nobody else can hold it yet). */
export function lockNewSession(sessionPath: string): SessionLock | undefined {
  const locked = lockSession(sessionPath, 0, 0);
  return locked.ok ? locked.lock : undefined;
}
