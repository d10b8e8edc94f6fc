// Incremental Server-Sent Events decoder: bytes in, {event, data} messages out. Our own, so that every
// byte (pings and comments included) is visible to the idle watchdog and bad data is never logged.

export interface SseMessage {
  /** The `event:` field, or "message" when absent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

export class SseDecoder {
  private readonly text = new TextDecoder("utf-8");
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private hasData = false;

  /** Feeds a chunk; returns the messages it completed. */
  push(chunk: Uint8Array): SseMessage[] {
    this.buffer += this.text.decode(chunk, { stream: true });
    return this.drain();
  }

  /**
   * Ends the stream. A message not closed by a blank line is discarded, as the SSE spec says: a stream
   * cut mid-event must not complete anything.
   */
  end(): SseMessage[] {
    this.buffer += this.text.decode();
    const out = this.drain();
    this.buffer = "";
    this.reset();
    return out;
  }

  private drain(): SseMessage[] {
    const out: SseMessage[] = [];
    // A cursor instead of re-slicing the buffer per line: big chunks stay linear.
    const newline = /\r\n|\r|\n/g;
    let start = 0;
    for (;;) {
      newline.lastIndex = start;
      const match = newline.exec(this.buffer);
      if (!match) break;
      // A lone "\r" at the very end may be the first half of "\r\n": wait for more.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const message = this.line(this.buffer.slice(start, match.index));
      start = match.index + match[0].length;
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") {
      if (!this.hasData) {
        this.reset();
        return undefined;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.reset();
      return message;
    }
    if (line.startsWith(":")) return undefined; // comment
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data.push(value);
      this.hasData = true;
    }
    // id, retry and unknown fields are ignored
    return undefined;
  }

  private reset(): void {
    this.event = "";
    this.data = [];
    this.hasData = false;
  }
}
