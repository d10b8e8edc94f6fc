// The prompt editor's state and its pure edit operations (readline-style keys, multi-line text).
// The cursor is a UTF-16 index that never sits inside a surrogate pair.

export interface EditorState {
  text: string;
  cursor: number;
}

export const EMPTY_EDITOR: EditorState = { text: "", cursor: 0 };

export function fromText(text: string): EditorState {
  return { text, cursor: text.length };
}

export function insert(state: EditorState, text: string): EditorState {
  const clean = text.replace(/\r\n?/g, "\n");
  return {
    text: state.text.slice(0, state.cursor) + clean + state.text.slice(state.cursor),
    cursor: state.cursor + clean.length,
  };
}

function prevIndex(text: string, index: number): number {
  if (index <= 0) return 0;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return index - 2;
  }
  return index - 1;
}

function nextIndex(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const high = text.charCodeAt(index);
  if (high >= 0xd800 && high <= 0xdbff && index + 1 < text.length) return index + 2;
  return index + 1;
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const from = prevIndex(state.text, state.cursor);
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const to = nextIndex(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

export function left(state: EditorState): EditorState {
  return { ...state, cursor: prevIndex(state.text, state.cursor) };
}

export function right(state: EditorState): EditorState {
  return { ...state, cursor: nextIndex(state.text, state.cursor) };
}

function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf("\n", cursor - 1) + 1;
}

function lineEnd(text: string, cursor: number): number {
  const end = text.indexOf("\n", cursor);
  return end === -1 ? text.length : end;
}

export function home(state: EditorState): EditorState {
  return { ...state, cursor: lineStart(state.text, state.cursor) };
}

export function end(state: EditorState): EditorState {
  return { ...state, cursor: lineEnd(state.text, state.cursor) };
}

const WORD = /[\p{L}\p{N}_]/u;

export function wordLeft(state: EditorState): EditorState {
  let i = state.cursor;
  while (i > 0 && !WORD.test(state.text[i - 1]!)) i--;
  while (i > 0 && WORD.test(state.text[i - 1]!)) i--;
  return { ...state, cursor: i };
}

export function wordRight(state: EditorState): EditorState {
  let i = state.cursor;
  const n = state.text.length;
  while (i < n && !WORD.test(state.text[i]!)) i++;
  while (i < n && WORD.test(state.text[i]!)) i++;
  return { ...state, cursor: i };
}

/** Ctrl+K: delete to the end of the line (or the newline itself when already there). */
export function killToEnd(state: EditorState): EditorState {
  const stop = lineEnd(state.text, state.cursor);
  const to = stop === state.cursor && stop < state.text.length ? stop + 1 : stop;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

/** Ctrl+U: delete to the start of the line. */
export function killToStart(state: EditorState): EditorState {
  const start = lineStart(state.text, state.cursor);
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

/** Ctrl+W / Alt+Backspace: delete the word before the cursor (whitespace-delimited, like readline). */
export function killWordBack(state: EditorState): EditorState {
  let i = state.cursor;
  while (i > 0 && /\s/.test(state.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(state.text[i - 1]!)) i--;
  return { text: state.text.slice(0, i) + state.text.slice(state.cursor), cursor: i };
}

export function killWordForward(state: EditorState): EditorState {
  const to = wordRight(state).cursor;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

/** Moves up one line keeping the column; undefined when already on the first line (history takes over). */
export function up(state: EditorState): EditorState | undefined {
  const start = lineStart(state.text, state.cursor);
  if (start === 0) return undefined;
  const column = state.cursor - start;
  const prevStart = lineStart(state.text, start - 1);
  return { ...state, cursor: Math.min(prevStart + column, start - 1) };
}

export function down(state: EditorState): EditorState | undefined {
  const stop = lineEnd(state.text, state.cursor);
  if (stop >= state.text.length) return undefined;
  const column = state.cursor - lineStart(state.text, state.cursor);
  const nextStop = lineEnd(state.text, stop + 1);
  return { ...state, cursor: Math.min(stop + 1 + column, nextStop) };
}

/** The word being typed at the cursor (for @path and /command completion). */
export function tokenAtCursor(state: EditorState): { start: number; text: string } {
  let start = state.cursor;
  while (start > 0 && !/\s/.test(state.text[start - 1]!)) start--;
  return { start, text: state.text.slice(start, state.cursor) };
}

export function replaceRange(state: EditorState, start: number, stop: number, text: string): EditorState {
  return { text: state.text.slice(0, start) + text + state.text.slice(stop), cursor: start + text.length };
}
