// Turns the raw input events Ink's parser emits (plain text runs or single escape sequences) into key
// events. We parse ourselves so Ctrl+J, Shift+Enter, Alt+B/F and bracketed paste are all distinguishable.

export type KeyName =
  | "enter"
  | "newline"
  | "backspace"
  | "delete"
  | "tab"
  | "shift-tab"
  | "escape"
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "page-up"
  | "page-down"
  | "word-left"
  | "word-right"
  | "kill-word-back"
  | "kill-word-forward";

export type KeyEvent =
  | { type: "text"; text: string }
  | { type: "key"; name: KeyName }
  /** Ctrl+letter (a–z), not otherwise mapped. */
  | { type: "ctrl"; letter: string }
  | { type: "paste-start" }
  | { type: "paste-end" };

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const SEQUENCES: Record<string, KeyName> = {
  "\x1b[A": "up",
  "\x1b[B": "down",
  "\x1b[C": "right",
  "\x1b[D": "left",
  "\x1bOA": "up",
  "\x1bOB": "down",
  "\x1bOC": "right",
  "\x1bOD": "left",
  "\x1b[H": "home",
  "\x1b[F": "end",
  "\x1bOH": "home",
  "\x1bOF": "end",
  "\x1b[1~": "home",
  "\x1b[4~": "end",
  "\x1b[7~": "home",
  "\x1b[8~": "end",
  "\x1b[3~": "delete",
  "\x1b[5~": "page-up",
  "\x1b[6~": "page-down",
  "\x1b[Z": "shift-tab",
  "\x1b[1;5C": "word-right",
  "\x1b[1;5D": "word-left",
  "\x1b[1;3C": "word-right",
  "\x1b[1;3D": "word-left",
  "\x1b[5C": "word-right",
  "\x1b[5D": "word-left",
  "\x1bb": "word-left",
  "\x1bf": "word-right",
  "\x1bB": "word-left",
  "\x1bF": "word-right",
  "\x1b\x7f": "kill-word-back",
  "\x1b\b": "kill-word-back",
  "\x1bd": "kill-word-forward",
  "\x1b[3;5~": "kill-word-forward",
  // Shift+Enter as reported by kitty/CSI-u, xterm modifyOtherKeys, and Alt+Enter (what many terminals send).
  "\x1b[13;2u": "newline",
  "\x1b[27;2;13~": "newline",
  "\x1b\r": "newline",
  "\x1b\n": "newline",
  "\x1b": "escape",
};

/** Parses one raw input event. A text run may contain control characters (typed fast or sent by tmux). */
export function parseInput(raw: string): KeyEvent[] {
  if (raw === PASTE_START) return [{ type: "paste-start" }];
  if (raw === PASTE_END) return [{ type: "paste-end" }];
  // Esc pressed twice quickly can arrive as one read: two presses (Esc Esc opens /rewind).
  if (raw === "\x1b\x1b")
    return [
      { type: "key", name: "escape" },
      { type: "key", name: "escape" },
    ];
  if (raw.startsWith("\x1b")) {
    const name = SEQUENCES[raw];
    if (name) return [{ type: "key", name }];
    // Alt+letter we do not bind, or an unknown sequence: ignore rather than insert escape garbage.
    return [];
  }
  const events: KeyEvent[] = [];
  let run = "";
  const flush = () => {
    if (run) events.push({ type: "text", text: run });
    run = "";
  };
  for (const char of raw) {
    const code = char.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) {
      run += char;
      continue;
    }
    flush();
    if (char === "\r") events.push({ type: "key", name: "enter" });
    else if (char === "\n") events.push({ type: "key", name: "newline" });
    else if (char === "\t") events.push({ type: "key", name: "tab" });
    else if (char === "\x7f" || char === "\b") events.push({ type: "key", name: "backspace" });
    else if (code >= 1 && code <= 26) events.push({ type: "ctrl", letter: String.fromCharCode(code + 96) });
  }
  flush();
  return events;
}

export const BRACKETED_PASTE_ON = "\x1b[?2004h";
export const BRACKETED_PASTE_OFF = "\x1b[?2004l";
