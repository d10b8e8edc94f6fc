// Branch and a short `git status` snapshot for the environment block: two git processes in parallel, each
// with a short timeout and no index lock, so a slow or huge repository never delays startup for long.

import { execFile } from "node:child_process";
import { gitConfigRisk } from "../util/git-config-risk.js";
import { withoutSensitiveEnv } from "../util/sensitive-env.js";

export interface GitInfo {
  /** The current branch, or undefined when HEAD is detached or git could not tell. */
  branch: string | undefined;
  /** `git status --porcelain` lines, capped; empty when clean. */
  status: string[];
  /** Lines left out by the cap. */
  moreStatusLines: number;
  /** False when git failed or timed out (the snapshot is then unknown, not clean). */
  statusKnown: boolean;
}

export interface GitInfoOptions {
  timeoutMs?: number;
  maxStatusLines?: number;
}

const MAX_LINE_CHARS = 200;

function runGit(cwd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    execFile(
      "git",
      // Runs before any approval, maybe in an unknown repository: no fsmonitor program from its config.
      ["--no-optional-locks", "-c", "core.fsmonitor=false", ...args],
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
        // Programs a repository's .git/config names must not see claw's credentials or other secrets.
        env: { ...withoutSensitiveEnv(process.env), GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" },
        windowsHide: true,
      },
      (error, stdout) => resolvePromise(error ? undefined : stdout),
    );
  });
}

export async function getGitInfo(cwd: string, options: GitInfoOptions = {}): Promise<GitInfo> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const maxLines = options.maxStatusLines ?? 20;
  // `git status` runs clean filters and other programs a repository's config names: not before approval.
  if (gitConfigRisk(cwd)) return { branch: undefined, status: [], moreStatusLines: 0, statusKnown: false };
  const [branchOut, statusOut] = await Promise.all([
    runGit(cwd, ["branch", "--show-current"], timeoutMs),
    runGit(cwd, ["status", "--porcelain", "--untracked-files=normal"], timeoutMs),
  ]);
  const branch = branchOut?.trim() || undefined;
  const lines = statusOut === undefined ? [] : statusOut.split("\n").filter((line) => line.trim() !== "");
  return {
    branch,
    status: lines
      .slice(0, maxLines)
      .map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line)),
    moreStatusLines: Math.max(0, lines.length - maxLines),
    statusKnown: statusOut !== undefined,
  };
}
