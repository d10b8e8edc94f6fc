// /context as a picture: a grid of the context window, one cell per 1/200 of it, coloured by what fills it
// (system prompt, tools, MCP tools, memory files, skills, messages, free space), with the numbers beside it.
import { estimateTokens } from "../agent/compaction.js";
import { contextWindow } from "../api/models.js";
import type { ReplRuntime } from "./controller.js";
import { formatTokens } from "./format.js";
import type { Color, Style } from "./style.js";

const COLUMNS = 20;
const ROWS = 10;
const CELLS = COLUMNS * ROWS;

interface Part {
  label: string;
  tokens: number;
  color: Color | undefined;
  /** Without colours each part keeps a letter of its own. */
  plain: string;
}

/** About 4 characters a token: the parts are estimates, the total is measured once a request was made. */
const tokensOf = (chars: number) => Math.round(chars / 4);

function contextParts(rt: ReplRuntime): { parts: Part[]; used: number; window: number; measured: boolean } {
  const agent = rt.agent;
  const window = contextWindow(agent.model);
  const toolChars = (keep: (name: string) => boolean) =>
    agent.toolList
      .filter((t) => keep(t.name))
      .reduce((n, t) => n + t.name.length + t.description.length + JSON.stringify(t.inputSchema).length, 0);
  const mcp = tokensOf(toolChars((name) => name.startsWith("mcp__")));
  const skills = tokensOf(toolChars((name) => name === "Skill"));
  const builtin = tokensOf(toolChars((name) => !name.startsWith("mcp__") && name !== "Skill"));
  const memory = tokensOf((rt.instructions ?? []).reduce((n, f) => n + f.content.length, 0));
  const system = Math.max(0, tokensOf(agent.systemPrompt.join("\n").length) - memory);
  const fixed = system + builtin + mcp + memory + skills;
  const measured = agent.lastInputTokens > 0;
  // Measured: what the fixed parts do not explain is the conversation (never less than its own estimate).
  const messages = Math.max(estimateTokens(agent.messages), measured ? agent.lastInputTokens - fixed : 0);
  const used = fixed + messages;
  const parts: Part[] = [
    { label: "System prompt", tokens: system, color: "gray", plain: "S" },
    { label: "Built-in tools", tokens: builtin, color: "blue", plain: "T" },
    { label: "MCP tools", tokens: mcp, color: "cyan", plain: "M" },
    { label: "Memory files", tokens: memory, color: "yellow", plain: "F" },
    { label: "Skills", tokens: skills, color: "green", plain: "K" },
    { label: "Messages", tokens: messages, color: "magenta", plain: "#" },
    { label: "Free", tokens: Math.max(0, window - used), color: undefined, plain: "." },
  ];
  return { parts, used, window, measured };
}

/** Cells per part: proportional, at least one for any part that is not empty, the rest free. */
function allocate(parts: Part[], window: number): number[] {
  const used = parts
    .slice(0, -1)
    .map((p) => (p.tokens > 0 ? Math.max(1, Math.round((p.tokens / window) * CELLS)) : 0));
  // Never more cells than the grid has: the largest part gives way.
  while (used.reduce((a, b) => a + b, 0) > CELLS) {
    const largest = used.indexOf(Math.max(...used));
    used[largest] = (used[largest] ?? 1) - 1;
  }
  return [...used, CELLS - used.reduce((a, b) => a + b, 0)];
}

export function contextReport(rt: ReplRuntime, st: Style): string {
  const { parts, used, window, measured } = contextParts(rt);
  const counts = allocate(parts, window);
  const cells: string[] = [];
  parts.forEach((part, i) => {
    const glyph = !st.enabled ? part.plain : part.color ? st.color(part.color, "■") : st.dim("□");
    for (let n = 0; n < (counts[i] ?? 0); n++) cells.push(glyph);
  });
  const pct = (n: number) => `${((n / window) * 100).toFixed(1)}%`;
  const legend = [
    `${st.bold(rt.agent.model)} · ${st.bold(formatTokens(used))} of ${formatTokens(window)} tokens (${pct(used)})${measured ? "" : ", estimated"}`,
    "",
    ...parts.map((part) => {
      const key = !st.enabled ? part.plain : part.color ? st.color(part.color, "■") : st.dim("□");
      return `${key} ${part.label.padEnd(15)} ${formatTokens(part.tokens).padStart(6)}  ${st.dim(pct(part.tokens))}`;
    }),
  ];
  const lines: string[] = [];
  for (let row = 0; row < ROWS; row++) {
    const grid = cells.slice(row * COLUMNS, (row + 1) * COLUMNS).join(" ");
    lines.push(`  ${grid}   ${legend[row] ?? ""}`.trimEnd());
  }
  return lines.join("\n");
}
