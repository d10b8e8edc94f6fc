// Runs the REPL's turns: feeds prompts to the agent, turns its events into scrollback and live state,
// answers permission questions through the dialog, and handles interrupts. No React in here.

import type { AgentEvent } from "../agent/events.js";
import type { AskPermission, PermissionAnswer, PermissionQuestion } from "../agent/permission-types.js";
import { contextWindow } from "../api/models.js";
import type { ContentBlock } from "../api/types.js";
import type { Runtime } from "../cli/bootstrap.js";
import { parseSlashCommand } from "../cli/slash-commands.js";
import { formatNotice, formatToolEnd, formatToolStart, formatUserPrompt } from "./format.js";
import type { PromptHistory } from "./input/history.js";
import { renderFinishedBlock, renderLiveTail, visibleWidth } from "./markdown/render.js";
import { MarkdownStream } from "./markdown/stream.js";
import { permissionPreview } from "./permission-preview.js";
import { ReplStore, type RunningTool } from "./repl-state.js";
import type { Style } from "./style.js";

/** What the REPL needs from a runtime; createRuntime's Runtime satisfies it, tests build a small one. */
export type ReplRuntime = Pick<
  Runtime,
  "agent" | "sessionId" | "cwd" | "configHome" | "permissionMode" | "gate" | "record" | "close"
> &
  Partial<Pick<Runtime, "settings" | "instructions" | "mcp" | "sessionPath" | "apiKeySource">>;

export interface ControllerOptions {
  runtime: ReplRuntime;
  style: Style;
  width: () => number;
  /** Terminal rows; the live region is kept shorter than the screen so Ink never has to repaint scrollback. */
  height?: () => number;
  history: PromptHistory;
  /** Handles "/command args" and "!shell command" input. */
  runSpecial?: (controller: ReplController, text: string) => Promise<void>;
  /** Expands @path mentions and !commands into what the model receives. */
  preparePrompt?: (
    text: string,
    cwd: string,
  ) => Promise<{ content: string | ContentBlock[]; notes: string[] }>;
  onExit: (code: number) => void;
}

export class ReplController {
  readonly store: ReplStore;
  readonly style: Style;
  runtime: ReplRuntime;
  private abort: AbortController | undefined;
  private turn: Promise<void> | undefined;
  private exiting = false;
  private restoreSeq = 0;

  constructor(private readonly options: ControllerOptions) {
    this.runtime = options.runtime;
    this.style = options.style;
    this.store = new ReplStore(this.footerInfo());
  }

  width(): number {
    return this.options.width();
  }

  height(): number {
    return this.options.height?.() ?? 40;
  }

  get history(): PromptHistory {
    return this.options.history;
  }

  get busy(): boolean {
    return this.turn !== undefined;
  }

  print(text: string): void {
    this.store.print(text);
  }

  notice(level: "info" | "warning" | "error", message: string): void {
    this.store.print(formatNotice(level, message, this.style));
  }

  refreshFooter(): void {
    this.store.update({ footer: this.footerInfo() });
  }

  footerInfo() {
    const agent = this.runtime.agent;
    const window = contextWindow(agent.model);
    return {
      model: agent.model,
      mode: this.runtime.gate.mode,
      contextPercent: window > 0 ? Math.min(100, Math.round((agent.lastInputTokens / window) * 100)) : 0,
      costUsd: agent.usage.costUsd,
      sessionId: this.runtime.sessionId,
    };
  }

  /** Entry point for Enter. Empty input is never sent. */
  submit(raw: string): void {
    const text = raw.replace(/\s+$/, "");
    if (!text.trim()) return;
    this.history.add(text);
    if (this.turn) {
      this.store.update({ queued: [...this.store.getSnapshot().queued, text] }, true);
      return;
    }
    this.start(text);
  }

  private start(text: string): void {
    this.turn = this.handle(text)
      .catch((error: unknown) => {
        this.notice("error", error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        this.turn = undefined;
        this.store.update({ busy: undefined, live: "", tools: [] }, true);
        this.refreshFooter();
        const [next, ...rest] = this.store.getSnapshot().queued;
        if (next !== undefined && !this.exiting) {
          this.store.update({ queued: rest }, true);
          this.start(next);
        }
      });
  }

  private async handle(text: string): Promise<void> {
    if (
      this.options.runSpecial &&
      (text.startsWith("!") || (text.startsWith("/") && parseSlashCommand(text)))
    ) {
      await this.options.runSpecial(this, text);
      return;
    }
    this.print(formatUserPrompt(text, this.style));
    const prepared = this.options.preparePrompt
      ? await this.options.preparePrompt(text, this.runtime.cwd)
      : { content: text, notes: [] };
    for (const note of prepared.notes) this.notice("info", note);
    await this.runPrompt(prepared.content, text);
  }

  /** Streams one prompt through the agent. `original` is what goes back into the input on interrupt. */
  async runPrompt(content: string | ContentBlock[], original: string): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const view = new TurnView(this);
    this.store.update({ busy: { since: Date.now(), tokens: 0, label: "Thinking" } }, true);
    try {
      for await (const event of this.runtime.agent.run(content, { signal: abort.signal })) {
        this.runtime.record(event);
        view.onEvent(event);
      }
    } finally {
      view.finish(abort.signal.aborted);
      this.abort = undefined;
      if (abort.signal.aborted) this.restorePrompt(original);
    }
  }

