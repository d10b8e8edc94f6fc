// Word wrapping for rendered markdown: lines are broken at spaces to fit the terminal, so a wrapped line never
// starts with a space and list items and quotes keep their indent. Ink styles each output line on its own,
// so the ANSI styles open at a break are re-opened at the start of the next line.

/** Visible columns of a string (ANSI removed; wide CJK and emoji count as two). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(SGR_ALL, "")) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

const SGR_ALL = /\x1b\[[0-9;]*m/g;
const TOKEN = /\x1b\[[0-9;]*m|[\s\S]/gu;

function charWidth(code: number): number {
  if (
    code < 0x20 ||
    (code >= 0x300 && code <= 0x36f) ||
    code === 0x200d ||
    (code >= 0xfe00 && code <= 0xfe0f)
  )
    return 0;
  return isWide(code) ? 2 : 1;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
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
  for (const token of line.match(TOKEN) ?? []) {
    if (token === " ") {
      if (word) words.push(word);
      word = undefined;
      gap.push({ space: token });
    } else if (token.startsWith("\x1b[") && token.length > 2) {
      if (word) word.text += token;
      else gap.push({ seq: token });
    } else {
      if (!word) {
        word = { text: "", width: 0, gap };
        gap = [];
      }
      word.text += token;
      word.width += charWidth(token.codePointAt(0) ?? 0);
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
    for (const token of word.text.match(TOKEN) ?? []) {
      if (token.startsWith("\x1b[") && token.length > 2) {
        current += token;
        styles.apply(token);
        continue;
      }
      const w = charWidth(token.codePointAt(0) ?? 0);
      if (used + w > width && used > 0) breakLine();
      current += token;
      used += w;
    }
  }
  lines.push(current);
  return lines;
}
