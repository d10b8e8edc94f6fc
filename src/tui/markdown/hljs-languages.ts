// Syntax colours for fenced code in the terminal: highlight.js (util/hljs-registry) with its HTML output
// converted to ANSI colours. Loaded lazily (see highlight.ts) to keep it off the startup path.
import { hljs } from "../../util/hljs-registry.js";
import type { Color, Style } from "../style.js";

/** hljs scope (first class word) → colour. Scopes not listed keep the default colour. */
const SCOPE_COLORS: Record<string, Color> = {
  keyword: "magenta",
  built_in: "cyan",
  type: "cyan",
  literal: "blue",
  number: "blue",
  string: "green",
  regexp: "red",
  symbol: "yellow",
  title: "yellow",
  function: "yellow",
  params: "white",
  comment: "gray",
  meta: "gray",
  attr: "cyan",
  attribute: "cyan",
  variable: "red",
  tag: "blue",
  name: "blue",
  addition: "green",
  deletion: "red",
  section: "yellow",
  selector: "yellow",
  property: "cyan",
};

/** Past this size a block is shown plain: highlighting is not worth the CPU on huge dumps. */
const MAX_HIGHLIGHT_CHARS = 20_000;

export function highlightLoaded(code: string, lang: string | undefined, style: Style): string {
  if (!style.enabled || code.length > MAX_HIGHLIGHT_CHARS) return code;
  const name = lang?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!name || !hljs.getLanguage(name)) return code;
  try {
    const html = hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    return htmlToAnsi(html, style);
  } catch {
    return code;
  }
}

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&#x27;": "'",
};

function decode(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#x27);/g, (e) => ENTITIES[e] ?? e);
}

/** Converts hljs's span markup to colours, re-opening the outer colour when an inner span closes. */
function htmlToAnsi(html: string, style: Style): string {
  const stack: Array<Color | undefined> = [];
  let out = "";
  const paint = (text: string) => {
    const color = [...stack].reverse().find((c) => c !== undefined);
    // Colour line by line so a multi-line comment stays coloured after Ink wraps or splits lines.
    out += color
      ? text
          .split("\n")
          .map((line) => style.color(color, line))
          .join("\n")
      : text;
  };
  const tag = /<span class="([^"]*)">|<\/span>/g;
  let last = 0;
  for (const match of html.matchAll(tag)) {
    paint(decode(html.slice(last, match.index)));
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      const scope =
        match[1]
          .split(/\s+/)[0]
          ?.replace(/^hljs-/, "")
          .split(".")[0] ?? "";
      stack.push(SCOPE_COLORS[scope]);
    } else {
      stack.pop();
    }
  }
  paint(decode(html.slice(last)));
  return out;
}
