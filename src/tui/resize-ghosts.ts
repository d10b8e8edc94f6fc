// When the window narrows, terminals that reflow (tmux, iTerm2, VTE, kitty, WezTerm, Windows Terminal…) rewrap
// the live region: a full-width line of the old frame becomes two rows or more. Ink then erases as many rows as
// the frame had lines, and the extra rows stay on screen as pieces of the old input box. This erases those extra
// rows first, so Ink's own erase lands exactly on the top of the old frame.
import { currentFrame } from "./ink-internals.js";
import { visibleWidth } from "./markdown/wrap.js";

/** Rows a frame rendered at some width takes once the terminal has rewrapped it to `columns`. */
export function reflowedRows(frame: string, columns: number): number {
  if (columns <= 0) return 0;
  return frame
    .split("\n")
    .reduce((rows, line) => rows + Math.max(1, Math.ceil(visibleWidth(line) / columns)), 0);
}

/** The erase sequence for the rows that rewrapping added below the cursor's row count, or "" when none did. */
export function extraRowsErase(frame: string, columns: number): string {
  const lines = frame.split("\n").length;
  const extra = reflowedRows(frame, columns) - lines;
  if (extra <= 0) return "";
  // Erase the cursor's row and `extra` rows above it, ending `extra` rows up: Ink's erase of `lines + 1` rows
  // from there reaches the old frame's first row and nothing above it.
  return `${"\x1b[2K\x1b[1A".repeat(extra)}\x1b[2K\x1b[G`;
}

/** Terminals known to cut long lines on resize instead of rewrapping them; erasing more there would eat output. */
function terminalReflows(env: NodeJS.ProcessEnv): boolean {
  return env.TERM !== "linux" && !env.XTERM_VERSION;
}

/** Installs the cleanup on `stdout` ahead of Ink's own resize handler; returns the uninstaller. */
export function eraseResizeGhosts(
  stdout: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): () => void {
  if (!terminalReflows(env)) return () => {};
  let columns = stdout.columns || 80;
  const onResize = () => {
    const next = stdout.columns || 80;
    if (next < columns) {
      const frame = currentFrame(stdout);
      const erase = frame ? extraRowsErase(frame, next) : "";
      if (erase) stdout.write(erase);
    }
    columns = next;
  };
  stdout.prependListener("resize", onResize);
  return () => stdout.off("resize", onResize);
}
