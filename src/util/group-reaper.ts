// Process groups claw starts (Bash commands, background shells, hooks) must not outlive claw, even when claw
// is killed with SIGKILL and runs no exit handler. One small watchdog shell per claw process (its own session,
// so terminal signals spare it) reads the groups to guard on a pipe whose only writer is claw: when claw dies
// for any reason the kernel closes the pipe, the watchdog reads end-of-file and SIGKILLs every group it holds.
// A guarded child waits for claw's go-ahead before it runs anything, so no instant exists in which it runs
// unguarded (a claw killed between spawning and registering it leaves a child that just exits).
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { writeSync } from "node:fs";

// "+ pgid" guards a group, "- pgid" forgets it; at end of input every guarded group is killed.
const WATCHDOG = `g=" "
while read -r op p; do
  case "$op" in
    +) g="$g$p " ;;
    -) n=" "; for q in $g; do [ "$q" = "$p" ] || n="$n$q "; done; g="$n" ;;
  esac
done
for p in $g; do kill -9 -$p 2>/dev/null; done`;

let watchdog: ChildProcess | null | undefined;

function start(): ChildProcess | null {
  if (process.platform === "win32") return null;
  try {
    const child = spawn("/bin/sh", ["-c", WATCHDOG], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.on("error", () => {
      watchdog = null;
    });
    child.stdin?.on("error", () => {
      watchdog = null;
    });
    // Neither the watchdog nor its pipe keeps claw running.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return null;
  }
}

/**
 * Starts the watchdog if it is not running yet. Call it before spawning a child to guard: starting it forks,
 * which takes a while, and a claw killed meanwhile would leave the already running child unguarded.
 */
export function prepareGroupReaper(): void {
  if (watchdog === undefined) watchdog = start();
}

function send(line: string): void {
  prepareGroupReaper();
  const stdin = watchdog?.stdin;
  if (!stdin) return;
  // Written at once (not queued for the event loop), so a SIGKILL right after cannot lose it.
  const fd = (stdin as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd === "number" && fd >= 0) {
    try {
      writeSync(fd, `${line}\n`);
      return;
    } catch (error) {
      // EAGAIN (a full pipe: thousands of pending lines) falls back to the queue; anything else means
      // the watchdog is gone.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") {
        watchdog = null;
        return;
      }
    }
  }
  stdin.write(`${line}\n`);
}

/**
 * Guards the process group `pgid` (a detached child's pid) until the returned release is called: release it
 * once the group is empty, so that a later group reusing the number is never touched.
 */
export function guardProcessGroup(pgid: number | undefined): () => void {
  if (pgid === undefined || pgid <= 0) return () => {};
  send(`+ ${pgid}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    send(`- ${pgid}`);
  };
}

/** Holds the child until claw has registered its group: one line on fd 3, then the real program (same pid). */
const GATE = 'read -r _ <&3 || exit 125; exec 3<&-; exec "$@"';

/**
 * Spawns `file args` as the leader of a new process group (detached) that dies with claw, however claw ends.
 * `release` stops guarding it: call once the group is empty.
 */
export function spawnGuardedGroup(
  file: string,
  args: readonly string[],
  options: Omit<SpawnOptions, "detached" | "stdio"> & { stdio: Array<"pipe" | "ignore"> },
): { child: ChildProcess; release: () => void } {
  prepareGroupReaper();
  if (!watchdog) return { child: spawn(file, args, { ...options, detached: true }), release: () => {} };
  const child = spawn("/bin/sh", ["-c", GATE, "claw-guard", file, ...args], {
    ...options,
    detached: true,
    stdio: [...options.stdio, "pipe"],
  });
  const release = guardProcessGroup(child.pid);
  const gate = child.stdio[3] as (NodeJS.WritableStream & { destroy(): void }) | null | undefined;
  if (gate) {
    const fd = (gate as unknown as { _handle?: { fd?: number } })._handle?.fd;
    try {
      if (typeof fd === "number" && fd >= 0) writeSync(fd, "\n");
      else gate.write("\n");
    } catch {
      // the child is already gone
    }
    gate.destroy();
  }
  return { child, release };
}
