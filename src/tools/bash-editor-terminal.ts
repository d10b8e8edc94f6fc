// A foreground Bash command inside an editor that offers terminals (ACP): the editor runs it where the user can
// watch it, and the model gets its exit status and output as with a local run.
import { formatDuration } from "../util/format-duration.js";
import { bashOutputLimits, truncateForModel } from "./truncate.js";
import type { ToolContext, ToolResult } from "./types.js";

export async function runInEditorTerminal(
  input: { command: string },
  ctx: ToolContext,
  timeoutMs: number,
): Promise<ToolResult> {
  const runInTerminal = ctx.editorTerminal;
  if (!runInTerminal) throw new Error("no editor terminal");
  let run: Awaited<ReturnType<typeof runInTerminal>>;
  try {
    run = await runInTerminal({
      command: input.command,
      cwd: ctx.cwd,
      env: ctx.env,
      timeoutMs,
      signal: ctx.signal,
      toolUseId: ctx.toolUseId,
    });
  } catch (error) {
    const message = `The editor could not run the command in its terminal: ${error instanceof Error ? error.message : String(error)}`;
    return { content: message, isError: true, display: message };
  }
  const shown = truncateForModel(run.output.replace(/\n$/, ""), bashOutputLimits());
  const parts: string[] = [];
  if (run.timedOut) {
    parts.push(
      `Command timed out after ${formatDuration(timeoutMs)} and was stopped. Output so far is below. For long-running commands raise timeout (max 10 minutes) or use run_in_background.`,
    );
  } else if (run.interrupted) {
    parts.push("Command interrupted by the user and stopped. Output so far is below.");
  } else if (run.exitCode === null) {
    parts.push(`Command was killed by signal ${run.signal ?? "unknown"}.`);
  } else if (run.exitCode !== 0) {
    parts.push(`Exit code ${run.exitCode}${run.exitCode === 127 ? " (command not found)" : ""}`);
  }
  if (run.truncated) parts.push("[the editor's terminal kept only the end of the output]");
  parts.push(shown.text || "(no output)");
  const completed = !run.timedOut && !run.interrupted;
  const status = run.timedOut
    ? "timed out"
    : run.interrupted
      ? "interrupted"
      : run.exitCode === null
        ? `killed (${run.signal ?? "signal"})`
        : `exit ${run.exitCode}`;
  return {
    content: parts.join("\n"),
    isError: !completed || run.exitCode !== 0,
    display: `${status}, ${shown.totalLines} line${shown.totalLines === 1 ? "" : "s"} of output (in the editor's terminal)`,
    details: {
      stdout: run.output,
      stderr: "",
      interrupted: run.interrupted,
      timedOut: run.timedOut,
      exitCode: completed ? run.exitCode : null,
      terminalId: run.terminalId,
    },
  };
}
