// JSON lines in and out of the stream-json protocol. Lines are read as they come (a control request must be
// seen while a turn runs); each message is written whole, so the host never reads half a line.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export interface LineReaderHandlers {
  line(text: string): void;
  end(): void;
}

export function readLines(input: Readable, handlers: LineReaderHandlers): void {
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  reader.on("line", (text) => {
    if (text.trim()) handlers.line(text);
  });
  reader.on("close", () => handlers.end());
}

export function jsonLineWriter(output: Writable): (message: Record<string, unknown>) => void {
  return (message) => {
    if (output.writableEnded || output.destroyed) return;
    output.write(`${JSON.stringify(message)}\n`);
  };
}
