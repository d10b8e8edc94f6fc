// Byte-level facts about files: what kind of content (image, binary, text) and how text is encoded,
// so Read shows it faithfully and Edit writes back exactly the bytes it did not change.
import { isUtf8 } from "node:buffer";

export type TextEncodingName = "utf8" | "latin1" | "utf16le" | "utf16be";

export type Sniffed =
  | { kind: "image"; mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp" }
  | { kind: "binary"; what: string }
  | { kind: "text" };

function startsWith(buf: Buffer, bytes: readonly number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false;
  return bytes.every((b, i) => buf[at + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const BINARY_MAGIC: Array<[number[], string]> = [
  [ascii("%PDF-"), "a PDF document"],
  [[0x7f, 0x45, 0x4c, 0x46], "an ELF executable or library"],
  [[0xcf, 0xfa, 0xed, 0xfe], "a Mach-O executable"],
  [[0xfe, 0xed, 0xfa, 0xcf], "a Mach-O executable"],
  [[0xca, 0xfe, 0xba, 0xbe], "a Mach-O universal binary or Java class file"],
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (or a format built on it: jar, docx, xlsx)"],
  [[0x1f, 0x8b], "a gzip archive"],
  [ascii("BZh"), "a bzip2 archive"],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "an xz archive"],
  [[0x28, 0xb5, 0x2f, 0xfd], "a zstd archive"],
  [ascii("7z"), "a 7-zip archive"],
  [ascii("SQLite format 3"), "an SQLite database"],
  [[0x00, 0x61, 0x73, 0x6d], "a WebAssembly module"],
];

/** Classifies a file from its first bytes (8 KB is plenty). */
export function sniffContent(head: Buffer): Sniffed {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: "image", mediaType: "image/png" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: "image", mediaType: "image/jpeg" };
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a")))
    return { kind: "image", mediaType: "image/gif" };
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8))
    return { kind: "image", mediaType: "image/webp" };
  if (utf16Bom(head)) return { kind: "text" };
  for (const [magic, what] of BINARY_MAGIC) if (startsWith(head, magic)) return { kind: "binary", what };
  if (head.includes(0)) return { kind: "binary", what: "binary data (it contains NUL bytes)" };
  let control = 0;
  for (const byte of head)
    if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12 && byte !== 27) control++;
  if (head.length > 0 && control / head.length > 0.1) return { kind: "binary", what: "binary data" };
  return { kind: "text" };
}

function utf16Bom(buf: Buffer): TextEncodingName | null {
  if (startsWith(buf, [0xff, 0xfe])) return "utf16le";
  if (startsWith(buf, [0xfe, 0xff])) return "utf16be";
  return null;
}

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** The file starts with a byte order mark (kept on write). */
  bom: boolean;
}

/**
 * Decodes file bytes losslessly: UTF-8 when valid, UTF-16 with a BOM, else Latin-1 (one char per byte,
 * so the bytes survive a round trip untouched).
 */
export function decodeText(buf: Buffer): DecodedText {
  const utf16 = utf16Bom(buf);
  if (utf16) {
    const body = buf.subarray(2);
    const text = utf16 === "utf16le" ? body.toString("utf16le") : swapBytes(body).toString("utf16le");
    return { text, encoding: utf16, bom: true };
  }
  const bom = startsWith(buf, [0xef, 0xbb, 0xbf]);
  const body = bom ? buf.subarray(3) : buf;
  if (isUtf8(body)) return { text: body.toString("utf8"), encoding: "utf8", bom };
  return { text: body.toString("latin1"), encoding: "latin1", bom };
}

export class UnrepresentableTextError extends Error {
  constructor(
    readonly encoding: TextEncodingName,
    readonly sample: string,
  ) {
    super(`text contains characters that ${encoding} cannot represent (e.g. ${JSON.stringify(sample)})`);
  }
}

/** Encodes text back into the file's own encoding; throws UnrepresentableTextError rather than re-encode. */
export function encodeText(text: string, encoding: TextEncodingName, bom: boolean): Buffer {
  switch (encoding) {
    case "utf8":
      return Buffer.concat([
        bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
        Buffer.from(text, "utf8"),
      ]);
    case "latin1": {
      const bad = text.match(/[^\u0000-\u00ff]/u);
      if (bad) throw new UnrepresentableTextError("latin1", bad[0]);
      const prefix = bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
      return Buffer.concat([prefix, Buffer.from(text, "latin1")]);
    }
    case "utf16le":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be":
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swapBytes(Buffer.from(text, "utf16le"))]);
  }
}

function swapBytes(buf: Buffer): Buffer {
  const copy = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  copy.swap16();
  return copy;
}

/** The line ending a file mostly uses; new text written into it should follow. */
export function dominantLineEnding(text: string): "\r\n" | "\n" {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text[i - 1] === "\r") crlf++;
    else lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/** Rewrites lone "\n" as "\r\n" (existing "\r\n" stay as they are). */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}
