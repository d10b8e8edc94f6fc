// Background shells: Bash with run_in_background starts one; BashOutput reads what is new since the last
// read; KillShell stops its process group. All of them die with claw (killAllBackgroundShells).
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatDuration } from "../util/format-duration.js";
import { settlesWithin } from "../util/settle-within.js";
import { defineTool } from "./define-tool.js";
import { OutputCapture, readFileRangeForModel } from "./output-capture.js";
import { registerBackgroundShellKiller } from "./shell-cleanup.js";
import {
  liveGroupMembers,
  outputStem,
  type ShellProcess,
  signalGroup,
  terminateGroup,
} from "./shell-process.js";
import { startToolShell } from "./tool-shell.js";
import { bashOutputLimits, fullOutputNotice, truncateForModel } from "./truncate.js";
import type { ToolContext, ToolResult } from "./types.js";

type ShellStatus = "running" | "completed" | "failed" | "killed";

interface StreamState {
  capture: OutputCapture;
  path: string;
  /** Bytes of the file already shown to the model. */
  readOffset: number;
}

interface BackgroundShell {
  id: string;
  command: string;
  description?: string;
  proc: ShellProcess;
  startedAt: number;
  status: ShellStatus;
  exitCode: number | null;
  streams: { stdout: StreamState; stderr: StreamState };
  /** Resolves once the process has exited and both output files are complete. */
  finished: Promise<void>;
  /** Said once with the output after the shell ended (what the sandbox undid). */
  note?: string;
}

const shells = new Map<string, BackgroundShell>();
let nextId = 1;
let exitHookInstalled = false;

/** Filters regexes are applied line by line to at most this much new output. */
const FILTER_SCAN_BYTES = 8 * 1024 * 1024;

export interface BackgroundShellInfo {
  id: string;
  command: string;
  description?: string;
  status: ShellStatus;
  exitCode: number | null;
  pid: number;
  startedAt: number;
}

export function listBackgroundShells(): BackgroundShellInfo[] {
  return [...shells.values()].map((s) => ({
    id: s.id,
    command: s.command,
    ...(s.description ? { description: s.description } : {}),
    status: s.status,
    exitCode: s.exitCode,
    pid: s.proc.pid,
    startedAt: s.startedAt,
  }));
}

/** True while the shell or anything it started in its group is still alive. */
function groupAlive(shell: BackgroundShell): boolean {
  if (shell.status === "running") return true;
  const members = liveGroupMembers(shell.proc.pid);
  return members !== null && members.length > 0;
}

/**
 * SIGKILLs every background shell's group, including processes a finished shell left behind.
 * Synchronous: safe in a process 'exit' handler.
 */
export function killAllBackgroundShells(): void {
  for (const shell of shells.values()) {
    if (!groupAlive(shell)) continue;
    signalGroup(shell.proc.pid, "SIGKILL");
    if (shell.status === "running") shell.status = "killed";
  }
}
registerBackgroundShellKiller(killAllBackgroundShells);

export async function startBackgroundShell(
  input: {
    command: string;
    description?: string | undefined;
    dangerouslyDisableSandbox?: boolean | undefined;
  },
  ctx: ToolContext,
): Promise<ToolResult> {
  if (ctx.signal.aborted) return { content: "Command not run: interrupted by the user.", isError: true };
  await fs.mkdir(ctx.scratchDir, { recursive: true, mode: 0o700 });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", killAllBackgroundShells);
  }
  const id = `bash_${nextId++}`;
  const stem = join(ctx.scratchDir, outputStem(`bg-${id}`));
  const limits = bashOutputLimits();
  const stream = (path: string): StreamState => ({
    capture: new OutputCapture({ spillPath: path, limits, alwaysSpill: true }),
    path,
    readOffset: 0,
  });
  const started = await startToolShell(input, ctx);
  if ("error" in started) return { content: started.error, isError: true };
  const { proc, sandboxed } = started;
  const streams = { stdout: stream(`${stem}.stdout.txt`), stderr: stream(`${stem}.stderr.txt`) };
  if (proc.child.stdout) streams.stdout.capture.attach(proc.child.stdout);
  if (proc.child.stderr) streams.stderr.capture.attach(proc.child.stderr);

  const shell: BackgroundShell = {
    id,
    command: input.command,
    ...(input.description ? { description: input.description } : {}),
    proc,
    startedAt: Date.now(),
    status: "running",
    exitCode: null,
    streams,
    finished: Promise.resolve(),
  };
  shell.finished = (async () => {
    const exit = await proc.exited;
    const undone = started.afterExit();
    if (undone) shell.note = undone;
    if (shell.status === "running") shell.status = exit.exitCode === 0 ? "completed" : "failed";
    shell.exitCode = exit.exitCode;
    await Promise.all([streams.stdout.capture.finish(), streams.stderr.capture.finish()]);
    // Something it left running keeps the group guarded until KillShell or claw's exit stops it.
    if (!groupAlive(shell)) proc.release();
  })();
  shells.set(id, shell);

  const startError = await proc.started;
  if (startError) {
    shells.delete(id);
    return { content: `Could not start the command: ${startError.message}.`, isError: true };
  }
  return {
    content: `Started in the background${sandboxed ? ", in the sandbox," : ""} with shell id ${id} (pid ${proc.pid}). Read its output with BashOutput {"bash_id": "${id}"}; stop it with KillShell {"shell_id": "${id}"}.`,
    display: `started ${id}`,
    details: { backgroundTaskId: id, stdout: "", stderr: "", interrupted: false, exitCode: null, sandboxed },
  };
}

