// Process groups claw starts (Bash commands, background shells, hooks) must not outlive claw, even when claw
// is killed with SIGKILL and runs no exit handler. One small watchdog shell per claw process (its own session,
// so terminal signals spare it) reads the groups to guard on a pipe whose only writer is claw: when claw dies
// for any reason the kernel closes the pipe, the watchdog reads end-of-file and SIGKILLs every group it holds.
import { type ChildProcess, spawn } from "node:child_process";

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

function send(line: string): void {
  if (watchdog === undefined) watchdog = start();
  watchdog?.stdin?.write(`${line}\n`);
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
