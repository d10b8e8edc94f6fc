// Formats transcript lines (prompt echo, tool calls and results, diffs, notices) as styled text.
import type { ToolResult } from "../tools/types.js";
import { formatDuration } from "../util/format-duration.js";
import { visibleWidth, wrapText } from "./markdown/wrap.js";
import type { RetryStatus } from "./repl-state.js";
import { printable, type Style } from "./style.js";

/** Shown lines of a long diff or output before "… N more lines". */
const MAX_DIFF_LINES = 60;
const MAX_PROMPT_LINES = 12;
/** Characters of one prompt line echoed: the terminal renderer's wrapping is quadratic in a line's length,
 * so a pasted 1 MB line (minified JSON, base64) would freeze the REPL. The model still gets all of it. */
const MAX_PROMPT_LINE_CHARS = 2000;

function clipLine(line: string): string {
  return line.length > MAX_PROMPT_LINE_CHARS
    ? `${line.slice(0, MAX_PROMPT_LINE_CHARS)}… (+${line.length - MAX_PROMPT_LINE_CHARS} characters)`
    : line;
}

/** The prompt as echoed in the scrollback; with `width`, a long line wraps under the text, not under the ">". */
export function formatUserPrompt(text: string, style: Style, width?: number): string {
  const lines = printable(text).split("\n");
  const shown = lines.slice(0, MAX_PROMPT_LINES).map(clipLine);
  const body = shown
    .map((line, i) => wrapIndented(line, width, `${i === 0 ? style.bold(">") : " "} `, "  "))
    .join("\n");
  const more = lines.length - shown.length;
  return style.dim(more > 0 ? `${body}\n  … ${more} more lines` : body);
}

/** A tool line's paths relative to the workspace: `Read(/home/me/proj/src/a.ts)` → `Read(src/a.ts)`. */
export function workspaceRelative(summary: string, cwd: string): string {
  const root = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return summary.split(root).join("").replace(`(${cwd})`, "(.)");
}

export function formatToolStart(summary: string, style: Style): string {
  const open = summary.indexOf("(");
  if (open > 0 && summary.endsWith(")")) {
    return `${style.color("cyan", "●")} ${style.bold(summary.slice(0, open))}${summary.slice(open)}`;
  }
  return `${style.color("cyan", "●")} ${style.bold(summary)}`;
}

function firstLine(text: string, max: number): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function contentText(content: ToolResult["content"]): string {
  if (typeof content === "string") return content;
  return content.map((b) => (b.type === "text" ? b.text : "(image)")).join("\n");
}

export interface ToolEndOptions {
  /** Terminal columns: long lines wrap under their own indent instead of at column 0. */
  width?: number;
  /** Every line of the result, its output and its diff, with nothing cut (Ctrl+O). */
  full?: boolean;
}

/** A finished tool call as shown in the scrollback, and whether it hides lines Ctrl+O would show. */
export function renderToolEnd(
  summary: string,
  result: ToolResult,
  durationMs: number,
  style: Style,
  options: ToolEndOptions = {},
): { text: string; collapsed: boolean } {
  const { width, full = false } = options;
  const lines = [wrapIndented(formatToolStart(summary, style), width, "", "  ")];
  const headline =
    result.display ?? (full ? contentText(result.content) : firstLine(contentText(result.content), 200));
  const text = terminalSafe(headline).replace(/\n+$/, "").split("\n");
  const shown = full ? text : text.slice(0, 6);
  const body = wrapIndented(shown.join("\n"), width, "  ⎿ ", "    ");
  const timing = durationMs >= 1000 ? style.dim(` (${formatDuration(durationMs)})`) : "";
  lines.push((result.isError ? style.color("red", body) : style.dim(body)) + timing);
  let collapsed =
    !full && (text.length > shown.length || (!result.display && contentText(result.content) !== headline));
  if (text.length > shown.length) lines.push(style.dim(`    … ${text.length - shown.length} more lines`));
  const output = result.display ? hiddenOutput(result) : undefined;
  if (output !== undefined) {
    const all = terminalSafe(output).replace(/\n+$/, "").split("\n");
    const preview = full
      ? all
      : all.slice(0, PREVIEW_LINES).map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
    // A summary with output hidden behind it (Read, Grep) shows none of it until expanded.
    const showsOutput = full || isCommandOutput(result);
    if (!full && (!showsOutput || all.length > preview.length || preview.some((line, i) => line !== all[i])))
      collapsed = true;
    if (showsOutput) lines.push(style.dim(wrapIndented(preview.join("\n"), width, "    ", "    ")));
    if (showsOutput && all.length > preview.length)
      lines.push(style.dim(`    … +${all.length - preview.length} lines`));
  }
  if (result.diff) {
    const diff = formatDiff(result.diff, style, full ? Number.POSITIVE_INFINITY : MAX_DIFF_LINES);
    if (!full && diff.includes(" more diff lines")) collapsed = true;
    lines.push(wrapIndented(diff, width, "    ", "    "));
  }
  if (collapsed) {
    // After the last line when it fits there, else on a line of its own (never wrapped at column 0).
    const last = lines.length - 1;
    const hint = "(ctrl+o to expand)";
    const tail = lines[last]!.split("\n").at(-1) ?? "";
    if (width === undefined || visibleWidth(tail) + hint.length + 1 <= width)
      lines[last] = `${lines[last]} ${style.dim(hint)}`;
    else lines.push(style.dim(`    ${hint}`));
  }
  return { text: lines.join("\n"), collapsed };
}

