// Runs the REPL's turns: feeds prompts to the agent, turns its events into scrollback and live state,
// answers permission questions through the dialog, and handles interrupts. No React in here.

import type { AgentEvent } from "../agent/events.js";
import { contextWindow } from "../api/models.js";
import type { ContentBlock } from "../api/types.js";
import type {
  AskPermission,
  PermissionAnswer,
  PermissionMode,
  PermissionQuestion,
} from "../policy/permission-types.js";
import type { Runtime, SessionEndReason } from "../runtime/runtime.js";
import { parseSlashCommand } from "../runtime/slash-commands.js";
import { formatNotice, formatUserPrompt } from "./format.js";
import type { PromptHistory } from "./input/history.js";
import { nextMode } from "./modes.js";
import { permissionPreview } from "./permission-preview.js";
import { ReplStore } from "./repl-state.js";
import type { Style } from "./style.js";
import { TurnView } from "./turn-view.js";

/** What the REPL needs from a runtime; createRuntime's Runtime satisfies it, tests build a small one. */
export type ReplRuntime = Pick<
  Runtime,
  | "agent"
  | "sessionId"
  | "cwd"
  | "configHome"
  | "permissionMode"
  | "gate"
  | "record"
  | "close"
  | "setModel"
  | "setPermissionMode"
  | "withdrawLastPrompt"
> &
  Partial<
    Pick<
      Runtime,
      | "settings"
      | "instructions"
      | "mcp"
      | "sessionPath"
      | "apiKeySource"
      | "describeProvider"
      | "appendRecord"
      | "mcpStarting"
      | "previousToolDisplays"
      | "checkpoints"
      | "rewindConversation"
      | "sandbox"
      | "delegation"
    >
  >;

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

export interface ExpandableOutput {
  /** The scrollback item showing it collapsed. */
  id: number;
  /** Terminal columns it was laid out for. */
  width: number;
  /** The whole output, laid out for `width`. */
  full: () => string;
}

/** Events that show the model replied (text, a tool call) or rewrote the history (compaction). */
const REPLY_EVENTS: ReadonlySet<AgentEvent["type"]> = new Set([
  "text_delta",
  "tool_start",
  "assistant_message",
  "compaction_end",
]);

export class ReplController {
  readonly store: ReplStore;
  readonly style: Style;
  runtime: ReplRuntime;
  private abort: AbortController | undefined;
  private turn: Promise<void> | undefined;
  private exiting = false;
  private restoreSeq = 0;
  private readonly unsent: string[] = [];

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

  /** The last tool output shown collapsed, which Ctrl+O can expand in place. */
  expandable: ExpandableOutput | undefined;

  print(text: string): number {
    return this.store.print(text);
  }

  notice(level: "info" | "warning" | "error", message: string): void {
    this.store.print(formatNotice(level, message, this.style, this.width()));
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
        // A command's signal (/compact, !cmd) ends with it: a later Ctrl+C must not find work to interrupt.
        this.abort = undefined;
        this.store.update({ busy: undefined, live: "", tools: [], retry: undefined }, true);
        this.refreshFooter();
        if (this.unsent.length > 0) this.restorePrompt("");
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
      // The command stays in the scrollback above its output, like a prompt.
      if (text.startsWith("/")) this.print(formatUserPrompt(text, this.style, this.width()));
      await this.options.runSpecial(this, text);
      return;
    }
    this.print(formatUserPrompt(text, this.style, this.width()));
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
    const agent = this.runtime.agent;
    let answered = false;
    let failed = false;
    let replied = false;
    try {
      for await (const event of agent.run(content, { signal: abort.signal })) {
        this.runtime.record(event);
        view.onEvent(event);
        if (event.type === "assistant_message") answered = true;
        if (event.type === "done" && event.summary.isError) failed = true;
        if (REPLY_EVENTS.has(event.type)) replied = true;
      }
    } finally {
      view.finish(abort.signal.aborted);
      this.abort = undefined;
      // Interrupted, or failed before any answer (too long, network down): the prompt goes back for a retry.
      if (abort.signal.aborted || (failed && !answered)) {
        // With nothing back from the model yet, the prompt also leaves the conversation, so sending it
        // again (or an edited version) does not put it in front of the model twice.
        if (!replied) this.runtime.withdrawLastPrompt();
        this.restorePrompt(original);
      }
    }
  }

  /** Runs an agent event stream that is not a prompt (/compact); resolves with how many events it had. */
  async runEvents(events: AsyncGenerator<AgentEvent, unknown>, label: string): Promise<number> {
    const view = new TurnView(this);
    this.store.update({ busy: { since: Date.now(), tokens: 0, label } }, true);
    let count = 0;
    try {
      for await (const event of events) {
        count++;
        this.runtime.record(event);
        view.onEvent(event);
      }
    } finally {
      view.finish(false);
    }
    return count;
  }

  /** Shift+Tab: the next permission mode of the cycle, applied at once; returns it. */
  cycleMode(): PermissionMode {
    const next = nextMode(this.runtime.gate.mode);
    this.runtime.setPermissionMode(next);
    this.refreshFooter();
    return next;
  }

  /** A signal for work a command starts (so Esc can stop it too). */
  newAbortSignal(): AbortSignal {
    this.abort = new AbortController();
    return this.abort.signal;
  }

  /** Puts text back into the input, followed by any queued prompts an interrupt took off the queue. */
  restorePrompt(text: string): void {
    const all = [text, ...this.unsent.splice(0)].filter((t) => t !== "");
    this.store.update({ restore: { text: all.join("\n"), seq: ++this.restoreSeq } }, true);
  }

  /** Esc / Ctrl+C during a turn. Returns false when there was nothing to interrupt. */
  interrupt(): boolean {
    const state = this.store.getSnapshot();
    if (state.dialog) {
      state.dialog.answer({ behavior: "deny" });
    }
    if (!this.abort || this.abort.signal.aborted) return state.dialog !== undefined;
    this.abort.abort();
    // Prompts queued behind the interrupted turn are not sent, nor lost: they go back into the input.
    this.unsent.push(...state.queued);
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
        this.store.update({ dialog: { question, preview, answer: settle, openedAt: Date.now() } }, true);
      });
    });

  /** /exit, Ctrl+D, double Ctrl+C: stop the turn, flush the session, leave. */
  async exit(code = 0): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.abort?.abort();
    await this.turn?.catch(() => undefined);
    await this.runtime.close("prompt_input_exit").catch(() => undefined);
    this.options.onExit(code);
  }

  /** Swaps in a new runtime (/clear, /resume); the old one is closed first. */
  async replaceRuntime(
    next: () => Promise<ReplRuntime>,
    endReason: SessionEndReason = "other",
  ): Promise<void> {
    const old = this.runtime;
    await old.close(endReason).catch(() => undefined);
    this.runtime = await next();
    // "Allow for this session" answers and /permissions rules belong to this REPL, not to one conversation.
    for (const { behavior, rule } of old.gate.sessionRules())
      this.runtime.gate.addSessionRule(behavior, rule);
    this.refreshFooter();
  }
}
