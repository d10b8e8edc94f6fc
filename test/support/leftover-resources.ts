// Finds timers and handles that claw's own code (src/) created and left active: each one keeps a finished
// process alive. Node's process.getActiveResourcesInfo() only counts by kind, and the test runner has timers
// of its own that come and go, so this records where each resource was created (async_hooks + a stack) and
// reports those from src/ that are still referenced when asked.
import { createHook } from "node:async_hooks";
import { join } from "node:path";
import { REPO_ROOT } from "./claw-runner.js";

const SOURCE_DIR = join(REPO_ROOT, "src");

interface Tracked {
  type: string;
  resource: { hasRef?: () => boolean };
  createdAt: string;
}

export interface ResourceWatch {
  /** "Timeout at src/tools/bash.ts:110:…" for each resource from src/ still active (referenced) now. */
  leftovers(): string[];
  stop(): void;
}

/** Starts recording the timers, sockets, pipes and child processes created from now on. */
export function watchResources(): ResourceWatch {
  const live = new Map<number, Tracked>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type === "PROMISE") return;
      const frame = creatorFrame();
      if (frame) live.set(asyncId, { type, resource: resource as Tracked["resource"], createdAt: frame });
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();
  return {
    leftovers: () =>
      [...live.values()]
        .filter(({ resource }) => typeof resource.hasRef === "function" && resource.hasRef())
        .map(({ type, createdAt }) => `${type} at ${createdAt}`),
    stop: () => hook.disable(),
  };
}

/** The innermost stack frame in src/, relative to the repository; undefined for anything else's resources. */
function creatorFrame(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const line = stack.split("\n").find((l) => l.includes(SOURCE_DIR));
  return line?.slice(line.indexOf(SOURCE_DIR) + REPO_ROOT.length + 1).replace(/\)$/, "");
}
