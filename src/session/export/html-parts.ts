// Pieces of the HTML export: markdown to safe HTML with highlighted code, tool calls as <details> with their
// input and result, edits as coloured diffs. Nothing here refers to anything outside the page.
import { createTwoFilesPatch } from "diff";
import { Marked, type Tokens } from "marked";
import { hljs } from "../../util/hljs-registry.js";
import type { ExportToolCall } from "./session-turns.js";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Past this size a block is shown plain: highlighting a huge dump is not worth it. */
const MAX_HIGHLIGHT_CHARS = 50_000;

export function highlightHtml(code: string, lang: string | undefined): string {
  const name = lang?.trim().split(/\s+/)[0]?.toLowerCase();
  if (name && code.length <= MAX_HIGHLIGHT_CHARS && hljs.getLanguage(name)) {
    try {
      return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    } catch {
      // fall through to plain text
    }
  }
  return escapeHtml(code);
}

/** Only links that cannot run script; the page itself never fetches them. */
function safeHref(href: string): string | undefined {
  return /^(https?:|mailto:|#)/i.test(href.trim()) ? href.trim() : undefined;
}

const markdown = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      const label = lang ? `<span class="lang">${escapeHtml(lang)}</span>` : "";
      return `<pre class="code">${label}<code class="hljs">${highlightHtml(text, lang)}</code></pre>\n`;
    },
    // Raw HTML in a model's answer is shown as text, never interpreted.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, text }: Tokens.Link) {
      const url = safeHref(href);
      return url
        ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(text)}</a>`
        : escapeHtml(text);
    },
    // An image would be a request at view time: the page names it instead.
    image({ href, text }: Tokens.Image) {
      return `<span class="image">[image: ${escapeHtml(text || href)}]</span>`;
    },
  },
});

export function markdownHtml(text: string): string {
  return markdown.parse(text, { async: false }) as string;
}

function field(input: unknown, name: string): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** A unified diff as lines coloured by kind. */
export function diffHtml(patch: string): string {
  const lines = patch
    .replace(/\n$/, "")
    .split("\n")
    .filter((line) => !/^(=+|Index: .*|\\ No newline.*)$/.test(line))
    .map((line) => {
      const kind =
        line.startsWith("+++") || line.startsWith("---")
          ? "file"
          : line.startsWith("@@")
            ? "hunk"
            : line.startsWith("+")
              ? "add"
              : line.startsWith("-")
                ? "del"
                : "ctx";
      return `<span class="d-${kind}">${escapeHtml(line)}</span>`;
    });
  // Each line is a block of its own (its background spans the width): no newlines between them.
  return `<pre class="diff">${lines.join("")}</pre>`;
}

/** The change an Edit, MultiEdit or Write call asked for, as a diff; undefined for other tools. */
export function callDiff(call: ExportToolCall, cwd?: string): string | undefined {
  const full = field(call.input, "file_path");
  const path = full && cwd && full.startsWith(`${cwd}/`) ? full.slice(cwd.length + 1) : full;
  if (!path) return undefined;
  const patch = (before: string, after: string) =>
    createTwoFilesPatch(path, path, before, after, "", "", { context: 3 });
  if (call.name === "Edit") {
    const oldString = field(call.input, "old_string") ?? "";
    const newString = field(call.input, "new_string") ?? "";
    return diffHtml(patch(`${oldString}\n`, `${newString}\n`));
  }
  if (call.name === "Write") {
    const content = field(call.input, "content") ?? "";
    return diffHtml(patch("", content.endsWith("\n") ? content : `${content}\n`));
  }
  const edits = (call.input as { edits?: unknown }).edits;
  if (call.name === "MultiEdit" && Array.isArray(edits)) {
    return edits
      .map((edit) =>
        diffHtml(patch(`${field(edit, "old_string") ?? ""}\n`, `${field(edit, "new_string") ?? ""}\n`)),
      )
      .join("\n");
  }
  return undefined;
}

/** "Bash(npm test)", "Read(src/a.ts)": the call's most telling string argument. */
export function callTitle(call: ExportToolCall, cwd?: string): string {
  const preferred = ["command", "file_path", "path", "pattern", "url", "query", "description", "prompt"];
  const input = typeof call.input === "object" && call.input !== null ? call.input : {};
  const key = preferred.find((k) => typeof (input as Record<string, unknown>)[k] === "string");
  const value = key ? String((input as Record<string, unknown>)[key]) : "";
  let first = value.split("\n")[0] ?? "";
  // Paths inside the session's folder read relative to it, as in the terminal.
  if (cwd && first.startsWith(`${cwd}/`)) first = first.slice(cwd.length + 1);
  return `${call.name}(${first.length > 100 ? `${first.slice(0, 99)}…` : first})`;
}

const MAX_RESULT_CHARS = 20_000;

function clipped(text: string): string {
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}\n… (${text.length - MAX_RESULT_CHARS} more characters)`
    : text;
}

export function toolCallHtml(call: ExportToolCall, cwd?: string): string {
  const status = !call.result ? "pending" : call.result.isError ? "error" : "ok";
  const summary = `<summary><span class="tool-name">${escapeHtml(callTitle(call, cwd))}</span>${
    call.display ? ` <span class="tool-display">${escapeHtml(call.display)}</span>` : ""
  }</summary>`;
  const diff = callDiff(call, cwd);
  let input: string;
  try {
    input = JSON.stringify(call.input, null, 2) ?? "";
  } catch {
    input = String(call.input);
  }
  const parts = [
    diff ? `<div class="label">Change</div>${diff}` : "",
    `<div class="label">Input</div><pre class="code"><code class="hljs">${highlightHtml(clipped(input), "json")}</code></pre>`,
    call.result
      ? `<div class="label">Result${call.result.isError ? " (error)" : ""}</div><pre class="result">${escapeHtml(clipped(call.result.text))}</pre>`
      : `<div class="label">No result (interrupted)</div>`,
  ];
  // A change is what a reader looks for: its diff starts unfolded.
  return `<details class="tool tool-${status}"${diff ? " open" : ""} data-tool="${escapeHtml(call.name)}">${summary}${parts.join("")}</details>`;
}
