// THE truncation module: decides what the model sees of long outputs (head + tail with a counted marker)
// and words the notices that tell the model how to get the rest. The UI and logs may show more.

/** Read tool limits (Claude Code's defaults). */
export const READ_DEFAULT_LINES = 2000;
export const READ_MAX_LINE_CHARS = 2000;
/** Byte budget of one Read result, so 2000 very long lines cannot flood the context. */
export const READ_MAX_BYTES = 100_000;

/** What one Bash stream (stdout or stderr) may show the model. BASH_MAX_OUTPUT_LENGTH overrides, as in Claude Code. */
export function bashOutputLimits(env: NodeJS.ProcessEnv = process.env): TruncateOptions {
  const fromEnv = Number.parseInt(env.BASH_MAX_OUTPUT_LENGTH ?? "", 10);
  const maxBytes = Number.isFinite(fromEnv) && fromEnv >= 1000 ? Math.min(fromEnv, 1_000_000) : 30_000;
  return { maxBytes, maxLines: 2000 };
}

export interface TruncateOptions {
  maxBytes: number;
  maxLines: number;
  /** Lines kept from the start when truncating; default half of maxLines. */
  headLines?: number;
  /** Lines kept from the end when truncating; default the rest of maxLines. */
  tailLines?: number;
}

export interface Truncated {
  text: string;
  truncated: boolean;
  totalBytes: number;
  totalLines: number;
  omittedLines: number;
  omittedBytes: number;
}

/** Counts lines the way an editor does: a final line without "\n" still counts. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return text.endsWith("\n") ? count : count + 1;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Number of "\n" bytes; a plain loop beats indexOf on newline-dense output. */
export function countNewlineBytes(buf: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) count++;
  return count;
}

/** Keeps the head and tail of `text` within the caps, with a marker counting what was left out. */
export function truncateForModel(text: string, options: TruncateOptions): Truncated {
  const totalBytes = Buffer.byteLength(text);
  const totalLines = countLines(text);
  if (totalBytes <= options.maxBytes && totalLines <= options.maxLines) {
    return { text, truncated: false, totalBytes, totalLines, omittedLines: 0, omittedBytes: 0 };
  }
  const buf = Buffer.from(text);
  const half = Math.floor(options.maxBytes / 2);
  const head = decodePrefix(buf.subarray(0, Math.min(buf.length, half + 4)), half);
  const tail = decodeSuffix(buf.subarray(Math.max(0, buf.length - half - 4)), half);
  return composeHeadTail({ head, tail, totalBytes, totalLines }, options);
}

export interface HeadTailParts {
  /** A prefix of the full text (may be longer than the budget; it is cut further). */
  head: string;
  /** A suffix of the full text, not overlapping `head`. */
  tail: string;
  totalBytes: number;
  totalLines: number;
}

/** Builds the model's view from a known prefix and suffix of a text too large to hold in memory. */
export function composeHeadTail(parts: HeadTailParts, options: TruncateOptions): Truncated {
  const headLinesMax = options.headLines ?? Math.floor(options.maxLines / 2);
  const tailLinesMax = options.tailLines ?? Math.max(0, options.maxLines - headLinesMax);
  const byteBudget = Math.floor(options.maxBytes / 2);

  const head = takeHeadLines(parts.head, headLinesMax, byteBudget);
  const tail = takeTailLines(parts.tail, tailLinesMax, byteBudget);
  const keptBytes = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const omittedBytes = Math.max(0, parts.totalBytes - keptBytes);
  // A cut inside a line makes the head's last line and the tail's first line partial: count whole lines only.
  const omittedLines = Math.max(0, parts.totalLines - countLines(head) - countLines(tail));
  const marker = truncationMarker({ omittedLines, omittedBytes, totalLines: parts.totalLines });
  const text = `${head}${head.endsWith("\n") || head === "" ? "" : "\n"}${marker}\n${tail}`;
  return {
    text,
    truncated: true,
    totalBytes: parts.totalBytes,
    totalLines: parts.totalLines,
    omittedLines,
    omittedBytes,
  };
}

function truncationMarker(counts: {
  omittedLines: number;
  omittedBytes: number;
  totalLines: number;
}): string {
  const lines = counts.omittedLines > 0 ? `${counts.omittedLines} lines, ` : "";
  return `[… ${lines}${formatBytes(counts.omittedBytes)} omitted of ${counts.totalLines} lines in total …]`;
}

function takeHeadLines(text: string, maxLines: number, maxBytes: number): string {
  let end = 0;
  let lines = 0;
  while (lines < maxLines && end < text.length) {
    const nl = text.indexOf("\n", end);
    const next = nl === -1 ? text.length : nl + 1;
    if (Buffer.byteLength(text.slice(0, next)) > maxBytes) {
      // One long line: cut it by bytes rather than drop it.
      if (lines === 0) return decodePrefix(Buffer.from(text.slice(0, next)), maxBytes);
      break;
    }
    end = next;
    lines++;
  }
  return text.slice(0, end);
}

