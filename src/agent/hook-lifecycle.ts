// Hook lifecycle reports (stream-json --include-hook-events): one when a hook starts, one with what it returned,
// shaped for Claude Code's hook_started / hook_response system messages.
import { randomUUID } from "node:crypto";
import type { HookEvent } from "./hook-config.js";
import type { HookCommandResult } from "./hook-runner.js";

interface HookIdentity {
  hookId: string;
  hookName: string;
  hookEvent: HookEvent;
  sessionId: string;
}

export type HookLifecycleEvent =
  | ({ phase: "started" } & HookIdentity)
  | ({
      phase: "response";
      stdout: string;
      stderr: string;
      exitCode: number | undefined;
      outcome: "success" | "error" | "cancelled";
    } & HookIdentity);

/**
 * For one event's hooks: call the result for each hook as it starts; it reports the start and returns the
 * function that reports its result. Without a listener both do nothing.
 */
export function hookLifecycle(
  listener: ((event: HookLifecycleEvent) => void) | undefined,
  hookEvent: HookEvent,
  target: string | undefined,
  sessionId: string,
): () => (result: HookCommandResult) => void {
  if (!listener) return () => () => undefined;
  // Claude Code names a hook by its event and, for tool events, the tool ("PreToolUse:Bash").
  const hookName = target ? `${hookEvent}:${target}` : hookEvent;
  return () => {
    const hookId = randomUUID();
    listener({ phase: "started", hookId, hookName, hookEvent, sessionId });
    return (result) => {
      const outcome = result.aborted
        ? "cancelled"
        : result.exitCode === 0 && !result.timedOut && !result.spawnError
          ? "success"
          : "error";
      listener({
        phase: "response",
        hookId,
        hookName,
        hookEvent,
        sessionId,
        stdout: result.stdout,
        stderr: result.spawnError ?? result.stderr,
        exitCode: result.exitCode ?? undefined,
        outcome,
      });
    };
  };
}
