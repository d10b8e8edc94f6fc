// Splits a streaming markdown answer into finished blocks (frozen, printed once to scrollback) and the
// block still being written (re-rendered on each update). Each character is scanned once, so a long answer
// costs linear time; a huge block is cut at line boundaries so the live part stays small.

export interface FinishedBlock {
  text: string;
  /** Set for pieces of a fenced code block that was cut because it grew too long. */
  code?: { lang: string; first: boolean; last: boolean };
  /** The piece continues the previous one (a long block cut in parts): no blank line goes between them. */
  continues?: boolean;
}

/** Beyond this many characters the unfinished block is cut at its last complete line. */
const MAX_LIVE_CHARS = 4000;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

export class MarkdownStream {
  private pending = "";
  /** Index in `pending` up to which complete lines were scanned. */
  private scanned = 0;
  private fence: { marker: string; lang: string; cut: boolean } | undefined;
  /** The block being written was cut: its next piece continues it. */
  private cutOpen = false;

  /** Records a finished piece, marking it as a continuation when the block it ends was cut before. */
  private emit(done: FinishedBlock[], block: FinishedBlock): void {
    done.push(this.cutOpen ? { ...block, continues: true } : block);
    this.cutOpen = false;
  }

  /** Adds streamed text; returns the blocks that became finished. */
  push(delta: string): FinishedBlock[] {
    this.pending += delta;
    const done: FinishedBlock[] = [];
    for (;;) {
      const newline = this.pending.indexOf("\n", this.scanned);
      if (newline === -1) break;
      const line = this.pending.slice(this.scanned, newline);
      this.scanned = newline + 1;
      this.onLine(line, done);
    }
    if (this.pending.length > MAX_LIVE_CHARS && this.scanned > 0) this.cut(done);
    return done;
  }

  /** The unfinished text (rendered live). */
  get tail(): string {
    return this.pending;
  }

  /** Fence state of the tail, so the live render of a cut code block still looks like code. */
  get openCode(): { lang: string; continued: boolean } | undefined {
    return this.fence ? { lang: this.fence.lang, continued: this.fence.cut } : undefined;
  }

  /** The unfinished text continues a block already cut (so it is shown with no blank line before it). */
  get continuing(): boolean {
    return this.cutOpen;
  }

  /** Ends the stream: whatever is left becomes a finished block. */
  finish(): FinishedBlock[] {
    const done: FinishedBlock[] = [];
    if (this.pending.trim() !== "" || this.fence?.cut) {
      if (this.fence?.cut) {
        const body = this.pending.replace(/\n?[`~]{3,}\s*$/, "").replace(/\n$/, "");
        this.emit(done, { text: body, code: { lang: this.fence.lang, first: false, last: true } });
      } else {
        this.emit(done, { text: this.pending.replace(/\n+$/, "") });
      }
    }
    this.cutOpen = false;
    this.pending = "";
    this.scanned = 0;
    this.fence = undefined;
    return done;
  }

  private onLine(line: string, done: FinishedBlock[]): void {
    const match = FENCE.exec(line);
    if (this.fence) {
      const closes =
        match &&
        match[1]![0] === this.fence.marker[0] &&
        match[1]!.length >= this.fence.marker.length &&
        match[2] === "";
      if (!closes) return;
      if (this.fence.cut) {
        const body = this.pending.slice(0, this.scanned).replace(/\n?[^\n]*\n$/, "");
        this.emit(done, { text: body, code: { lang: this.fence.lang, first: false, last: true } });
      } else {
        this.emit(done, { text: this.pending.slice(0, this.scanned).replace(/\n+$/, "") });
      }
      this.fence = undefined;
      this.consume();
      return;
    }
    if (match) {
      // Text before the fence is a finished block of its own.
      const before = this.pending.slice(0, this.scanned - line.length - 1);
      if (before.trim() !== "") {
        this.emit(done, { text: before.replace(/\n+$/, "") });
        this.pending = this.pending.slice(before.length);
        this.scanned -= before.length;
      }
      this.cutOpen = false;
      this.fence = { marker: match[1]!, lang: match[2] ?? "", cut: false };
      return;
    }
    if (line.trim() === "") {
      const block = this.pending.slice(0, this.scanned);
      if (block.trim() !== "") this.emit(done, { text: block.replace(/\n+$/, "") });
      else this.cutOpen = false;
      this.consume();
    }
  }

  private consume(): void {
    this.pending = this.pending.slice(this.scanned);
    this.scanned = 0;
  }

  /** Commits the complete lines of an overlong block. */
  private cut(done: FinishedBlock[]): void {
    const text = this.pending.slice(0, this.scanned).replace(/\n$/, "");
    if (this.fence) {
      const first = !this.fence.cut;
      // The opening fence line is dropped from the piece: the renderer draws it from `first`.
      const body = first ? text.replace(/^[^\n]*\n?/, "") : text;
      this.emit(done, { text: body, code: { lang: this.fence.lang, first, last: false } });
      this.fence.cut = true;
    } else {
      this.emit(done, { text });
    }
    this.cutOpen = true;
    this.consume();
  }
}
