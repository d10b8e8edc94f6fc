// The export's per-turn chart: an inline SVG of stacked bars (input, cache read, cache write, output tokens)
// with each turn's cost above its bar. Drawn here, no charting library, nothing fetched.
import { formatCost, formatTokens } from "../../util/format-tokens.js";
import { escapeHtml } from "./html-parts.js";
import type { ExportTurn } from "./session-turns.js";

const SERIES = [
  { key: "input_tokens", label: "Input", color: "#4e79a7" },
  { key: "cache_read_input_tokens", label: "Cache read", color: "#76b7b2" },
  { key: "cache_creation_input_tokens", label: "Cache write", color: "#f28e2b" },
  { key: "output_tokens", label: "Output", color: "#e15759" },
] as const;

const HEIGHT = 220;
const TOP = 28;
const BOTTOM = 24;
const LEFT = 56;

export function usageChartSvg(turns: readonly ExportTurn[]): string {
  const barWidth = Math.max(8, Math.min(48, Math.floor(720 / Math.max(1, turns.length)) - 8));
  const step = barWidth + 8;
  const width = LEFT + Math.max(1, turns.length) * step + 16;
  const totals = turns.map((t) => SERIES.reduce((n, s) => n + t.usage[s.key], 0));
  const max = Math.max(1, ...totals);
  const plot = HEIGHT - TOP - BOTTOM;
  const scale = (n: number) => (n / max) * plot;
  const out: string[] = [];
  // Axis: zero and the largest turn.
  out.push(
    `<line x1="${LEFT - 4}" y1="${TOP + plot}" x2="${width - 8}" y2="${TOP + plot}" stroke="#999"/>`,
    `<text x="${LEFT - 8}" y="${TOP + 4}" text-anchor="end" class="axis">${formatTokens(max)}</text>`,
    `<text x="${LEFT - 8}" y="${TOP + plot}" text-anchor="end" class="axis">0</text>`,
  );
  turns.forEach((turn, i) => {
    const x = LEFT + i * step;
    let y = TOP + plot;
    const parts = SERIES.map((s) => `${s.label} ${formatTokens(turn.usage[s.key])}`).join(", ");
    out.push(
      `<g class="bar" data-turn="${turn.index}"><title>Turn ${turn.index}: ${escapeHtml(parts)}, ${formatCost(turn.costUsd)}</title>`,
    );
    for (const s of SERIES) {
      const h = scale(turn.usage[s.key]);
      if (h <= 0) continue;
      y -= h;
      out.push(
        `<rect class="seg seg-${s.key}" x="${x}" y="${y.toFixed(1)}" width="${barWidth}" height="${h.toFixed(1)}" fill="${s.color}"/>`,
      );
    }
    out.push(
      `<text class="cost" x="${x + barWidth / 2}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${formatCost(turn.costUsd)}</text>`,
      `<text class="axis" x="${x + barWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">${turn.index}</text>`,
      "</g>",
    );
  });
  const legend = SERIES.map(
    (s) => `<span class="key"><i style="background:${s.color}"></i>${s.label}</span>`,
  ).join("");
  return `<figure class="chart"><svg id="usage-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Tokens and cost per turn" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}">${out.join("")}</svg><figcaption>Tokens per turn (bars) and cost per turn (above each bar). ${legend}</figcaption></figure>`;
}
