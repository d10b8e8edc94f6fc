// Renders markdown to ANSI text for the terminal: marked's lexer for the structure, our own output
// (headings, lists, emphasis, inline code, links, tables, quotes, fenced code with syntax colours).
import { Lexer, type Token, type Tokens } from "marked";
import { printable, type Style, stripAnsi } from "../style.js";
import { highlightCode } from "./highlight.js";
import { visibleWidth, wrapText } from "./wrap.js";

export { visibleWidth } from "./wrap.js";

export interface RenderOptions {
  style: Style;
  /** Terminal columns available; tables and rules fit inside it. */
  width: number;
  /**
   * An assistant answer: prose is indented two columns, and this string (the marker, or two spaces for a later
   * part of the same answer) starts its first line. Code stays at column 0, so copying it gives the code alone.
   */
  gutter?: string;
}

/** Sets the assistant's text apart from tool lines (● Bash(…)), as the first column of its first line. */
export const ANSWER_MARKER = "⏺ ";
const GUTTER_WIDTH = 2;

export function renderMarkdown(text: string, options: RenderOptions): string {
  const tokens = Lexer.lex(printable(text), { gfm: true });
  if (options.gutter === undefined) return renderBlocks(tokens, options).replace(/\n+$/, "");
  return renderWithGutter(tokens, options, options.gutter).replace(/\n+$/, "");
}

function renderWithGutter(tokens: Token[], options: RenderOptions, gutter: string): string {
  const parts: string[] = [];
  const inner = { ...options, width: Math.max(10, options.width - GUTTER_WIDTH), gutter: undefined };
  let first = gutter;
  for (const token of tokens) {
    if (token.type === "code") {
      const code = renderCode(token as Tokens.Code, options);
      // A marker still to show goes on a line of its own rather than into the code.
      parts.push(first.trim() ? `${first.trimEnd()}\n${code}` : code);
      first = "  ";
      continue;
    }
    const rendered = renderBlock(token, inner);
    if (rendered === undefined) continue;
    parts.push(
      rendered
        .split("\n")
        .map((line, i) => (i === 0 ? first : line === "" ? "" : " ".repeat(GUTTER_WIDTH)) + line)
        .join("\n"),
    );
    first = "  ";
  }
  return parts.join("\n\n");
}

function renderBlocks(tokens: Token[], options: RenderOptions, separator = "\n\n"): string {
  const parts: string[] = [];
  for (const token of tokens) {
    const rendered = renderBlock(token, options);
    if (rendered !== undefined) parts.push(rendered);
  }
  return parts.join(separator);
}

function renderBlock(token: Token, options: RenderOptions): string | undefined {
  const { style } = options;
  switch (token.type) {
    case "space":
    case "def":
      return undefined;
    case "heading": {
      const t = token as Tokens.Heading;
      const body = renderInline(t.tokens, style);
      if (!style.enabled) return wrapText(`${"#".repeat(t.depth)} ${body}`, options.width);
      return wrapText(t.depth <= 2 ? style.bold(style.underline(body)) : style.bold(body), options.width);
    }
    case "paragraph":
      return wrapText(renderInline((token as Tokens.Paragraph).tokens, style), options.width);
    case "text": {
      const t = token as Tokens.Text;
      return wrapText(t.tokens ? renderInline(t.tokens, style) : decodeEntities(t.text), options.width);
    }
    case "code":
      return renderCode(token as Tokens.Code, options);
    case "hr":
      return style.dim("─".repeat(Math.max(3, Math.min(options.width, 80))));
    case "blockquote": {
      const inner = renderBlocks((token as Tokens.Blockquote).tokens, {
        ...options,
        width: options.width - 2,
      });
      return inner
        .split("\n")
        .map((line) => `${style.dim("│")} ${style.italic(line)}`)
        .join("\n");
    }
    case "list":
      return renderList(token as Tokens.List, options);
    case "table":
      return renderTable(token as Tokens.Table, options);
    case "html":
      return decodeEntities(token.raw.replace(/\n+$/, ""));
    default:
      return "raw" in token && typeof token.raw === "string" ? token.raw.replace(/\n+$/, "") : undefined;
  }
}

function renderCode(token: Tokens.Code, options: RenderOptions): string {
  const code = token.text.replace(/\n+$/, "");
  const body = highlightCode(code, token.lang, options.style);
  const label = codeLabel(token.lang, options.style);
  // No fences: what is copied from the terminal is the code alone; a dim label names the language.
  return label ? `${label}\n${body}` : body;
}