const bashOutputSchema = z.object({
  bash_id: z.string().min(1).describe("The shell id returned by Bash with run_in_background (e.g. bash_1)."),
  filter: z
    .string()
    .optional()
    .describe(
      "Optional regular expression: only new lines matching it are returned (the others are skipped for good).",
    ),
});

export const bashOutputTool = defineTool({
  name: "BashOutput",
  description: `Read the output a background shell (started by Bash with run_in_background) has produced since the last BashOutput call for it, and its status: running, completed, failed (with the exit code) or killed.

- Each call returns only new output, so call it again later to follow a server or a long build.
- filter takes a regular expression; only matching lines are returned and the rest of the new output is consumed.
- Large output is cut to its beginning and end; the complete output file's path is given.`,
  kind: "read",
  schema: bashOutputSchema,
  summary: (input) => `BashOutput(${input.bash_id})`,
  execute: async (input) => {
    const shell = shells.get(input.bash_id);
    if (!shell) return unknownShell(input.bash_id);
    let filter: RegExp | null = null;
    if (input.filter !== undefined) {
      try {
        filter = new RegExp(input.filter);
      } catch (error) {
        return {
          content: `filter is not a valid regular expression: ${(error as Error).message}`,
          isError: true,
        };
      }
    }
    // The status is taken before reading: output that arrives meanwhile is reported by the next call,
    // so a "completed" status always comes with all of the output.
    const status = statusLine(shell);
    // After exit, wait briefly for the last output; a process it left behind may hold the pipes for good.
    if (shell.status !== "running") await settlesWithin(shell.finished, 500, { unref: true });
    await Promise.all([shell.streams.stdout.capture.flush(), shell.streams.stderr.capture.flush()]);
    const stdout = await readNew(shell.streams.stdout, filter);
    const stderr = await readNew(shell.streams.stderr, filter);
    const parts = [`status: ${status}`];
    if (stdout) parts.push(`<stdout>\n${stdout}\n</stdout>`);
    if (stderr) parts.push(`<stderr>\n${stderr}\n</stderr>`);
    if (!stdout && !stderr) parts.push(filter ? "(no new output matching the filter)" : "(no new output)");
    if (shell.note && shell.status !== "running") {
      parts.push(shell.note);
      shell.note = undefined;
    }
    return {
      content: parts.join("\n"),
      display: `${shell.id}: ${status}`,
      details: { shellId: shell.id, status: shell.status, exitCode: shell.exitCode, stdout, stderr },
    };
  },
});

async function readNew(stream: StreamState, filter: RegExp | null): Promise<string> {
  let size: number;
  try {
    size = (await fs.stat(stream.path)).size;
  } catch {
    return "";
  }
  const start = stream.readOffset;
  if (size <= start) return "";
  stream.readOffset = size;
  const limits = bashOutputLimits();
  if (!filter) {
    const view = await readFileRangeForModel(stream.path, start, size, limits);
    const text = view.text.replace(/\n$/, "");
    return view.truncated ? `${text}\n[${fullOutputNotice(stream.path, size)}]` : text;
  }
  const scanFrom = Math.max(start, size - FILTER_SCAN_BYTES);
  const handle = await fs.open(stream.path, "r");
  let chunk: string;
  try {
    const buf = Buffer.alloc(size - scanFrom);
    const { bytesRead } = await handle.read(buf, 0, buf.length, scanFrom);
    chunk = buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
  const matching = chunk.split("\n").filter((line) => filter.test(line));
  const view = truncateForModel(matching.join("\n"), limits);
  const skipped =
    scanFrom > start ? `[only the last ${FILTER_SCAN_BYTES} bytes of new output were searched]\n` : "";
  return matching.length ? `${skipped}${view.text}` : "";
}

function statusLine(shell: BackgroundShell): string {
  const age = formatDuration(Date.now() - shell.startedAt);
  switch (shell.status) {
    case "running":
      return `running (pid ${shell.proc.pid}, for ${age})`;
    case "completed":
      return "completed (exit code 0)";
    case "failed":
      return `failed (exit code ${shell.exitCode ?? "none: killed by a signal"})`;
    case "killed":
      return "killed";
  }
}

function unknownShell(id: string): ToolResult {
  const known = [...shells.keys()];
  const list = known.length
    ? `Known shells: ${known.join(", ")}.`
    : "No background shells have been started.";
  return { content: `No background shell with id "${id}". ${list}`, isError: true };
}

const killShellSchema = z.object({
  shell_id: z.string().min(1).describe("The id of the background shell to stop (e.g. bash_1)."),
});

export const killShellTool = defineTool({
  name: "KillShell",
  description:
    "Stop a background shell started by Bash with run_in_background: its whole process group gets SIGTERM, then SIGKILL if it does not exit promptly. Output produced so far can still be read with BashOutput.",
  kind: "execute",
  schema: killShellSchema,
  summary: (input) => `KillShell(${input.shell_id})`,
  execute: async (input) => {
    const shell = shells.get(input.shell_id);
    if (!shell) return unknownShell(input.shell_id);
    if (shell.status !== "running") {
      if (!groupAlive(shell)) {
        return { content: `Shell ${shell.id} is not running (${statusLine(shell)}); nothing to stop.` };
      }
      await terminateGroup(shell.proc, "SIGTERM");
      return { content: `Shell ${shell.id} had exited; the processes it left running were stopped.` };
    }
    shell.status = "killed";
    await terminateGroup(shell.proc, "SIGTERM");
    await shell.finished;
    return { content: `Shell ${shell.id} was stopped.`, display: `killed ${shell.id}` };
  },
});
