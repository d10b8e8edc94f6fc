// /diff's pager: one changed file at a time on the alternate screen, ←/→ or n/p to the next or previous file,
// ↑/↓ PgUp/PgDn to scroll within it (the transcript pager's keys), q or Esc to close.
import { formatDiff } from "./format.js";
import type { KeyEvent } from "./input/keys.js";
import type { Style } from "./style.js";
import { TranscriptPager } from "./transcript.js";

export interface ChangedFile {
  path: string;
  /** The file's unified diff, from its first hunk on. */
  patch: string;
  added: number;
  removed: number;
  /** Not in git yet: the whole file is new. */
  untracked: boolean;
}

export class DiffPager extends TranscriptPager {
  index = 0;

  constructor(
    private readonly files: readonly ChangedFile[],
    private readonly style: Style,
    rows: number,
  ) {
    super([], rows);
    this.show(0);
  }

  override get title(): string {
    const file = this.files[this.index];
    if (!file) return "Diff";
    const counts = `${this.style.color("green", `+${file.added}`)} ${this.style.color("red", `-${file.removed}`)}`;
    return `${this.style.bold(`Diff ${this.index + 1}/${this.files.length}: ${file.path}`)}${file.untracked ? this.style.dim(" (new, untracked)") : ""} ${counts}${this.style.dim(" · ←/→ or n/p: file · ↑/↓ PgUp/PgDn: scroll · q or esc: close")}`;
  }

  private show(index: number): void {
    this.index = (index + this.files.length) % this.files.length;
    const file = this.files[this.index];
    this.lines = file ? formatDiff(file.patch, this.style, Number.POSITIVE_INFINITY).split("\n") : [];
    this.top = 0;
  }

  /** A resize keeps the file and its lines (they are cut at the edge, not wrapped). */
  override relayout(_lines: string[], rows: number): void {
    this.rows = rows;
    this.top = Math.min(this.top, Math.max(0, this.lines.length - rows));
  }

  override handle(event: KeyEvent | { type: "paste"; text: string }): "close" | "none" {
    const next = () => this.show(this.index + 1);
    const previous = () => this.show(this.index - 1);
    if (event.type === "key" && event.name === "right") next();
    else if (event.type === "key" && event.name === "left") previous();
    else if (event.type === "text" && event.text === "n") next();
    else if (event.type === "text" && event.text === "p") previous();
    else return super.handle(event);
    return "none";
  }
}
