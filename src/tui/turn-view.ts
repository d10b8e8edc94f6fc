// Turns one run's agent events into scrollback (finished blocks, tool lines, notices) and live-region state
// (the block being streamed, running tools, the spinner's label and token count).
import type { AgentEvent, RunSummary } from "../agent/events.js";
import { formatDuration } from "../util/format-duration.js";
import type { ReplController } from "./controller.js";
import {
  attemptOf,
  formatCost,
  formatTokens,
  formatToolStart,
  renderToolEnd,
  retryHeadline,
  terminalSafe,
  workspaceRelative,
  wrapIndented,
} from "./format.js";
import { ANSWER_MARKER, renderFinishedBlock, renderLiveTail, visibleWidth } from "./markdown/render.js";
import { type FinishedBlock, MarkdownStream } from "./markdown/stream.js";
import type { RunningTool } from "./repl-state.js";
import type { Style } from "./style.js";

const LIVE_FRAME_MS = 33;

/** Turns one run's events into scrollback and live-region state. */
export class TurnView {
  private stream = new MarkdownStream();
  private readonly tools = new Map<string, RunningTool & { summary: string }>();
  private outputChars = 0;
  private outputTokens = 0;

  private readonly started = Date.now();

  constructor(private readonly c: ReplController) {}

  /** The current answer's text has shown its marker (⏺): later parts of it are only indented. */
  private markerShown = false;

  private get render() {
    return {
      style: this.c.style,
      width: Math.max(20, this.c.width()),
      gutter: this.markerShown ? "  " : ANSWER_MARKER,
    };
  }

  onEvent(event: AgentEvent): void {
    const store = this.c.store;
    if (RETRY_SETTLERS.has(event.type)) this.settleRetry(event);
    // Blocks finished within one frame go to scrollback together; anything else printed must come after them.
    if (
      event.type !== "text_delta" &&
      event.type !== "thinking_delta" &&
      event.type !== "usage" &&
      event.type !== "retry" &&
      event.type !== "subagent"
    )
      this.commitPending();
    switch (event.type) {
      case "text_delta": {
        for (const block of this.stream.push(event.text)) this.addBlock(block);
        this.outputChars += event.text.length;
        this.updateLive("Writing");
        break;
      }
      case "thinking_delta":
        this.outputChars += event.text.length;
        this.setBusy("Thinking");
        break;
      case "retry": {
        // The attempt's text is discarded, not kept: the retried answer starts over.
        if (this.discardText()) this.discardedShown = true;
        store.update(
          {
            retry: {
              reason: event.reason,
              attempt: event.attempt,
              maxAttempts: event.maxAttempts,
              at: Date.now() + event.delayMs,
            },
          },
          true,
        );
        break;
      }
      case "assistant_message":
        this.flushText();
        this.blocksShown = 0;
        this.outputTokens += event.message.usage.output_tokens;
        this.outputChars = 0;
        break;
      case "tool_start": {
        this.flushText();
        this.tools.set(event.id, {
          id: event.id,
          summary: workspaceRelative(event.summary, this.c.runtime.cwd),
          line: wrapIndented(
            formatToolStart(workspaceRelative(event.summary, this.c.runtime.cwd), this.c.style),
            this.c.width(),
            "",
            "  ",
          ),
        });
        store.update({ tools: [...this.tools.values()] });
        this.setBusy("Running");
        break;
      }
      case "tool_update": {
        const tool = this.tools.get(event.id);
        if (!tool) break;
        const last = terminalSafe(event.text).trimEnd().split("\n").pop() ?? "";
        tool.update = last.length > 200 ? `${last.slice(0, 199)}…` : last;
        store.update({ tools: [...this.tools.values()] });
        break;
      }
      case "tool_end": {
        const tool = this.tools.get(event.id);
        this.tools.delete(event.id);
        const summary = tool?.summary ?? event.name;
        const width = this.c.width();
        const show = (full: boolean) =>
          renderToolEnd(summary, event.result, event.durationMs, this.c.style, { width, full });
        const shown = show(false);
        const id = this.c.print(shown.text);
        if (shown.collapsed) this.c.expandable = { id, width, full: () => show(true).text };
        store.update({ tools: [...this.tools.values()] });
        this.setBusy("Thinking");
        break;
      }
      case "usage":
        this.c.refreshFooter();
        break;
      case "subagent":
        // Its progress shows under the Agent call (tool_update); its tokens count in the footer at once.
        if (event.event.type === "usage") this.c.refreshFooter();
        if (event.event.type === "notice")
          this.c.notice(event.event.level, `[${event.agentType}] ${event.event.message}`);
        break;
      case "compaction_start":
        this.c.notice(
          "info",
          event.reason === "manual"
            ? "Compacting the conversation…"
            : "Context is getting full: compacting the conversation…",
        );
        this.setBusy("Compacting");
        break;
      case "compaction_end":
        this.c.notice(
          "info",
          `Compacted ${event.messagesSummarized} ${event.messagesSummarized === 1 ? "message" : "messages"} (${event.tokensBefore} → ${event.tokensAfter} tokens).`,
        );
        this.c.refreshFooter();
        break;
      case "notice":
        this.c.notice(event.level, event.message);
        break;
      case "interrupted":
        this.flushText();
        this.showInterrupted();
        break;
      case "done": {
        const summary = event.summary;
        if (summary.isError && summary.error?.kind !== "aborted" && summary.subtype !== "success") {
          this.c.notice("error", summary.result);
          if (summary.error?.kind === "prompt_too_long")
            this.c.notice("info", "Run /compact to summarise the conversation, or /clear to start over.");
        }
        if (!summary.isError && summary.stopReason === "max_tokens")
          this.c.notice("info", "The answer reached the output limit; send “continue” to get the rest.");
        if (!summary.isError) this.c.print(turnSummary(summary, Date.now() - this.started, this.c.style));
        break;
      }
      default:
        break;
    }
  }

