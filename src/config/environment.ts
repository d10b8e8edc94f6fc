// The environment block of the system prompt: where claw runs, today's date, the model, and a git snapshot.
// Only facts about the machine and the repository; never settings values or environment variables.
import { release } from "node:os";
import { resolve } from "node:path";
import { type GitInfo, getGitInfo } from "./git-info.js";
import { findProjectRoot } from "./project-root.js";

export interface EnvironmentInfo {
  cwd: string;
  platform: string;
  osRelease: string;
  date: Date;
  model: string;
  /** The repository root when cwd is inside one. */
  gitRoot: string | undefined;
  git: GitInfo | undefined;
}

export interface CollectEnvironmentOptions {
  cwd: string;
  model: string;
  date?: Date;
  /** Pre-collected git info (tests, or a caller that already has it); otherwise git is asked. */
  git?: GitInfo;
}

export async function collectEnvironment(options: CollectEnvironmentOptions): Promise<EnvironmentInfo> {
  const cwd = resolve(options.cwd);
  const gitRoot = findProjectRoot(cwd);
  const git = options.git ?? (gitRoot ? await getGitInfo(cwd) : undefined);
  return {
    cwd,
    platform: process.platform,
    osRelease: release(),
    date: options.date ?? new Date(),
    model: options.model,
    gitRoot,
    git,
  };
}

/** YYYY-MM-DD in the local time zone (the user's "today"). */
function formatLocalDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function renderEnvironment(info: EnvironmentInfo): string {
  const lines = [
    "# Environment",
    `Working directory: ${info.cwd}`,
    `Platform: ${info.platform} (${info.osRelease})`,
    `Today's date: ${formatLocalDate(info.date)}`,
    `Model: ${info.model}`,
    `Git repository: ${info.gitRoot ? `yes (root: ${info.gitRoot})` : "no"}`,
  ];
  if (info.gitRoot && info.git) {
    lines.push(`Git branch: ${info.git.branch ?? "(detached HEAD or unknown)"}`);
    if (!info.git.statusKnown) lines.push("Git status: unavailable");
    else if (info.git.status.length === 0) lines.push("Git status: clean");
    else {
      lines.push("Git status at session start (git status --porcelain; may be out of date):");
      lines.push(...info.git.status);
      if (info.git.moreStatusLines > 0) lines.push(`… and ${info.git.moreStatusLines} more`);
    }
  }
  return lines.join("\n");
}
