// One-shot print mode: build the runtime, run one prompt through the agent, write text/json/stream-json.
import type { RunSummary } from "../agent/events.js";
import { StartupAuthError } from "../api/startup-auth.js";
import type { CliOptions } from "../runtime/options.js";
import { createRuntime, type Runtime, RuntimeError } from "../runtime/runtime.js";
import { parseSlashCommand } from "../runtime/slash-commands.js";
import { hookMessage } from "../runtime/stream-json.js";
import { createOutputWriter } from "./print-output.js";
import { combinePrompt, readPipedStdin } from "./prompt-input.js";

export async function runPrintMode(options: CliOptions): Promise<number> {
  const startedAt = Date.now();
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);

  // With a prompt argument, stdin is optional extra context: a silent, never-closed pipe is not waited for.
  const stdinWaitMs = options.prompt?.trim() ? stdinGraceMs() : undefined;
  let prompt = combinePrompt(
    options.prompt,
    await readPipedStdin(process.stdin, { waitForFirstByteMs: stdinWaitMs }),
  );
  if (!prompt.trim()) {
    err('claw: the prompt is empty; nothing was sent. Pass a prompt with -p "..." or pipe text on stdin.\n');
    return 1;
  }

  let runtime: Runtime;
  try {
    runtime = await createRuntime(options, {
      // stream-json only (checked at parse time): each hook's start and result as a line of its own.
      onHookEvent: options.includeHookEvents
        ? (event) => out(`${JSON.stringify(hookMessage(event))}\n`)
        : undefined,
    });
  } catch (error) {
    if (error instanceof StartupAuthError || error instanceof RuntimeError) {
      err(`claw: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  // `claw -p "/<skill> args"` runs the skill, as typing it in the REPL does.
  const slash = parseSlashCommand(prompt);
  const skillPrompt = slash && (await runtime.delegation.skillPrompt(slash.name, slash.args));
  if (skillPrompt) prompt = skillPrompt;

  const controller = new AbortController();
  let interrupts = 0;
  // The shell convention: 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGHUP 129).
  let exitCode = 130;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    exitCode = signal === "SIGTERM" ? 143 : signal === "SIGHUP" ? 129 : 130;
    if (interrupts > 1) process.exit(exitCode);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  // The reader went away (`claw -p … | head -1`): stop like an interrupt instead of crashing on EPIPE.
  // Stays attached: later writes to the closed pipe report here too.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") controller.abort();
  });

  const writer = createOutputWriter(
    options.outputFormat,
    {
      sessionId: runtime.sessionId,
      cwd: runtime.cwd,
      model: runtime.agent.model,
      permissionMode: runtime.permissionMode,
      tools: runtime.agent.toolList.map((t) => t.name),
      agents: runtime.delegation.agents.map((a) => a.name),
      slashCommands: runtime.delegation.skills.map((skill) => skill.name),
      mcpServers: runtime.mcpServers(),
      apiKeySource: runtime.apiKeySource,
      version: options.version,
      includePartialMessages: options.includePartialMessages,
      startedAt,
      terminal: process.stdout.isTTY === true,
    },
    out,
    err,
  );

  let summary: RunSummary | undefined;
  try {
    writer.start();
    for await (const event of runtime.agent.run(prompt, { signal: controller.signal })) {
      runtime.record(event);
      if (event.type === "done") summary = event.summary;
      else writer.event(event);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    await runtime.close();
  }
  if (!summary) return 1;
  writer.finish(summary);
  if (controller.signal.aborted) return exitCode;
  return summary.isError ? 1 : 0;
}

/** How long `-p "prompt"` waits for the first byte of piped stdin (CLAW_STDIN_WAIT_MS, default 3 s). */
function stdinGraceMs(): number {
  const value = Number(process.env.CLAW_STDIN_WAIT_MS);
  return Number.isFinite(value) && value >= 0 ? value : 3000;
}
