// Captures a child's output stream in bounded memory: head and tail for the model, the full bytes
// spilled to a file in the scratch dir once they outgrow the model's view (with backpressure).
import { createWriteStream, promises as fs, type WriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import {
  composeHeadTail,
  countNewlineBytes,
  decodePrefix,
  decodeSuffix,
  HeadTailCollector,
  type Truncated,
  type TruncateOptions,
  truncateForModel,
} from "./truncate.js";

export interface CaptureOptions {
  /** Where the full output goes if it is too large for the model (or always, with `alwaysSpill`). */
  spillPath: string;
  limits: TruncateOptions;
  alwaysSpill?: boolean;
  onText?: (text: string) => void;
}

export interface CaptureResult extends Truncated {
  /** Set when the full output was saved to a file. */
  fullOutputPath?: string;
}

export class OutputCapture {
  private readonly collector: HeadTailCollector;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private earlyLines = 0;
  private file: WriteStream | null = null;
  private fileError: Error | null = null;
  private readonly decoder = new StringDecoder("utf8");
  private sources: Promise<void>[] = [];

  constructor(private readonly options: CaptureOptions) {
    const capacity = Math.max(options.limits.maxBytes, 16 * 1024);
    this.collector = new HeadTailCollector(capacity, capacity);
    if (options.alwaysSpill) this.openFile();
  }

  /** Bytes of output held in memory (head, tail, the not-yet-spilled start, unflushed file writes). */
  get retainedBytes(): number {
    return this.collector.retainedBytes + this.earlyBytes + (this.file?.writableLength ?? 0);
  }

  get totalBytes(): number {
    return this.collector.totalBytes;
  }

  get spilled(): boolean {
    return this.file !== null;
  }

  attach(stream: Readable): void {
    this.sources.push(
      new Promise<void>((resolve) => {
        stream.on("data", (chunk: Buffer) => this.write(chunk, stream));
        stream.once("close", () => resolve());
        stream.once("error", () => resolve());
      }),
    );
  }

  write(chunk: Buffer, source?: Readable): void {
    this.collector.push(chunk);
    if (this.options.onText) {
      const text = this.decoder.write(chunk);
      if (text) this.options.onText(text);
    }
    if (!this.file) {
      this.early.push(chunk);
      this.earlyBytes += chunk.length;
      this.earlyLines += countNewlineBytes(chunk);
      const { maxBytes, maxLines } = this.options.limits;
      if (this.earlyBytes <= maxBytes && this.earlyLines <= maxLines) return;
      this.openFile();
      return;
    }
    this.writeToFile(chunk, source);
  }

  private openFile(): void {
    const file = createWriteStream(this.options.spillPath, { flags: "w", mode: 0o600 });
    file.on("error", (error) => {
      this.fileError = error;
    });
    this.file = file;
    const early = this.early;
    this.early = [];
    this.earlyBytes = 0;
    for (const chunk of early) file.write(chunk);
  }

  private writeToFile(chunk: Buffer, source?: Readable): void {
    const file = this.file;
    if (!file || this.fileError) return;
    if (!file.write(chunk) && source && !source.isPaused()) {
      // The producer is faster than the disk: hold it back instead of buffering without bound.
      source.pause();
      file.once("drain", () => source.resume());
    }
  }

  /** Waits for the attached streams to end, flushes the file, and returns the model's view. */
  async finish(): Promise<CaptureResult> {
    await Promise.all(this.sources);
    const rest = this.decoder.end();
    if (rest && this.options.onText) this.options.onText(rest);
    const view = this.collector.result(this.options.limits);
    if (!this.file) return view;
    const file = this.file;
    await new Promise<void>((resolve) => {
      if (file.closed) resolve();
      else file.end(() => resolve());
    });
    if (this.fileError) return view;
    return { ...view, fullOutputPath: this.options.spillPath };
  }

  /** Flushes pending writes to the file without ending it (background shells read it while running). */
  async flush(): Promise<void> {
    const file = this.file;
    if (!file || file.writableLength === 0 || file.writableEnded || this.fileError) return;
    // Writes complete in order: once this empty write's callback runs, everything before it is on disk.
    // ('drain' would only come if a write had returned false.)
    await new Promise<void>((resolve) => file.write(Buffer.alloc(0), () => resolve()));
  }
}

/**
 * The model's view of bytes [start, end) of a file without reading all of them: the whole range when it
 * fits, else its head and tail with a marker.
 */
export async function readFileRangeForModel(
  path: string,
  start: number,
  end: number,
  limits: TruncateOptions,
): Promise<Truncated> {
  const length = Math.max(0, end - start);
  const handle = await fs.open(path, "r");
  try {
    const read = async (from: number, size: number): Promise<Buffer> => {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, from);
      return buf.subarray(0, bytesRead);
    };
    if (length <= limits.maxBytes) {
      const text = (await read(start, length)).toString("utf8");
      return truncateForModel(text, limits);
    }
    const half = Math.floor(limits.maxBytes / 2);
    const head = decodePrefix(await read(start, half + 4), half);
    const tail = decodeSuffix(await read(end - half - 4, half + 4), half);
    const lines = await countNewlines(handle, start, end);
    return composeHeadTail({ head, tail, totalBytes: length, totalLines: lines }, limits);
  } finally {
    await handle.close();
  }
}

async function countNewlines(handle: fs.FileHandle, start: number, end: number): Promise<number> {
  const buf = Buffer.alloc(1 << 20);
  let count = 0;
  let last = -1;
  for (let pos = start; pos < end; ) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    count += countNewlineBytes(chunk);
    last = chunk[bytesRead - 1] ?? -1;
    pos += bytesRead;
  }
  return last === 10 || last === -1 ? count : count + 1;
}
