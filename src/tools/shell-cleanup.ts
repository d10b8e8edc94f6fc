// Stopping every background shell at exit without loading the background-shell module: it registers its
// killer here when it loads, so a session that never started one has nothing to load or stop.
let killer: (() => void) | undefined;

export function registerBackgroundShellKiller(kill: () => void): void {
  killer = kill;
}

/** SIGKILLs every background shell's process group (synchronous, safe in an 'exit' handler). */
export function killAllBackgroundShells(): void {
  killer?.();
}