/** The dim line above a code block naming its language ("python"), or undefined when it has none. */
function codeLabel(lang: string | undefined, style: Style): string | undefined {
  const name = lang?.trim().split(/\s/)[0];
  return name ? style.dim(name) : undefined;
}

function renderList(token: Tokens.List, options: RenderOptions): string {
  const { style } = options;
  const start = typeof token.start === "number" ? token.start : 1;
  const lines: string[] = [];
  token.items.forEach((item, i) => {
    let bullet = token.ordered ? `${start + i}.` : "•";
    if (item.task) bullet = item.checked ? "☒" : "☐";
    const marker = token.ordered ? style.color("cyan", bullet) : style.dim(bullet);
    const indent = " ".repeat(bullet.length + 1);
    // A tight list keeps an item's text and its nested list on consecutive lines.
    const content = renderBlocks(
      item.tokens.filter((t) => t.type !== "checkbox"),
      { ...options, width: options.width - indent.length },
      token.loose ? "\n\n" : "\n",
    );
    content.split("\n").forEach((line, n) => {
      lines.push(n === 0 ? `${marker} ${line}` : line === "" ? "" : `${indent}${line}`);
    });
    if (token.loose && i < token.items.length - 1) lines.push("");
  });
  return lines.join("\n");
}

function pad(text: string, width: number, align: "left" | "right" | "center" | null): string {
  const gap = Math.max(0, width - visibleWidth(text));
  if (align === "right") return " ".repeat(gap) + text;
  if (align === "center") return " ".repeat(Math.floor(gap / 2)) + text + " ".repeat(Math.ceil(gap / 2));
  return text + " ".repeat(gap);
}

function renderTable(token: Tokens.Table, options: RenderOptions): string {
  const { style } = options;
  const header = token.header.map((cell) => renderInline(cell.tokens, style));
  const rows = token.rows.map((row) => row.map((cell) => renderInline(cell.tokens, style)));
  const natural = header.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ""))),
  );
  // Borders and padding take three columns a cell and one more; the cells share what is left.
  const words = header.map((h, i) => Math.max(longestWord(h), ...rows.map((r) => longestWord(r[i] ?? ""))));
  const widths = fitColumns(natural, words, options.width - (natural.length * 3 + 1));
  if (!widths) {
    // Too many columns to give each a few characters: one "header: value" line per cell reads better.
    return rows
      .map((row) =>
        row
          .map((cell, i) => wrapText(`${style.bold(stripAnsi(header[i] ?? ""))}: ${cell}`, options.width))
          .join("\n"),
      )
      .join("\n\n");
  }
  const line = (l: string, m: string, r: string) =>
    style.dim(l + widths.map((w) => "─".repeat(w + 2)).join(m) + r);
  const bar = style.dim("│");
  // A cell wider than its column wraps inside it; the row is as tall as its tallest cell.
  const row = (cells: string[]) => {
    const wrapped = widths.map((w, i) => wrapText(cells[i] ?? "", w).split("\n"));
    const height = Math.max(...wrapped.map((c) => c.length));
    return Array.from(
      { length: height },
      (_, n) =>
        `${bar} ${widths.map((w, i) => pad(wrapped[i]![n] ?? "", w, token.align[i] ?? null)).join(` ${bar} `)} ${bar}`,
    ).join("\n");
  };
  const body = rows.map(row);
  // Once a row takes several lines, a rule between rows shows where each one ends.
  const between = body.some((r) => r.includes("\n")) ? `\n${line("├", "┼", "┤")}\n` : "\n";
  return [
    line("┌", "┬", "┐"),
    row(header.map((h) => style.bold(h))),
    line("├", "┼", "┤"),
    ...(body.length > 0 ? [body.join(between)] : []),
    line("└", "┴", "┘"),
  ].join("\n");
}

/** Narrowest column a wrapped table still reads well in; below it the table is shown as records. */
const MIN_COLUMN = 6;

/**
 * Column widths that fit in `room`. Each column first gets its longest word (so words are not cut), then the
 * columns that wrap share what is left in proportion to what they lack. When even the words do not fit, the
 * columns share the room equally (long words are cut); undefined when that leaves a column under MIN_COLUMN.
 */
