// The Bash tool: runs a command in the user's shell in its own process group with a timeout, streams its
// output to the UI, and shows the model exit code, stdout and stderr (head + tail, full output on disk).
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatDuration } from "../util/format-duration.js";
import { settlesWithin } from "../util/settle-within.js";
import { startBackgroundShell } from "./background-shells.js";
import { runInEditorTerminal } from "./bash-editor-terminal.js";
import { defineTool } from "./define-tool.js";
import { type CaptureResult, OutputCapture } from "./output-capture.js";
import { killGraceMs, liveGroupMembers, outputStem, terminateGroup } from "./shell-process.js";
import { looksBlockedBySandbox, startToolShell } from "./tool-shell.js";
import { bashOutputLimits, fullOutputNotice } from "./truncate.js";
import type { ToolContext, ToolResult } from "./types.js";

const BASH_DEFAULT_TIMEOUT_MS = 120_000;
const BASH_MAX_TIMEOUT_MS = 600_000;
/** After the shell exits, how long its output pipes may stay open before leftovers count as stragglers. */
const DRAIN_MS = 500;

const DESCRIPTION = `Run a shell command in the user's shell and return its exit code, stdout and stderr.

- The command runs in the workspace directory with \`-c\`, in its own process group, with stdin connected to /dev/null: anything that waits for keyboard input (prompts, pagers, editors, \`git rebase -i\` without GIT_SEQUENCE_EDITOR) gets end-of-file instead of hanging. Use non-interactive flags (\`-y\`, \`--no-edit\`, \`--yes\`).
- Each call starts a fresh shell in the workspace directory: \`cd\`, exported variables and shell functions do not carry over to the next call. Chain dependent steps with \`&&\` in one command, or use absolute paths.
- Quote paths that contain spaces with double quotes.
- timeout is in milliseconds: default ${BASH_DEFAULT_TIMEOUT_MS} (2 minutes), at most ${BASH_MAX_TIMEOUT_MS} (10 minutes). On timeout the whole process group is killed and you get the output produced so far.
- Long output is cut to its beginning and end; the complete output is saved to a file whose path is given, which you can Read or Grep.
- For servers, watchers and other long-running processes set run_in_background: true. You get a shell id at once; read new output with BashOutput and stop it with KillShell. Processes left running by a foreground command (\`cmd &\`) are stopped when the command ends.
- Prefer the dedicated tools over shell equivalents: Read instead of cat/head/tail, Edit or Write instead of sed/awk/echo redirection, Grep and Glob instead of grep/find. Use Bash for building, testing, git, package managers and other programs.
- Write a short description (5–10 words) of what the command does, for the user.
- When the user has enabled claw's sandbox, commands run confined: they can write only in the workspace and the temp dir, cannot read secrets or denied files, and reach only allowed hosts. If a command fails because of that (read-only file system, blocked host) and it really needs more, set dangerouslyDisableSandbox: true to run it outside — the user is asked first. Never set it otherwise.`;

const schema = z.object({
  command: z.string().min(1).describe("The shell command to run."),
  timeout: z
    .number()
    .int()
    .min(1)
    .max(BASH_MAX_TIMEOUT_MS)
    .optional()
    .describe(
      `Timeout in milliseconds (default ${BASH_DEFAULT_TIMEOUT_MS}, at most ${BASH_MAX_TIMEOUT_MS}).`,
    ),
  description: z
    .string()
    .optional()
    .describe("What the command does in 5–10 words, e.g. 'Run the unit tests' or 'List files in src'."),
  run_in_background: z
    .boolean()
    .optional()
    .describe("Start the command and return at once with a shell id; read its output with BashOutput."),
  dangerouslyDisableSandbox: z
    .boolean()
    .optional()
    .describe(
      "Run this command outside claw's sandbox (the user must approve). Only after it failed because of the sandbox.",
    ),
});

export type BashInput = z.infer<typeof schema>;

export const bashTool = defineTool({
  name: "Bash",
  description: DESCRIPTION,
  kind: "execute",
  schema,
  summary: (input) => `Bash(${oneLine(input.command, 80)})`,
  execute: (input, ctx) =>
    input.run_in_background ? startBackgroundShell(input, ctx) : runForeground(input, ctx),
});

type Outcome = "completed" | "timeout" | "interrupted";