  /** Some text of a failed attempt had already reached scrollback before a retry. */
  private discardedShown = false;

  /** The retried request got an answer (one line stays in scrollback) or failed for good (its error says so). */
  private settleRetry(event: AgentEvent): void {
    const retry = this.c.store.getSnapshot().retry;
    if (!retry) return;
    this.c.store.update({ retry: undefined }, true);
    const failed = event.type === "done" && event.summary.isError;
    if (!failed) {
      const partial = this.discardedShown ? " (the partial answer above was discarded)" : "";
      this.c.notice(
        "warning",
        `${retryHeadline(retry)} · recovered on attempt ${attemptOf(retry)}${partial}`,
      );
    }
    this.discardedShown = false;
  }

  private liveTimer: NodeJS.Timeout | undefined;

  /** The live block is re-rendered at most once per frame, not once per delta. */
  private updateLive(label: string): void {
    this.setBusy(label);
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.commitPending();
      const live = renderLiveTail(this.stream.tail, this.stream.openCode, this.render);
      this.c.store.update({
        live: lastRows(live, this.c.width(), Math.max(3, this.c.height() - 12)),
        liveContinues: this.stream.continuing,
      });
    }, LIVE_FRAME_MS);
  }

  private setBusy(label: string): void {
    const busy = this.c.store.getSnapshot().busy;
    const tokens = this.outputTokens + Math.round(this.outputChars / 4);
    if (busy && (busy.label !== label || busy.tokens !== tokens))
      this.c.store.update({ busy: { ...busy, label, tokens } });
  }

  /** Rendered blocks not yet printed; `continues` marks a piece of a long block cut in parts. */
  private pendingBlocks: Array<{ text: string; continues: boolean }> = [];

  private addBlock(block: FinishedBlock): void {
    this.pendingBlocks.push({
      text: renderFinishedBlock(block, this.render),
      continues: block.continues === true,
    });
    this.markerShown = true;
  }

  /** Blocks of the current answer already printed to scrollback (they cannot be taken back on a retry). */
  private blocksShown = 0;

  private commitPending(): void {
    const [first, ...rest] = this.pendingBlocks;
    if (!first) return;
    // Pieces of one block are joined line to line: a blank line only goes between blocks.
    const text = rest.reduce((out, b) => `${out}${b.continues ? "\n" : "\n\n"}${b.text}`, first.text);
    this.c.store.print(text, { continues: first.continues });
    this.blocksShown += this.pendingBlocks.length;
    this.pendingBlocks = [];
  }

  private flushText(): void {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    for (const block of this.stream.finish()) this.addBlock(block);
    this.commitPending();
    this.stream = new MarkdownStream();
    this.markerShown = false;
    this.c.store.update({ live: "" });
  }

  /** Drops the unfinished text of a failed attempt; true when some of it already reached scrollback. */
  private discardText(): boolean {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    const shown = this.blocksShown > 0;
    this.blocksShown = 0;
    this.pendingBlocks = [];
    this.stream = new MarkdownStream();
    this.markerShown = false;
    this.outputChars = 0;
    this.c.store.update({ live: "" });
    return shown;
  }

  private interruptedShown = false;

  private showInterrupted(): void {
    if (this.interruptedShown) return;
    this.interruptedShown = true;
    this.c.print(this.c.style.color("yellow", "  ⎿ Interrupted by user"));
  }

  finish(aborted: boolean): void {
    this.flushText();
    for (const tool of this.tools.values())
      this.c.print(`${tool.line}\n${this.c.style.color("yellow", "  ⎿ Interrupted")}`);
    this.tools.clear();
    if (aborted) this.showInterrupted();
  }
}

/** Events that end a retry: the next attempt answered, or the run ended. */
const RETRY_SETTLERS: ReadonlySet<AgentEvent["type"]> = new Set([
  "text_delta",
  "thinking_delta",
  "tool_start",
  "assistant_message",
  "interrupted",
  "done",
]);

/** The line after a turn: how long it took, the tokens it used and what it cost. */
function turnSummary(summary: RunSummary, elapsedMs: number, style: Style): string {
  const u = summary.usage;
  const input = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
  const cost = `${summary.costEstimated ? "~" : ""}${formatCost(summary.totalCostUsd)}`;
  const took = elapsedMs < 60_000 ? `${(elapsedMs / 1000).toFixed(1)}s` : formatDuration(elapsedMs);
  return style.dim(`✻ ${took} · ${formatTokens(input)} in · ${formatTokens(u.output_tokens)} out · ${cost}`);
}

/** The end of `text` that fits in `rows` terminal rows at `width` columns (wrapped lines count fully). */
export function lastRows(text: string, width: number, rows: number): string {
  const lines = text.split("\n");
  let used = 0;
  let start = lines.length;
  while (start > 0) {
    const line = lines[start - 1]!;
    const height = Math.max(1, Math.ceil(visibleWidth(line) / Math.max(1, width)));
    if (used + height > rows - 1 && start < lines.length) break;
    used += height;
    start--;
  }
  if (start === 0) return text;
  return [`… ${start} lines above (shown when the block is finished)`, ...lines.slice(start)].join("\n");
}
