// Bash in the editor's terminal (the client's `terminal` capability): terminal/create with the user's shell,
// the terminal shown in the tool call, terminal/wait_for_exit (killed on timeout or cancel), terminal/output,
// then terminal/release.
import type * as acp from "@agentclientprotocol/sdk";
import type { EditorTerminalRequest, EditorTerminalResult } from "../tools/types.js";

/** Keeps the end of a long output in the editor too (the model's own cut happens in the Bash tool). */
const OUTPUT_BYTE_LIMIT = 1_000_000;

export async function runInEditorTerminal(
  client: acp.AgentContext,
  sessionId: string,
  request: EditorTerminalRequest,
  show: (terminalId: string) => Promise<void>,
): Promise<EditorTerminalResult> {
  const shell = process.env.SHELL?.startsWith("/") ? process.env.SHELL : "/bin/sh";
  const terminal = await client.createTerminal({
    sessionId,
    command: shell,
    args: ["-c", request.command],
    cwd: request.cwd,
    env: Object.entries(request.env).map(([name, value]) => ({ name, value })),
    outputByteLimit: OUTPUT_BYTE_LIMIT,
  });
  let timedOut = false;
  let interrupted = false;
  // Once the editor has killed the command (timeout, cancel) claw stops waiting for its exit.
  let killed: () => void = () => undefined;
  const stopped = new Promise<undefined>((resolve) => {
    killed = () => resolve(undefined);
  });
  const kill = () => void terminal.kill().then(killed, killed);
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, request.timeoutMs);
  const onAbort = () => {
    interrupted = true;
    kill();
  };
  request.signal.addEventListener("abort", onAbort, { once: true });
  if (request.signal.aborted) onAbort();
  try {
    await show(terminal.id);
    const exit = (await Promise.race([terminal.waitForExit(), stopped])) ?? {};
    const output = await terminal.currentOutput();
    const status = output.exitStatus ?? exit;
    return {
      terminalId: terminal.id,
      output: output.output,
      truncated: output.truncated,
      exitCode: status.exitCode ?? null,
      signal: status.signal ?? null,
      timedOut,
      interrupted,
    };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", onAbort);
    await terminal.release().catch(() => undefined);
  }
}