export function formatToolEnd(
  summary: string,
  result: ToolResult,
  durationMs: number,
  style: Style,
  options: ToolEndOptions = {},
): string {
  return renderToolEnd(summary, result, durationMs, style, options).text;
}

const PREVIEW_LINES = 4;

/** A command's output (details.stdout / stderr): its first lines are shown under the summary line. */
function isCommandOutput(result: ToolResult): boolean {
  const details = result.details;
  return Boolean(details && [details.stdout, details.stderr].some((p) => typeof p === "string" && p !== ""));
}

/** What a summary line ("exit 0, 30 lines", "Read 120 lines") stands for: the command's output, else what the
 * model was given; undefined when there is nothing more. */
function hiddenOutput(result: ToolResult): string | undefined {
  if (isCommandOutput(result)) {
    const details = result.details!;
    return [details.stdout, details.stderr]
      .filter((p): p is string => typeof p === "string" && p !== "")
      .map((p) => p.replace(/\n$/, ""))
      .join("\n");
  }
  // An edit's diff is what there is to see; its content is only the model's confirmation.
  const content = contentText(result.content);
  return result.diff || content.trim() === "" || content === result.display ? undefined : content;
}

/** Each line wrapped to the room its prefix leaves; wrapped rows continue under the text, not at column 0. */
export function wrapIndented(text: string, width: number | undefined, first: string, rest: string): string {
  const room = width === undefined ? Number.POSITIVE_INFINITY : width - visibleWidth(rest);
  return text
    .split("\n")
    .map((line, i) => {
      const rows = room >= 10 && visibleWidth(line) > room ? wrapText(line, room).split("\n") : [line];
      return rows.map((row, j) => (i === 0 && j === 0 ? first : rest) + row).join("\n");
    })
    .join("\n");
}

/**
 * Text from outside (command output, tool results) as plain printable lines: a carriage return keeps what
 * a terminal would show last, and escape sequences and control characters are dropped, so nothing can move
 * the cursor, recolour or retitle the terminal in the middle of the REPL's frame.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, "")
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\x1b[@-_]?/g, "")
    .split("\n")
    .map((line) => {
      const parts = line.replace(/\r+$/, "").split("\r");
      return (parts[parts.length - 1] ?? "").replace(/\t/g, "    ").replace(/[\x00-\x1f\x7f]/g, "");
    })
    .join("\n");
}

/** Colours a unified diff: additions green, removals red, hunk headers cyan; file headers dropped. */
export function formatDiff(diff: string, style: Style, maxLines = MAX_DIFF_LINES): string {
  // File headers and "no newline" markers are not shown, so they are not counted either.
  const lines = diff
    .replace(/\n$/, "")
    .split("\n")
    .filter(
      (line) =>
        !(
          line.startsWith("Index:") ||
          line.startsWith("====") ||
          line.startsWith("---") ||
          line.startsWith("+++") ||
          line.startsWith("\\ No newline")
        ),
    );
  const out: string[] = [];
  let shown = 0;
  for (const line of lines) {
    if (shown === maxLines) {
      out.push(style.dim(`… ${lines.length - shown} more diff lines`));
      break;
    }
    shown++;
    if (line.startsWith("+")) out.push(style.color("green", line));
    else if (line.startsWith("-")) out.push(style.color("red", line));
    else if (line.startsWith("@@")) out.push(style.color("cyan", line));
    else out.push(style.dim(line));
  }
  return out.join("\n");
}

/** A notice line; with `width`, a long message wraps under its text rather than under the icon. */
export function formatNotice(
  level: "info" | "warning" | "error",
  message: string,
  style: Style,
  width?: number,
): string {
  const icon = level === "error" ? "✗" : level === "warning" ? "⚠" : "ℹ";
  const text = wrapIndented(message, width, `${icon} `, "  ");
  if (level === "error") return style.color("red", text);
  if (level === "warning") return style.color("yellow", text);
  return style.dim(text);
}

export { formatCost, formatTokens } from "../util/format-tokens.js";

/** "API answered 500 api_error" — the reason, starting with a capital. */
export function retryHeadline(retry: RetryStatus): string {
  return retry.reason.charAt(0).toUpperCase() + retry.reason.slice(1);
}

/** "3/8", or "3" when the limit is unknown. */
export function attemptOf(retry: RetryStatus): string {
  return retry.maxAttempts ? `${retry.attempt}/${retry.maxAttempts}` : String(retry.attempt);
}