  /** Runs an agent event stream that is not a prompt (/compact). */
  async runEvents(events: AsyncGenerator<AgentEvent, unknown>, label: string): Promise<void> {
    const view = new TurnView(this);
    this.store.update({ busy: { since: Date.now(), tokens: 0, label } }, true);
    try {
      for await (const event of events) {
        this.runtime.record(event);
        view.onEvent(event);
      }
    } finally {
      view.finish(false);
    }
  }

  /** A signal for work a command starts (so Esc can stop it too). */
  newAbortSignal(): AbortSignal {
    this.abort = new AbortController();
    return this.abort.signal;
  }

  restorePrompt(text: string): void {
    this.store.update({ restore: { text, seq: ++this.restoreSeq } }, true);
  }

  /** Esc / Ctrl+C during a turn. Returns false when there was nothing to interrupt. */
  interrupt(): boolean {
    const state = this.store.getSnapshot();
    if (state.dialog) {
      state.dialog.answer({ behavior: "deny" });
    }
    if (!this.abort || this.abort.signal.aborted) return state.dialog !== undefined;
    this.abort.abort();
    this.store.update(
      { queued: [], busy: state.busy ? { ...state.busy, label: "Interrupting" } : undefined },
      true,
    );
    return true;
  }

  /** The dialog's side of AskPermission. */
  askPermission: AskPermission = (question: PermissionQuestion, signal: AbortSignal) =>
    new Promise<PermissionAnswer>((resolve) => {
      let settled = false;
      const settle = (answer: PermissionAnswer) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        this.store.update({ dialog: undefined }, true);
        resolve(answer);
      };
      const onAbort = () => settle({ behavior: "deny" });
      signal.addEventListener("abort", onAbort);
      void permissionPreview(
        question,
        this.runtime.cwd,
        this.style,
        Math.max(4, Math.min(30, this.height() - 16)),
      ).then((preview) => {
        if (settled) return;
        this.store.update({ dialog: { question, preview, answer: settle } }, true);
      });
    });

  /** /exit, Ctrl+D, double Ctrl+C: stop the turn, flush the session, leave. */
  async exit(code = 0): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.abort?.abort();
    await this.turn?.catch(() => undefined);
    await this.runtime.close().catch(() => undefined);
    this.options.onExit(code);
  }

  /** Swaps in a new runtime (/clear, /resume); the old one is closed first. */
  async replaceRuntime(next: () => Promise<ReplRuntime>): Promise<void> {
    await this.runtime.close().catch(() => undefined);
    this.runtime = await next();
    this.refreshFooter();
  }
}

/** Turns one run's events into scrollback and live-region state. */
class TurnView {
  private stream = new MarkdownStream();
  private readonly tools = new Map<string, RunningTool & { summary: string }>();
  private outputChars = 0;
  private outputTokens = 0;

  constructor(private readonly c: ReplController) {}

  private get render() {
    return { style: this.c.style, width: Math.max(20, this.c.width()) };
  }

  onEvent(event: AgentEvent): void {
    const store = this.c.store;
    switch (event.type) {
      case "text_delta": {
        for (const block of this.stream.push(event.text))
          this.c.print(renderFinishedBlock(block, this.render));
        this.outputChars += event.text.length;
        this.updateLive("Writing");
        break;
      }
      case "thinking_delta":
        this.outputChars += event.text.length;
        this.setBusy("Thinking");
        break;
      case "retry":
        this.flushText();
        this.c.notice(
          "warning",
          `${event.reason}; retrying in ${Math.round(event.delayMs / 100) / 10}s (attempt ${event.attempt})`,
        );
        break;
      case "assistant_message":
        this.flushText();
        this.outputTokens += event.message.usage.output_tokens;
        this.outputChars = 0;
        break;
      case "tool_start": {
        this.flushText();
        this.tools.set(event.id, {
          id: event.id,
          summary: event.summary,
          line: formatToolStart(event.summary, this.c.style),
        });
        store.update({ tools: [...this.tools.values()] });
        this.setBusy("Running");
        break;
      }
      case "tool_update": {
        const tool = this.tools.get(event.id);
        if (!tool) break;
        const last = event.text.trimEnd().split("\n").pop() ?? "";
        tool.update = last.length > 200 ? `${last.slice(0, 199)}…` : last;
        store.update({ tools: [...this.tools.values()] });
        break;
      }
      case "tool_end": {
        const tool = this.tools.get(event.id);
        this.tools.delete(event.id);
        this.c.print(
          formatToolEnd(tool?.summary ?? event.name, event.result, event.durationMs, this.c.style),
        );
        store.update({ tools: [...this.tools.values()] });
        this.setBusy("Thinking");
        break;
      }
      case "usage":
        this.c.refreshFooter();
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
          `Compacted ${event.messagesSummarized} messages (${event.tokensBefore} → ${event.tokensAfter} tokens).`,
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
        }
        break;
      }
      default:
        break;
    }
  }

  private updateLive(label: string): void {
    const live = renderLiveTail(this.stream.tail, this.stream.openCode, this.render);
    this.c.store.update({ live: lastRows(live, this.c.width(), Math.max(3, this.c.height() - 12)) });
    this.setBusy(label);
  }

  private setBusy(label: string): void {
    const busy = this.c.store.getSnapshot().busy;
    const tokens = this.outputTokens + Math.round(this.outputChars / 4);
    if (busy && (busy.label !== label || busy.tokens !== tokens))
      this.c.store.update({ busy: { ...busy, label, tokens } });
  }

  private flushText(): void {
    for (const block of this.stream.finish()) this.c.print(renderFinishedBlock(block, this.render));
    this.stream = new MarkdownStream();
    this.c.store.update({ live: "" });
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
