// Starts a command in the user's shell as the leader of its own process group (stdin /dev/null), and
// stops the whole group: a signal first, SIGKILL after a grace period, so nothing it started survives.
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { spawnGuardedGroup } from "../util/group-reaper.js";
import { settlesWithin } from "../util/settle-within.js";

/** How long a group gets to exit after SIGTERM/SIGINT before SIGKILL. CLAW_KILL_GRACE_MS overrides (tests). */
export function killGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number.parseInt(env.CLAW_KILL_GRACE_MS ?? "", 10);
  return Number.isFinite(value) && value >= 0 ? value : 2000;
}

let cachedShell: string | undefined;

/** The user's shell ($SHELL), else bash, else sh. */
export function userShell(): string {
  if (cachedShell) return cachedShell;
  for (const candidate of [process.env.SHELL, "/bin/bash", "/bin/sh"]) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      cachedShell = candidate;
      return candidate;
    } catch {
      // try the next one
    }
  }
  cachedShell = "/bin/sh";
  return cachedShell;
}

export interface ShellExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started (missing cwd, shell not executable). */
  error?: Error;
}

export interface ShellProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves when the shell itself has exited (its pipes may still be held open by children). */
  exited: Promise<ShellExit>;
  /** Resolves when stdout and stderr are closed (every holder of the pipes is gone). */
  closed: Promise<void>;
  /** Resolves once the process is running (null) or could not be started (the error). */
  started: Promise<Error | null>;
  /** Stops guarding the group against claw's death: call once the group is empty (see group-reaper). */
  release(): void;
}

export function spawnShell(
  command: string,
  options: {
    cwd: string;
    env: Record<string, string>;
    /** The whole command line to start instead of `shell -c command` (the OS sandbox wrapping it). */
    argv?: readonly string[];
  },
): ShellProcess {
  const [file, ...args] = options.argv ?? [userShell(), "-c", command];
  // A new session and process group (setsid), no controlling terminal to prompt on, killed with claw.
  const { child, release } = spawnGuardedGroup(file ?? userShell(), args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<ShellExit>((resolve) => {
    child.once("exit", (exitCode, signal) => resolve({ exitCode, signal }));
    child.once("error", (error) => resolve({ exitCode: null, signal: null, error }));
  });
  const closed = new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.once("error", () => resolve());
  });
  const started = new Promise<Error | null>((resolve) => {
    child.once("spawn", () => resolve(null));
    child.once("error", (error) => resolve(error));
  });
  void started.then((error) => {
    if (error) release();
  });
  return { child, pid: child.pid ?? -1, exited, closed, started, release };
}

/** Sends `signal` to the whole group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Live (non-zombie) members of a process group, from /proc; null where /proc is not available. */
export function liveGroupMembers(pgid: number): number[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesized command: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

/**
 * Stops the group: `signal`, then SIGKILL once the pipes close or the grace period ends, whichever is
 * first (SIGKILL to an empty group is harmless; stragglers that closed their output die with it).
 */
export async function terminateGroup(
  proc: ShellProcess,
  signal: "SIGTERM" | "SIGINT",
  graceMs: number = killGraceMs(),
): Promise<void> {
  signalGroup(proc.pid, signal);
  await settlesWithin(proc.closed, graceMs, { unref: true });
  signalGroup(proc.pid, "SIGKILL");
  // A process that left the group (its own setsid) could hold the pipes forever: do not wait on it.
  await settlesWithin(proc.closed, graceMs, { unref: true });
  proc.child.stdout?.destroy();
  proc.child.stderr?.destroy();
  proc.release();
}

let runCounter = 0;

/** A unique stem for the output files of one run. */
export function outputStem(prefix: string): string {
  runCounter++;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${runCounter}`;
}
