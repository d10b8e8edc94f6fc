// Front door to syntax highlighting. highlight.js loads in the background after the first frame; until it
// is there, code shows uncoloured (no frame ever waits for it).
import type { Style } from "../style.js";

type Highlighter = (code: string, lang: string | undefined, style: Style) => string;

let highlighter: Highlighter | undefined;
let loading: Promise<void> | undefined;

export function loadHighlighter(): Promise<void> {
  loading ??= import("./hljs-languages.js").then((m) => {
    highlighter = m.highlightLoaded;
  });
  return loading;
}

export function highlightCode(code: string, lang: string | undefined, style: Style): string {
  if (!style.enabled) return code;
  if (!highlighter) {
    void loadHighlighter();
    return code;
  }
  return highlighter(code, lang, style);
}
