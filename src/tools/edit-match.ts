// Finding old_string in a file for Edit: exact matching (with CRLF files matched from LF strings), and
// when nothing matches, hints that let the model fix its call (whitespace-only differences, closest lines).
import { dominantLineEnding, toCrlf } from "./text-encoding.js";

export type MatchResult =
  | { ok: true; text: string; count: number; firstIndex: number; newString: string }
  | { ok: false; reason: "not_found" | "ambiguous"; message: string };

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Replaces old_string by new_string in `text`. Replacement is literal (no `$&` patterns). In a CRLF file
 * an LF old_string matches its CRLF form, and new text follows the file's line ending.
 */
export function applyEdit(
  text: string,
  oldString: string,
  newString: string,
  replaceAll: boolean,
): MatchResult {
  let needle = oldString;
  let replacement = newString;
  let found = occurrences(text, needle);
  const crlfFile = dominantLineEnding(text) === "\r\n";
  if (found.length === 0 && text.includes("\r\n") && /(^|[^\r])\n/.test(oldString)) {
    const crlfNeedle = toCrlf(oldString);
    const crlfFound = occurrences(text, crlfNeedle);
    if (crlfFound.length > 0) {
      needle = crlfNeedle;
      found = crlfFound;
      replacement = toCrlf(newString);
    }
  }
  if (found.length > 0 && crlfFile && /(^|[^\r])\n/.test(replacement)) replacement = toCrlf(replacement);

  if (found.length === 0)
    return { ok: false, reason: "not_found", message: notFoundMessage(text, oldString) };
  if (found.length > 1 && !replaceAll) {
    const lines = found.slice(0, 8).map((index) => lineAt(text, index));
    const more = found.length > 8 ? ", …" : "";
    return {
      ok: false,
      reason: "ambiguous",
      message: `old_string appears ${found.length} times in the file (at lines ${lines.join(", ")}${more}). Include more surrounding lines in old_string so it matches exactly one place, or set replace_all: true to change every occurrence.`,
    };
  }
  const firstIndex = found[0]!;
  const result = replaceAll
    ? text.split(needle).join(replacement)
    : text.slice(0, firstIndex) + replacement + text.slice(firstIndex + needle.length);
  return { ok: true, text: result, count: replaceAll ? found.length : 1, firstIndex, newString: replacement };
}

const LINE_NUMBER_PREFIX = /^\s*\d+\t/;

function normalizeLine(line: string): string {
  return line.replace(/\r$/, "").trim().replace(/\s+/g, " ");
}

/** The not-found error, with the most useful hint we can find. */
function notFoundMessage(text: string, oldString: string): string {
  const base =
    "old_string was not found in the file; it must match the file's text exactly, including whitespace and indentation.";
  const oldLines = oldString.split("\n");
  if (oldLines.length > 0 && oldLines.every((line) => line === "" || LINE_NUMBER_PREFIX.test(line))) {
    return `${base} It looks like it includes the line-number prefixes from Read's output: remove them (the number and the tab after it).`;
  }
  const fileLines = text.split("\n");
  const wanted = oldLines.map(normalizeLine);
  while (wanted.length > 0 && wanted[wanted.length - 1] === "") wanted.pop();
  while (wanted.length > 0 && wanted[0] === "") wanted.shift();
  if (wanted.length > 0) {
    const normalized = fileLines.map(normalizeLine);
    for (let i = 0; i + wanted.length <= normalized.length; i++) {
      if (wanted.every((line, j) => normalized[i + j] === line)) {
        const shown = fileLines
          .slice(i, i + Math.min(wanted.length, 6))
          .map((line, j) => `${i + j + 1}\t${line.replace(/\r$/, "")}`)
          .join("\n");
        return `${base} Lines ${i + 1}–${i + wanted.length} match it except for whitespace or indentation:\n${shown}\nCopy the text exactly as it appears there (without the line numbers).`;
      }
    }
  }
  const probe = wanted.find((line) => line.length > 0);
  if (!probe) return base;
  const close = closestLines(fileLines, probe, 3);
  if (close.length === 0)
    return `${base} No line resembles its first line; Read the file again to see its current content.`;
  const shown = close.map((n) => `${n}\t${fileLines[n - 1]!.replace(/\r$/, "")}`).join("\n");
  return `${base} The closest lines to its first line are:\n${shown}\nRead the file around these lines and copy the text exactly.`;
}

/** Line numbers (1-based) of the lines most similar to `probe`, best first. */
function closestLines(fileLines: readonly string[], probe: string, max: number): number[] {
  const scored: Array<{ line: number; score: number }> = [];
  const limit = Math.min(fileLines.length, 50_000);
  for (let i = 0; i < limit; i++) {
    const candidate = normalizeLine(fileLines[i]!);
    if (candidate.length === 0) continue;
    const longer = Math.max(candidate.length, probe.length);
    if (Math.min(candidate.length, probe.length) < longer / 2) continue;
    const score = similarity(probe.slice(0, 300), candidate.slice(0, 300));
    if (score >= 0.5) scored.push({ line: i + 1, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.line - b.line)
    .slice(0, max)
    .map((s) => s.line);
}

/** Dice coefficient over character bigrams: cheap (linear) and good at "same line, slightly changed". */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const pair = a.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const pair = b.slice(i, i + 2);
    const left = counts.get(pair) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(pair, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length - 2);
}

/** A few numbered lines around an edit, so the model sees the result without another Read. */
export function snippetAround(
  text: string,
  index: number,
  length: number,
  context = 3,
  maxLines = 20,
): string {
  const lines = text.split("\n");
  const first = lineAt(text, index);
  const last = lineAt(text, index + Math.max(0, length - 1));
  const from = Math.max(1, first - context);
  const to = Math.min(lines.length, Math.max(last + context, from), from + maxLines - 1);
  const width = String(to).length;
  return lines
    .slice(from - 1, to)
    .map((line, i) => `${String(from + i).padStart(width)}\t${line.replace(/\r$/, "")}`)
    .join("\n");
}
