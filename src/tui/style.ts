// Terminal styling for the REPL: ANSI SGR codes, switched off entirely when NO_COLOR is set or output is not a TTY.
// Ink renders these strings as-is; we avoid Ink's colour props so one switch controls every colour.

export type Color = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "gray" | "white";

const FG: Record<Color, number> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
};

export interface Style {
  readonly enabled: boolean;
  color(color: Color, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  underline(text: string): string;
  strike(text: string): string;
  inverse(text: string): string;
}

function wrap(enabled: boolean, open: number, close: number): (text: string) => string {
  if (!enabled) return (text) => text;
  return (text) => (text === "" ? "" : `\x1b[${open}m${text}\x1b[${close}m`);
}

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    color: (color, text) => (enabled && text !== "" ? `\x1b[${FG[color]}m${text}\x1b[39m` : text),
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    italic: wrap(enabled, 3, 23),
    underline: wrap(enabled, 4, 24),
    strike: wrap(enabled, 9, 29),
    // The cursor stays visible without colours: inverse video is not a colour.
    inverse: (text) => `\x1b[7m${text}\x1b[27m`,
  };
}

/** NO_COLOR (any non-empty value) wins; FORCE_COLOR turns colours on for pipes (tmux tests, benchmarks). */
export function colorsWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return isTTY && env.TERM !== "dumb";
}

const ANSI_PATTERN = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}

/**
 * Text from the model or a paste as printable characters: escape sequences (colours, clear screen, terminal
 * title) and other control characters must not reach the terminal; CR and CRLF are line ends (CommonMark).
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, "")
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}