function takeTailLines(text: string, maxLines: number, maxBytes: number): string {
  let start = text.length;
  let lines = 0;
  // A trailing newline belongs to the last line, not to an empty line after it.
  let searchFrom = text.endsWith("\n") ? text.length - 2 : text.length - 1;
  while (lines < maxLines && start > 0) {
    const nl = searchFrom < 0 ? -1 : text.lastIndexOf("\n", searchFrom);
    const next = nl + 1;
    if (Buffer.byteLength(text.slice(next)) > maxBytes) {
      if (lines === 0) return decodeSuffix(Buffer.from(text.slice(next)), maxBytes);
      break;
    }
    start = next;
    lines++;
    searchFrom = nl - 1;
    if (nl === -1) break;
  }
  return text.slice(start);
}

/** Decodes at most `maxBytes` from the start of `buf` without splitting a UTF-8 character. */
export function decodePrefix(buf: Buffer, maxBytes: number): string {
  let end = Math.min(buf.length, maxBytes);
  if (end < buf.length) while (end > 0 && isContinuation(buf[end])) end--;
  return buf.subarray(0, end).toString("utf8");
}

/** Decodes at most `maxBytes` from the end of `buf` without splitting a UTF-8 character. */
export function decodeSuffix(buf: Buffer, maxBytes: number): string {
  let start = Math.max(0, buf.length - maxBytes);
  while (start < buf.length && isContinuation(buf[start])) start++;
  return buf.subarray(start).toString("utf8");
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
 * Collects a stream's first and last bytes in bounded memory, counting everything that passes.
 * Until the total exceeds head + tail capacity the whole text is kept, so short outputs stay exact.
 */
export class HeadTailCollector {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private whole: Buffer[] | null = [];
  private newlines = 0;
  private lastByte = -1;
  totalBytes = 0;

  constructor(
    private readonly headCapacity: number,
    private readonly tailCapacity: number,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.totalBytes += chunk.length;
    this.newlines += countNewlineBytes(chunk);
    this.lastByte = chunk[chunk.length - 1] ?? -1;
    if (this.whole) {
      this.whole.push(chunk);
      if (this.totalBytes <= this.headCapacity + this.tailCapacity) return;
      const all = Buffer.concat(this.whole);
      this.whole = null;
      this.head = [Buffer.from(all.subarray(0, this.headCapacity))];
      this.headSize = this.headCapacity;
      this.tail = [Buffer.from(all.subarray(this.headCapacity))];
      this.tailSize = all.length - this.headCapacity;
      this.trimTail();
      return;
    }
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    this.trimTail();
  }

  /** Bytes held in memory right now (for tests that check memory stays bounded). */
  get retainedBytes(): number {
    if (this.whole) return this.totalBytes;
    return this.headSize + this.tailSize;
  }

  get totalLines(): number {
    if (this.totalBytes === 0) return 0;
    return this.lastByte === 10 ? this.newlines : this.newlines + 1;
  }

  /** True when nothing was dropped: `text()` is the whole output. */
  get complete(): boolean {
    return this.whole !== null;
  }

  /** The whole text when complete, else the model view with a marker. */
  result(options: TruncateOptions): Truncated {
    if (this.whole) return truncateForModel(Buffer.concat(this.whole).toString("utf8"), options);
    const head = decodePrefix(Buffer.concat(this.head), this.headSize);
    const tail = decodeSuffix(Buffer.concat(this.tail), this.tailSize);
    return composeHeadTail({ head, tail, totalBytes: this.totalBytes, totalLines: this.totalLines }, options);
  }

  private trimTail(): void {
    // Compact only when twice over capacity, so the copy cost is amortized.
    if (this.tailSize <= this.tailCapacity * 2) return;
    const all = Buffer.concat(this.tail);
    const kept = Buffer.from(all.subarray(all.length - this.tailCapacity));
    this.tail = [kept];
    this.tailSize = kept.length;
  }
}

/** "showing lines 1–2000 of 9000; use offset=2001 to continue" */
export function readRangeNotice(range: { firstLine: number; lastLine: number; totalLines: number }): string {
  const { firstLine, lastLine, totalLines } = range;
  return `showing lines ${firstLine}–${lastLine} of ${totalLines}; use offset=${lastLine + 1} to continue`;
}

/** Notice for lines cut at READ_MAX_LINE_CHARS. */
export function longLinesNotice(count: number, maxChars: number): string {
  const what = count === 1 ? "1 line was" : `${count} lines were`;
  return `${what} longer than ${maxChars} characters and cut; use Bash (e.g. cut, fold, jq) to see them whole`;
}

/** Points the model at the saved full output. */
export function fullOutputNotice(path: string, totalBytes: number): string {
  return `full output (${formatBytes(totalBytes)}) saved to ${path}; use Read with offset/limit or Grep on it to see more`;
}
