// A saved session as one self-contained web page: styles inlined, no scripts, no fetches at view time (a
// Content-Security-Policy says so to the browser too). Turns with rendered markdown, tool calls collapsible,
// edits as diffs, a per-turn chart of tokens and cost.
import { formatCost, formatTokens } from "../../util/format-tokens.js";
import { escapeHtml, markdownHtml, toolCallHtml } from "./html-parts.js";
import type { ExportItem, ExportSession, ExportTurn } from "./session-turns.js";
import { usageChartSvg } from "./usage-chart.js";

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--panel:#f6f8fa;--user:#eef4ff;
--add:#e6ffec;--add-fg:#1a7f37;--del:#ffebe9;--del-fg:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22;
--user:#132339;--add:#12261e;--add-fg:#3fb950;--del:#2d1214;--del-fg:#f85149}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:980px;margin:0 auto;padding:24px 20px 64px}header h1{font-size:1.4em;margin:0 0 4px}
.meta{color:var(--muted);font-size:.9em}.meta code{font-size:.95em}
.turn{border-top:1px solid var(--line);padding:18px 0}.turn-head{display:flex;justify-content:space-between;color:var(--muted);font-size:.85em}
.prompt{background:var(--user);border-radius:8px;padding:8px 14px;margin:8px 0;white-space:pre-wrap}
.assistant{padding:2px 0}.note{color:var(--muted);font-style:italic;margin:8px 0}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;position:relative}
pre .lang{position:absolute;right:8px;top:4px;color:var(--muted);font-size:11px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}:not(pre)>code{background:var(--panel);padding:1px 4px;border-radius:4px}
details.tool{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px 10px}
details.thinking{color:var(--muted);margin:8px 0}details.thinking>summary{cursor:pointer;font-style:italic}
details.tool>summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:13px}
details.tool-error>summary .tool-name{color:var(--del-fg)}.tool-display{color:var(--muted)}
.label{color:var(--muted);font-size:12px;margin-top:8px;text-transform:uppercase;letter-spacing:.04em}
pre.result{white-space:pre-wrap;max-height:480px}
pre.diff span{display:block;min-height:1.45em}.d-add{background:var(--add);color:var(--add-fg)}.d-del{background:var(--del);color:var(--del-fg)}
.d-hunk{color:#8250df}.d-file{color:var(--muted);font-weight:bold}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:4px 8px}
.chart{margin:16px 0;overflow-x:auto}.chart text{font-size:11px;fill:var(--muted)}.chart .cost{fill:var(--fg)}
figcaption{color:var(--muted);font-size:.85em}.key{margin-left:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.hljs-keyword,.hljs-selector-tag,.hljs-meta .hljs-keyword{color:#cf222e}.hljs-string,.hljs-regexp,.hljs-addition{color:#0a3069}
.hljs-number,.hljs-literal,.hljs-attr,.hljs-attribute,.hljs-variable{color:#0550ae}.hljs-title,.hljs-section{color:#8250df}
.hljs-comment,.hljs-quote,.hljs-meta{color:#6e7781;font-style:italic}.hljs-built_in,.hljs-type{color:#953800}.hljs-deletion{color:#82071e}
@media (prefers-color-scheme:dark){.hljs-keyword,.hljs-selector-tag{color:#ff7b72}.hljs-string,.hljs-regexp,.hljs-addition{color:#a5d6ff}
.hljs-number,.hljs-literal,.hljs-attr,.hljs-attribute,.hljs-variable{color:#79c0ff}.hljs-title,.hljs-section{color:#d2a8ff}
.hljs-comment,.hljs-quote,.hljs-meta{color:#8b949e}.hljs-built_in,.hljs-type{color:#ffa657}}
`;

function itemHtml(item: ExportItem, cwd: string): string {
  switch (item.kind) {
    case "text":
      return item.role === "assistant"
        ? `<div class="assistant">${markdownHtml(item.text)}</div>`
        : `<div class="prompt user-extra">${escapeHtml(item.text)}</div>`;
    case "tool":
      return toolCallHtml(item.call, cwd);
    case "note":
      return `<p class="note">${escapeHtml(item.text)}</p>`;
    case "thinking":
      return `<details class="thinking"><summary>Thinking</summary>${markdownHtml(item.text)}</details>`;
  }
}

function turnHtml(turn: ExportTurn, cwd: string): string {
  const u = turn.usage;
  const tokens = `${formatTokens(u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens)} in · ${formatTokens(u.output_tokens)} out · ${formatCost(turn.costUsd)}${turn.costEstimated ? " (estimated)" : ""}`;
  return [
    `<section class="turn" id="turn-${turn.index}" data-turn="${turn.index}">`,
    `<div class="turn-head"><span>Turn ${turn.index}${turn.ts ? ` · ${escapeHtml(turn.ts.slice(0, 19).replace("T", " "))}` : ""}</span><span>${tokens}</span></div>`,
    turn.prompt ? `<div class="prompt">${escapeHtml(turn.prompt)}</div>` : "",
    ...turn.items.map((item) => itemHtml(item, cwd)),
    "</section>",
  ].join("\n");
}

export function sessionHtml(session: ExportSession): string {
  const t = session.total;
  const title = `claw session ${session.id}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="meta"><code>${escapeHtml(session.cwd)}</code> · ${escapeHtml(session.model)} · started ${escapeHtml(session.created.slice(0, 19).replace("T", " "))}</div>
<div class="meta">${session.turns.length} turns · ${formatTokens(t.usage.input_tokens + t.usage.cache_read_input_tokens + t.usage.cache_creation_input_tokens)} in · ${formatTokens(t.usage.output_tokens)} out · ${formatCost(t.costUsd)}</div>
</header>
${session.turns.length > 0 ? usageChartSvg(session.turns) : ""}
${session.turns.map((turn) => turnHtml(turn, session.cwd)).join("\n")}
</main>
</body>
</html>
`;
}
