// Formats transcript lines (prompt echo, tool calls and results, diffs, notices) as styled text.
import type { ToolResult } from "../tools/types.js";
import { formatDuration } from "../util/format-duration.js";
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

export function formatUserPrompt(text: string, style: Style): string {
  const lines = printable(text).split("\n");
  const shown = lines.slice(0, MAX_PROMPT_LINES).map(clipLine);
  const body = shown.map((line, i) => `${i === 0 ? style.bold(">") : " "} ${line}`).join("\n");
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

function resultText(result: ToolResult): string {
  if (result.display) return result.display;
  if (typeof result.content === "string") return firstLine(result.content, 200);
  const text = result.content.find((b) => b.type === "text");
  return text && text.type === "text" ? firstLine(text.text, 200) : "(image)";
}

export function formatToolEnd(summary: string, result: ToolResult, durationMs: number, style: Style): string {
  const lines = [formatToolStart(summary, style)];
  const text = terminalSafe(resultText(result)).split("\n");
  const shown = text.slice(0, 6);
  const body = shown.map((line, i) => `${i === 0 ? "  ⎿ " : "    "}${line}`).join("\n");
  const timing = durationMs >= 1000 ? style.dim(` (${formatDuration(durationMs)})`) : "";
  lines.push((result.isError ? style.color("red", body) : style.dim(body)) + timing);
  if (text.length > shown.length) lines.push(style.dim(`    … ${text.length - shown.length} more lines`));
  const output = outputPreview(result);
  if (output) lines.push(style.dim(indent(output, "    ")));
  if (result.diff) lines.push(indent(formatDiff(result.diff, style), "    "));
  return lines.join("\n");
}

const PREVIEW_LINES = 4;

/** The first lines of a command's output (details.stdout / stderr), when the result line only summarises it. */
function outputPreview(result: ToolResult): string | undefined {
  const details = result.details;
  if (!result.display || !details) return undefined;
  const parts = [details.stdout, details.stderr].filter(
    (p): p is string => typeof p === "string" && p !== "",
  );
  if (parts.length === 0) return undefined;
  const lines = terminalSafe(parts.join("\n")).replace(/\n+$/, "").split("\n");
  const shown = lines
    .slice(0, PREVIEW_LINES)
    .map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  if (lines.length > shown.length) shown.push(`… +${lines.length - shown.length} lines`);
  return shown.join("\n");
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

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
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

export function formatNotice(level: "info" | "warning" | "error", message: string, style: Style): string {
  if (level === "error") return style.color("red", `✗ ${message}`);
  if (level === "warning") return style.color("yellow", `⚠ ${message}`);
  return style.dim(`ℹ ${message}`);
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
