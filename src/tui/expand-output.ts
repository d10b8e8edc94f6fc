// Ctrl+O on a collapsed tool output: when it and everything printed after it are still on the screen, that part
// of the scrollback is rewritten with the output in full. Otherwise the caller shows the transcript instead.
import type { ExpandableOutput } from "./controller.js";
import { currentFrame, eraseFrame } from "./ink-internals.js";
import { visibleWidth } from "./markdown/wrap.js";
import type { ReplStore } from "./repl-state.js";

/** Expands `target` where it stands; false when it cannot be reached on screen (scrolled away, resized). */
export function expandInPlace(
  stdout: NodeJS.WriteStream,
  store: ReplStore,
  target: ExpandableOutput,
): boolean {
  const columns = stdout.columns || 80;
  const rows = stdout.rows || 24;
  if (target.width !== columns) return false;
  const printed = store.getSnapshot().staticItems.slice(0, store.printedCount);
  const index = printed.findIndex((item) => item.id === target.id);
  if (index === -1) return false;
  const after = printed.slice(index);
  // Rows from the output's first line to the end of the scrollback; only lines that fit count exactly.
  let height = 0;
  for (const [n, item] of after.entries()) {
    const lines = item.text.split("\n");
    if (lines.some((line) => visibleWidth(line) > columns)) return false;
    height += lines.length + (n > 0 && !item.continues ? 1 : 0);
  }
  const frame = currentFrame(stdout);
  if (frame === "" || height + frame.split("\n").length + 1 > rows) return false;
  const full = target.full();
  if (!eraseFrame(stdout)) return false;
  const rest = after
    .slice(1)
    .map((item) => `${item.continues ? "\n" : "\n\n"}${item.text}`)
    .join("");
  // Up to the output's first row, clear below, and print it in full with what followed it; Ink's next frame
  // is drawn under that.
  stdout.write(`\x1b[${height}A\r\x1b[J${full}${rest}\n`);
  store.replaceText(target.id, full);
  return true;
}
