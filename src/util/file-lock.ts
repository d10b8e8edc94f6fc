// Cross-process lock around read-modify-write of credentials.json (refresh tokens may rotate, so two processes
// must never refresh with the same one). proper-lockfile is loaded lazily; a crashed holder goes stale.

export class FileLockError extends Error {}

export interface LockTiming {
  /** A lock not touched for this long belongs to a dead process and is taken over; default 10 s. */
  staleMs?: number;
  /** How long to wait for another process before giving up; roughly, default 30 s. */
  waitMs?: number;
}

export async function withFileLock<T>(path: string, timing: LockTiming, fn: () => Promise<T>): Promise<T> {
  const mod = await import("proper-lockfile");
  // CommonJS module: the functions sit on `default` when bundled, on the namespace when run from source.
  const lockfile = mod.default ?? mod;
  const stale = Math.max(2000, timing.staleMs ?? 10_000);
  const waitMs = timing.waitMs ?? 30_000;
  const maxTimeout = 250;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale,
      retries: { retries: Math.ceil(waitMs / maxTimeout) + 5, minTimeout: 25, maxTimeout, factor: 1.5 },
      // The default throws from a timer and kills the process; losing the lock only weakens the guarantee.
      onCompromised: () => {},
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOCKED")
      throw new FileLockError(
        `another claw process is holding ${path}.lock; try again (remove that directory if no claw is running)`,
      );
    throw new FileLockError(`cannot lock ${path} (${code ?? "error"})`);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {
      // already released or taken over as stale: nothing left to undo
    });
  }
}
