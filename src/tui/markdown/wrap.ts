// Word wrapping for rendered markdown: lines are broken at spaces to fit the terminal, so a wrapped line never
// starts with a space and list items and quotes keep their indent. Ink styles each output line on its own,
// so the ANSI styles open at a break are re-opened at the start of the next line.
import stringWidth from "string-width";

/** Visible columns of a string, measured as Ink measures it (string-width: ANSI removed, emoji and CJK wide). */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

const SGR_ALL = /\x1b\[[0-9;]*m/g;
const SGR_OR_TEXT = /\x1b\[[0-9;]*m|[^\x1b]+|\x1b/g;
const graphemes = new Intl.Segmenter();

/** The line as SGR escapes and single graphemes (a joined emoji family or a flag is one token, as on screen). */
function tokens(line: string): string[] {
  const out: string[] = [];
  for (const part of line.match(SGR_OR_TEXT) ?? []) {
    if (part.startsWith("\x1b[") && part.length > 2) out.push(part);
    else for (const { segment } of graphemes.segment(part)) out.push(segment);
  }
  return out;
}

/** Cuts plain text to `width` columns with "…" when it is wider, else pads it with spaces to `width`. */
export function fitToWidth(text: string, width: number): string {
  const used = stringWidth(text);
  if (used <= width) return text + " ".repeat(width - used);
  let out = "";
  let taken = 0;
  for (const token of tokens(text)) {
    const w = stringWidth(token);
    if (taken + w > width - 1) break;
    out += token;
    taken += w;
  }
  return `${out}…${" ".repeat(Math.max(0, width - 1 - taken))}`;
}

function isEscape(token: string): boolean {
  return token.startsWith("\x1b[") && token.length > 2;
}

/** Which opening SGR codes a closing code ends. */
const CLOSES: Record<string, (open: number) => boolean> = {
  "22": (n) => n === 1 || n === 2,
  "23": (n) => n === 3,
  "24": (n) => n === 4,
  "27": (n) => n === 7,
  "29": (n) => n === 9,
  "39": (n) => (n >= 30 && n <= 38) || (n >= 90 && n <= 97),
  "49": (n) => (n >= 40 && n <= 48) || (n >= 100 && n <= 107),
};

/** The SGR sequences in effect, updated one escape sequence at a time. */
class ActiveStyles {
  private codes: string[] = [];

  apply(seq: string): void {
    const body = seq.slice(2, -1);
    if (body === "" || body === "0") {
      this.codes = [];
      return;
    }
    const closes = CLOSES[body];
    if (closes) {
      this.codes = this.codes.filter((c) => !closes(Number(c.slice(2, -1).split(";")[0])));
      return;
    }
    this.codes.push(seq);
  }

  get open(): string {
    return this.codes.join("");
  }
}

interface Word {
  /** The word's characters and any escapes among them. */
  text: string;
  width: number;
  /** Escapes and spaces before the word (the spaces are dropped when the word starts a line). */
  gap: Array<{ seq?: string; space?: string }>;
}

function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let gap: Word["gap"] = [];
  let word: Word | undefined;
  for (const token of tokens(line)) {
    if (token === " ") {
      if (word) words.push(word);
      word = undefined;
      gap.push({ space: token });
    } else if (isEscape(token)) {
      if (word) word.text += token;
      else gap.push({ seq: token });
    } else {
      if (!word) {
        word = { text: "", width: 0, gap };
        gap = [];
      }
      word.text += token;
      word.width += stringWidth(token);
    }
  }
  if (word) words.push(word);
  // Trailing escapes (closing codes) after the last word stay on the line.
  if (gap.length > 0) words.push({ text: "", width: 0, gap });
  return words;
}

/** Wraps each line of `text` to `width` columns, breaking at spaces (overlong words are cut). */
export function wrapText(text: string, width: number): string {
  if (width < 4) return text;
  return text
    .split("\n")
    .map((line) => (visibleWidth(line) <= width ? line : wrapLine(line, width).join("\n")))
    .join("\n");
}

function wrapLine(line: string, width: number): string[] {
  const lines: string[] = [];
  const styles = new ActiveStyles();
  let current = "";
  let used = 0;
  const track = (text: string) => {
    for (const seq of text.match(SGR_ALL) ?? []) styles.apply(seq);
  };
  const breakLine = () => {
    const open = styles.open;
    lines.push(open ? `${current}\x1b[0m` : current);
    current = open;
    used = 0;
  };
  for (const word of splitWords(line)) {
    const spaces = word.gap.reduce((n, g) => n + (g.space ? 1 : 0), 0);
    const escapes = word.gap.map((g) => g.seq ?? "").join("");
    if (used > 0 && used + spaces + word.width > width && word.width > 0) {
      current += escapes;
      track(escapes);
      breakLine();
    } else {
      // Spaces are kept between words and as the line's own indent, never at the end or after a break.
      const keep = word.width > 0 && (used > 0 || lines.length === 0);
      const gapText = word.gap.map((g) => g.seq ?? (keep ? g.space : "")).join("");
      current += gapText;
      track(gapText);
      if (keep) used += spaces;
    }
    if (word.width <= width - used) {
      current += word.text;
      used += word.width;
      track(word.text);
      continue;
    }
    // A word longer than the line (a URL, a path): cut it at the width.
    for (const token of tokens(word.text)) {
      if (isEscape(token)) {
        current += token;
        styles.apply(token);
        continue;
      }
      const w = stringWidth(token);
      if (used + w > width && used > 0) breakLine();
      current += token;
      used += w;
    }
  }
  lines.push(current);
  return lines;
}
