// The REPL's view state: what is frozen in scrollback, what the live region shows, and a tiny store
// that React subscribes to (useSyncExternalStore). Updates are coalesced so a fast stream redraws ~30×/s.
import type { PermissionAnswer, PermissionQuestion } from "../policy/permission-types.js";
import type { TranscriptPager } from "./transcript.js";

export interface StaticItem {
  id: number;
  text: string;
  /** Continues the item before it (the next piece of a long streamed block): printed with no blank line. */
  continues?: boolean;
}

export interface RunningTool {
  id: string;
  line: string;
  /** Last line of partial output (Bash progress). */
  update?: string;
}

export interface PermissionDialogState {
  question: PermissionQuestion;
  /** Styled preview: the command, or a diff for Edit/Write. */
  preview: string;
  answer(answer: PermissionAnswer): void;
  /** When it appeared: keys typed ahead of it (meant for the prompt) must not answer it. */
  openedAt: number;
}

export interface PickerState {
  title: string;
  options: Array<{ label: string; value: string }>;
  choose(value: string | undefined): void;
}

export interface FooterInfo {
  model: string;
  mode: string;
  contextPercent: number;
  costUsd: number;
  sessionId: string;
}

/** A request being retried: shown as one updating line until it succeeds or gives up. */
export interface RetryStatus {
  reason: string;
  attempt: number;
  maxAttempts: number | undefined;
  /** When the next attempt starts (epoch ms), for the countdown. */
  at: number;
}

export interface ReplState {
  staticItems: StaticItem[];
  /** Changes when the static list is reset (memory bound); forces <Static> to remount with nothing to reprint. */
  staticEpoch: number;
  /** Rendered text of the block being streamed. */
  live: string;
  /** The live block continues the last piece printed to scrollback: no blank line between them. */
  liveContinues?: boolean;
  tools: RunningTool[];
  busy: { since: number; tokens: number; label: string } | undefined;
  retry?: RetryStatus;
  dialog: PermissionDialogState | undefined;
  picker: PickerState | undefined;
  /** A full-screen pager a command opened (/diff); the command clears it when the pager closes. */
  pager?: TranscriptPager;
  /** A prompt to put back into the input (after an interrupt); seq changes each time. */
  restore: { text: string; seq: number } | undefined;
  queued: string[];
  hint: string | undefined;
  footer: FooterInfo;
  ready: boolean;
  /** Set as the REPL exits: the last frame leaves only the scrollback (no prompt, menu or footer). */
  closed?: boolean;
}

type Listener = () => void;

const FRAME_MS = 33;
/** Past this many scrollback items (all already printed) the list is dropped to bound memory. */
const MAX_STATIC_ITEMS = 300;

export class ReplStore {
  private state: ReplState;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private printed = 0;

  constructor(footer: FooterInfo) {
    this.state = {
      staticItems: [],
      staticEpoch: 0,
      live: "",
      tools: [],
      busy: undefined,
      dialog: undefined,
      picker: undefined,
      restore: undefined,
      queued: [],
      hint: undefined,
      footer,
      ready: false,
    };
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ReplState => this.state;

  /** Applies a change; `urgent` skips the frame coalescing (key presses, dialogs). */
  update(change: Partial<ReplState>, urgent = false): void {
    this.state = { ...this.state, ...change };
    this.schedule(urgent);
  }

  /** Freezes text into scrollback; returns the item's id. */
  print(text: string, options: { continues?: boolean } = {}): number {
    let items = this.state.staticItems;
    let epoch = this.state.staticEpoch;
    if (items.length >= MAX_STATIC_ITEMS && this.printed === items.length) {
      // Everything in the list is already in the terminal's scrollback: start a new list so memory stays bounded.
      items = [];
      epoch++;
      this.printed = 0;
    }
    const id = this.nextId++;
    this.state = {
      ...this.state,
      staticItems: [...items, { id, text, ...(options.continues ? { continues: true } : {}) }],
      staticEpoch: epoch,
    };
    this.schedule(false);
    return id;
  }

  /** How many scrollback items of the current list the terminal already shows. */
  get printedCount(): number {
    return this.printed;
  }

  /** Records that an item already in the terminal was rewritten there (Ctrl+O); <Static> does not print it again. */
  replaceText(id: number, text: string): void {
    const item = this.state.staticItems.find((i) => i.id === id);
    if (item) item.text = text;
  }

  /** Called by the view after <Static> wrote the items of `epoch`. */
  markPrinted(epoch: number, count: number): void {
    if (epoch === this.state.staticEpoch) this.printed = count;
  }

  private schedule(urgent: boolean): void {
    if (urgent) {
      this.flushNow();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.flushNow(), FRAME_MS);
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const listener of this.listeners) listener();
  }
}