async function runForeground(input: BashInput, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) {
    return {
      content: "Command not run: interrupted by the user.",
      isError: true,
      details: emptyDetails(true),
    };
  }
  const timeoutMs = input.timeout ?? BASH_DEFAULT_TIMEOUT_MS;
  // In an editor with terminals the command runs there, unless claw's sandbox must confine it.
  if (ctx.editorTerminal && !ctx.shellSandbox?.confines(input))
    return runInEditorTerminal(input, ctx, timeoutMs);
  await fs.mkdir(ctx.scratchDir, { recursive: true, mode: 0o700 });
  const stem = join(ctx.scratchDir, outputStem("bash"));
  const limits = bashOutputLimits();
  const onText = ctx.onUpdate;
  const stdout = new OutputCapture({
    spillPath: `${stem}.stdout.txt`,
    limits,
    ...(onText ? { onText } : {}),
  });
  const stderr = new OutputCapture({
    spillPath: `${stem}.stderr.txt`,
    limits,
    ...(onText ? { onText } : {}),
  });

  const started = await startToolShell(input, ctx);
  if ("error" in started) return { content: started.error, isError: true, details: emptyDetails(false) };
  const { proc, sandboxed } = started;
  if (proc.child.stdout) stdout.attach(proc.child.stdout);
  if (proc.child.stderr) stderr.attach(proc.child.stderr);

  let outcome = "completed" as Outcome;
  let stopping: Promise<void> | null = null;
  const stop = (why: Outcome, signal: "SIGTERM" | "SIGINT") => {
    if (stopping) return;
    outcome = why;
    stopping = terminateGroup(proc, signal);
  };
  const timer = setTimeout(() => stop("timeout", "SIGTERM"), timeoutMs);
  const onAbort = () => stop("interrupted", "SIGINT");
  ctx.signal.addEventListener("abort", onAbort, { once: true });

  const exit = await proc.exited;
  clearTimeout(timer);
  let leftovers = false;
  if (!stopping && !exit.error) {
    // The shell is gone; anything it started in the background and left running is a straggler.
    const drained = await settlesWithin(proc.closed, DRAIN_MS);
    const members = drained ? liveGroupMembers(proc.pid) : null;
    if (!drained || (members !== null && members.length > 0)) {
      leftovers = true;
      stopping = terminateGroup(proc, "SIGTERM", Math.min(killGraceMs(), 1000));
    }
  }
  if (stopping) await stopping;
  // The group is gone (stopped, or nothing was left): it needs no guarding against claw's death any more.
  proc.release();
  ctx.signal.removeEventListener("abort", onAbort);
  const [out, err] = await Promise.all([stdout.finish(), stderr.finish()]);

  if (exit.error) {
    const message = `Could not start the command: ${exit.error.message}. Check that the working directory ${ctx.cwd} exists.`;
    return { content: message, isError: true, display: message, details: emptyDetails(false) };
  }
  const exitCode = outcome === "completed" ? exit.exitCode : null;
  const failed = outcome === "completed" && exitCode !== 0;
  const undone = started.afterExit();
  const blocked = sandboxed && failed && looksBlockedBySandbox(`${out.text}\n${err.text}`);
  const sandboxLimits = blocked ? ctx.shellSandbox?.failureNote : undefined;
  const note = [undone, sandboxLimits].filter(Boolean).join("\n") || undefined;
  const content = formatForModel({
    out,
    err,
    outcome,
    exitCode,
    signal: exit.signal,
    timeoutMs,
    leftovers,
    note,
  });
  return {
    content,
    isError: outcome !== "completed" || exitCode !== 0,
    display: displayLine(outcome, exitCode, exit.signal, out, err),
    details: {
      stdout: out.text,
      stderr: err.text,
      interrupted: outcome === "interrupted",
      timedOut: outcome === "timeout",
      exitCode,
      sandboxed,
      ...(out.fullOutputPath ? { stdoutPath: out.fullOutputPath } : {}),
      ...(err.fullOutputPath ? { stderrPath: err.fullOutputPath } : {}),
    },
  };
}

interface Formatted {
  out: CaptureResult;
  err: CaptureResult;
  outcome: Outcome;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timeoutMs: number;
  leftovers: boolean;
  /** Said after the output (what the sandbox undid; its limits, when a sandboxed command failed). */
  note?: string | undefined;
}

function formatForModel(r: Formatted): string {
  const parts: string[] = [];
  if (r.outcome === "timeout") {
    parts.push(
      `Command timed out after ${formatDuration(r.timeoutMs)}; its process group was killed. Output so far is below. For long-running commands raise timeout (max 10 minutes) or use run_in_background.`,
    );
  } else if (r.outcome === "interrupted") {
    parts.push("Command interrupted by the user; its process group was killed. Output so far is below.");
  } else if (r.exitCode === null) {
    parts.push(`Command was killed by signal ${r.signal ?? "unknown"}.`);
  } else if (r.exitCode !== 0) {
    parts.push(`Exit code ${r.exitCode}${r.exitCode === 127 ? " (command not found)" : ""}`);
  }
  const stdout = streamText(r.out);
  const stderr = streamText(r.err);
  if (stdout) parts.push(stdout);
  if (stderr) parts.push(stdout ? `stderr:\n${stderr}` : stderr);
  if (!stdout && !stderr) parts.push("(no output)");
  if (r.leftovers) {
    parts.push(
      "Note: the command left background processes running; they were stopped. Use run_in_background for servers and other long-running processes.",
    );
  }
  if (r.note) parts.push(r.note);
  return parts.join("\n");
}

function streamText(capture: CaptureResult): string {
  const text = capture.text.replace(/\n$/, "");
  if (!capture.truncated) return text;
  const where = capture.fullOutputPath
    ? fullOutputNotice(capture.fullOutputPath, capture.totalBytes)
    : "the full output could not be saved";
  return `${text}\n[${where}]`;
}

function displayLine(
  outcome: Outcome,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  out: CaptureResult,
  err: CaptureResult,
): string {
  const status =
    outcome === "timeout"
      ? "timed out"
      : outcome === "interrupted"
        ? "interrupted"
        : exitCode === null
          ? `killed (${signal ?? "signal"})`
          : `exit ${exitCode}`;
  const lines = out.totalLines + err.totalLines;
  // The REPL adds how long it took.
  return `${status}, ${lines} line${lines === 1 ? "" : "s"} of output`;
}

function emptyDetails(interrupted: boolean): Record<string, unknown> {
  return { stdout: "", stderr: "", interrupted, timedOut: false, exitCode: null };
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ⏎ ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
