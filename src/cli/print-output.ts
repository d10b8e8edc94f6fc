// Print-mode output writers: text (streamed), json (one result object), stream-json (JSON lines),
// shaped like Claude Code's headless output (see shared/reference).
import type { AgentEvent, RunSummary } from "../agent/events.js";
import type { OutputFormat } from "../runtime/options.js";
import { eventMessage, initMessage, resultMessage } from "../runtime/stream-json.js";

export interface PrintContext {
  sessionId: string;
  cwd: string;
  model: string;
  permissionMode: string;
  tools: string[];
  agents: string[];
  /** The skills, runnable as `/<name>` prompts. */
  slashCommands: string[];
  mcpServers: Array<{ name: string; status: string }>;
  apiKeySource: string;
  version: string;
  includePartialMessages: boolean;
  startedAt: number;
  /** stdout is a terminal: text is shown as it streams. Piped, each message is written once it is complete. */
  terminal: boolean;
}

export interface OutputWriter {
  start(): void;
  event(event: AgentEvent): void;
  finish(summary: RunSummary): void;
}

type Write = (text: string) => void;

export function createOutputWriter(
  format: OutputFormat,
  ctx: PrintContext,
  out: Write,
  err: Write,
): OutputWriter {
  if (format === "json") return jsonWriter(ctx, out);
  if (format === "stream-json") return streamJsonWriter(ctx, out);
  return textWriter(out, err, ctx.terminal);
}

/**
 * Text mode. In a terminal the answer streams. Piped or redirected, a message's text is held until the message is
 * complete, so the partial text of an attempt that fails and is retried never reaches the file or the script.
 */
function textWriter(out: Write, err: Write, terminal: boolean): OutputWriter {
  let atLineStart = true;
  let wroteAny = false;
  let held = "";
  const write = (text: string) => {
    if (!text) return;
    out(text);
    wroteAny = true;
    atLineStart = text.endsWith("\n");
  };
  const release = () => {
    write(held);
    held = "";
  };
  return {
    start() {},
    event(event) {
      switch (event.type) {
        case "text_delta":
          if (terminal) write(event.text);
          else held += event.text;
          break;
        case "assistant_message":
          release();
          if (!atLineStart) write("\n");
          break;
        case "retry":
          held = ""; // the failed attempt's text: the retry sends the whole message again
          if (!atLineStart) write("\n");
          err(
            `claw: ${event.reason}; retrying (attempt ${event.attempt}${event.maxAttempts ? `/${event.maxAttempts}` : ""}) in ${Math.round(event.delayMs / 100) / 10}s\n`,
          );
          break;
        case "notice":
          err(`claw: ${event.message}\n`);
          break;
        case "permission_denied":
          err(`claw: denied ${event.name}: ${event.reason}\n`);
          break;
        case "subagent":
          // The subagent's answer reaches the parent as a tool result; only what the user must know shows here.
          if (event.event.type === "notice") err(`claw: [${event.agentType}] ${event.event.message}\n`);
          if (event.event.type === "permission_denied")
            err(`claw: [${event.agentType}] denied ${event.event.name}: ${event.event.reason}\n`);
          break;
        case "interrupted":
          // The partial answer is kept (as in the session); finish() says "Interrupted by user." once.
          release();
          if (!atLineStart) write("\n");
          break;
        default:
          break;
      }
    },
    finish(summary) {
      // Text still held belongs to an attempt that failed for good: it is not the answer.
      if (wroteAny && !atLineStart) out("\n");
      if (summary.isError) err(`claw: ${summary.result}\n`);
      else if (summary.structuredOutput !== undefined) out(`${JSON.stringify(summary.structuredOutput)}\n`);
      else if (summary.stopReason === "max_tokens") {
        err(
          'claw: the answer was cut off at the output limit; run `claw -c -p "continue"` to get the rest\n',
        );
      }
    },
  };
}

function jsonWriter(ctx: PrintContext, out: Write): OutputWriter {
  return {
    start() {},
    event() {},
    finish(summary) {
      out(`${JSON.stringify(resultMessage(summary, ctx))}\n`);
    },
  };
}

function streamJsonWriter(ctx: PrintContext, out: Write): OutputWriter {
  const line = (value: unknown) => out(`${JSON.stringify(value)}\n`);
  return {
    start() {
      line(initMessage(ctx));
    },
    event(event) {
      const message = eventMessage(event, ctx);
      if (message) line(message);
    },
    finish(summary) {
      line(resultMessage(summary, ctx));
    },
  };
}