function fitColumns(natural: number[], words: number[], room: number): number[] | undefined {
  const total = (list: number[]) => list.reduce((a, b) => a + b, 0);
  if (total(natural) <= room) return natural;
  if (room < natural.length * MIN_COLUMN) return undefined;
  const least = natural.map((n, i) => Math.min(n, Math.max(MIN_COLUMN, words[i]!)));
  if (total(least) > room) return shareEqually(natural, room);
  const widths = [...least];
  const lacking = natural.map((n, i) => n - least[i]!);
  const left = room - total(least);
  const want = total(lacking);
  for (const [i, lack] of lacking.entries()) widths[i]! += Math.floor((left * lack) / want);
  // Rounding leaves a few columns over: to the columns that still lack the most.
  let spare = room - total(widths);
  for (const i of lacking
    .map((_, i) => i)
    .sort((x, y) => natural[y]! - widths[y]! - (natural[x]! - widths[x]!))) {
    if (spare === 0) break;
    if (widths[i]! < natural[i]!) {
      widths[i]!++;
      spare--;
    }
  }
  return widths;
}

/** Narrow columns keep their width; the wide ones share the rest equally. */
function shareEqually(natural: number[], room: number): number[] {
  const widths = [...natural];
  let open = natural.map((_, i) => i);
  let left = room;
  for (;;) {
    const share = Math.floor(left / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) {
      const extra = left - share * open.length;
      open.forEach((i, k) => {
        widths[i] = share + (k < extra ? 1 : 0);
      });
      return widths;
    }
    for (const i of fits) left -= natural[i]!;
    open = open.filter((i) => natural[i]! > share);
    if (open.length === 0) return widths;
  }
}

/** Columns of the longest word in `text` (what wrapping cannot break without cutting it). */
function longestWord(text: string): number {
  return Math.max(0, ...stripAnsi(text).split(/\s+/).map(visibleWidth));
}

function renderInline(tokens: Token[] | undefined, style: Style): string {
  if (!tokens) return "";
  let out = "";
  for (const token of tokens) {
    switch (token.type) {
      case "text": {
        const t = token as Tokens.Text;
        out += t.tokens ? renderInline(t.tokens, style) : decodeEntities(t.text);
        break;
      }
      case "escape":
        out += (token as Tokens.Escape).text;
        break;
      case "strong":
        out += style.bold(renderInline((token as Tokens.Strong).tokens, style));
        break;
      case "em":
        out += style.italic(renderInline((token as Tokens.Em).tokens, style));
        break;
      case "del":
        out += style.strike(renderInline((token as Tokens.Del).tokens, style));
        break;
      case "codespan": {
        const text = decodeEntities((token as Tokens.Codespan).text);
        out += style.enabled ? style.color("cyan", text) : `\`${text}\``;
        break;
      }
      case "br":
        out += "\n";
        break;
      case "link": {
        const t = token as Tokens.Link;
        const label = renderInline(t.tokens, style);
        const plain = stripAnsi(label);
        out +=
          plain === t.href || `mailto:${plain}` === t.href
            ? style.color("blue", label)
            : `${style.color("blue", label)} (${style.underline(t.href)})`;
        break;
      }
      case "image": {
        const t = token as Tokens.Image;
        out += `[image: ${t.text || t.href}]`;
        break;
      }
      case "html": {
        const raw = token.raw;
        out += /^<br\s*\/?>$/i.test(raw) ? "\n" : raw;
        break;
      }
      default:
        out += "raw" in token && typeof token.raw === "string" ? token.raw : "";
    }
  }
  return out;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X"
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Renders one finished piece of a streamed answer. */
export function renderFinishedBlock(
  block: { text: string; code?: { lang: string; first: boolean; last: boolean } },
  options: RenderOptions,
): string {
  if (!block.code) return renderMarkdown(block.text, options);
  const { lang, first } = block.code;
  const lines: string[] = [];
  if (options.gutter?.trim()) lines.push(options.gutter.trimEnd());
  const label = first ? codeLabel(lang, options.style) : undefined;
  if (label) lines.push(label);
  if (block.text !== "") lines.push(highlightCode(printable(block.text), lang, options.style));
  return lines.join("\n");
}

/** Renders the unfinished tail; a code block that was already cut continues as code without a new fence. */
export function renderLiveTail(
  tail: string,
  openCode: { lang: string; continued: boolean } | undefined,
  options: RenderOptions,
): string {
  if (openCode?.continued)
    return highlightCode(printable(tail).replace(/\n$/, ""), openCode.lang, options.style);
  return renderMarkdown(tail, options);
}
