// Waits for a promise, but no longer than a deadline, and clears the deadline's timer whichever comes first:
// a timer left pending after the wait keeps a finished process alive until it fires.

/** True when `promise` settled (resolved or rejected) within `ms`, false when the time ran out first. */
export async function settlesWithin(
  promise: Promise<unknown>,
  ms: number,
  options: { unref?: boolean } = {},
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    // Unref'd: the wait itself is no reason to keep the process alive.
    if (options.unref) timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
