// The Read tool: numbered lines of a text file (a window of it, streamed, so huge files are fine), images
// as image blocks, and clear refusals for binaries, directories and missing files.

import { isUtf8 } from "node:buffer";
import { promises as fs } from "node:fs";
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { directoryMessage, errorResult, missingPathMessage, statOrNull } from "./file-helpers.js";
import { decodeText, sniffContent } from "./text-encoding.js";
import {
  formatBytes,
  longLinesNotice,
  READ_DEFAULT_LINES,
  READ_MAX_BYTES,
  READ_MAX_LINE_CHARS,
  readRangeNotice,
} from "./truncate.js";
import type { ToolContext, ToolResult } from "./types.js";

/** The API takes images up to 5 MB base64-encoded. */
const MAX_IMAGE_BYTES = Math.floor((5 * 1024 * 1024 * 3) / 4);
/** UTF-16 files are decoded whole; bigger ones are refused rather than loaded. */
const MAX_UTF16_BYTES = 16 * 1024 * 1024;

const DESCRIPTION = `Read a file from the local filesystem.

- file_path should be an absolute path; a relative path is resolved against the workspace directory.
- Text comes back like \`cat -n\`: each line prefixed by its line number and a tab. The number and tab are not part of the file: leave them out of old_string when you Edit.
- By default up to ${READ_DEFAULT_LINES} lines are returned from the start of the file. For longer files, the result says which lines you got and the offset to continue from; pass offset (the line number to start at) and limit (how many lines) to read a specific part.
- Lines longer than ${READ_MAX_LINE_CHARS} characters are cut.
- Images (PNG, JPEG, GIF, WebP) are returned as images you can look at. Other binary files (PDFs, executables, archives) cannot be read with this tool.
- For a directory, use Glob or Bash ls instead.
- Read a file before you Edit or overwrite it with Write; those tools refuse files you have not read.
- It is fine to Read several files in parallel when you need them.`;

const schema = z.object({
  file_path: z
    .string()
    .min(1)
    .describe("The path of the file to read (absolute, or relative to the workspace)."),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("The line number to start reading at (1 = first line). Use it with limit for large files."),
  limit: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`How many lines to read (default ${READ_DEFAULT_LINES}).`),
});

export type ReadInput = z.infer<typeof schema>;

export const readTool = defineTool({
  name: "Read",
  description: DESCRIPTION,
  kind: "read",
  schema,
  paths: (input) => [input.file_path],
  summary: (input) => `Read(${input.file_path})`,
  execute: readFile,
});

async function readFile(input: ReadInput, ctx: ToolContext): Promise<ToolResult> {
  const path = await ctx.workspace.resolve(input.file_path);
  const stat = await statOrNull(path);
  if (!stat) return errorResult(await missingPathMessage(input.file_path, path));
  if (stat.isDirectory()) return errorResult(await directoryMessage(input.file_path, path));
  if (!stat.isFile()) {
    return errorResult(
      `${input.file_path} is not a regular file (a device, socket or pipe); Read cannot show it.`,
    );
  }
  if (stat.size === 0) {
    ctx.session.readFiles.set(path, stat.mtimeMs);
    return {
      content: `The file ${path} exists but is empty (0 bytes).`,
      display: "Read 0 lines (empty file)",
    };
  }

  const handle = await fs.open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(8192, stat.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sniffed = sniffContent(head.subarray(0, bytesRead));
    if (sniffed.kind === "binary") {
      return errorResult(
        `${input.file_path} is a binary file (${sniffed.what}, ${formatBytes(stat.size)}); Read only shows text and images. Use a Bash command suited to the format if you need its content.`,
      );
    }
    if (sniffed.kind === "image") {
      if (stat.size > MAX_IMAGE_BYTES) {
        return errorResult(
          `${input.file_path} is an image of ${formatBytes(stat.size)}, over the ${formatBytes(MAX_IMAGE_BYTES)} the API accepts. Make a smaller copy (for example with ImageMagick's convert -resize) and Read that.`,
        );
      }
      const data = await handle.readFile();
      ctx.session.readFiles.set(path, stat.mtimeMs);
      return {
        content: [
          {
            type: "image",
            source: { type: "base64", media_type: sniffed.mediaType, data: data.toString("base64") },
          },
        ],
        display: `Read image (${sniffed.mediaType}, ${formatBytes(stat.size)})`,
        details: { type: "image", mediaType: sniffed.mediaType, bytes: stat.size },
      };
    }
    const startLine = Math.max(1, input.offset ?? 1);
    const limit = input.limit ?? READ_DEFAULT_LINES;
    let window: LineWindow;
    const editorText = await ctx.editorText?.(path);
    if (editorText !== undefined) window = windowFromText(editorText, startLine, limit);
    else if (head[0] === 0xff || head[0] === 0xfe) {
      if (stat.size > MAX_UTF16_BYTES) {
        return errorResult(
          `${input.file_path} is a UTF-16 file of ${formatBytes(stat.size)}; convert it with iconv to read it.`,
        );
      }
      window = windowFromText(decodeText(await handle.readFile()).text, startLine, limit);
    } else {
      window = await scanLines(handle, startLine, limit);
    }
    ctx.session.readFiles.set(path, stat.mtimeMs);
    return formatWindow(input, path, window, startLine);
  } finally {
    await handle.close();
  }
}

interface LineWindow {
  lines: string[];
  totalLines: number;
  /** Lines of the window that were cut at READ_MAX_LINE_CHARS. */
  cutLines: number;
  latin1: boolean;
}

function cutLine(line: string): { text: string; cut: boolean } {
  if (line.length <= READ_MAX_LINE_CHARS) return { text: line, cut: false };
  return { text: `${line.slice(0, READ_MAX_LINE_CHARS)}… [line cut: ${line.length} characters]`, cut: true };
}

/** Streams the file, keeping lines [startLine, startLine + limit) within the byte budget and counting all. */
async function scanLines(handle: fs.FileHandle, startLine: number, limit: number): Promise<LineWindow> {
  const raw: Buffer[] = [];
  let budget = READ_MAX_BYTES;
  let lineNo = 0;
  let carry: Buffer = Buffer.alloc(0);
  let full = false;
  const take = (line: Buffer) => {
    lineNo++;
    if (full || lineNo < startLine) return;
    if (raw.length >= limit) {
      full = true;
      return;
    }
    const body = line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
    const cost = Math.min(body.length, READ_MAX_LINE_CHARS * 4) + 8;
    // Always take at least one line, so every call makes progress.
    if (cost > budget && raw.length > 0) {
      full = true;
      return;
    }
    budget -= cost;
    raw.push(Buffer.from(body.subarray(0, READ_MAX_LINE_CHARS * 4 + 4)));
  };
  const chunk = Buffer.alloc(64 * 1024);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let data = carry.length
      ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
      : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
      take(data.subarray(start, nl));
      start = nl + 1;
    }
    // An enormous line is kept only up to what can be shown; the rest just counts bytes.
    data = data.subarray(start);
    carry = Buffer.from(
      data.length > READ_MAX_LINE_CHARS * 4 + 4 ? data.subarray(0, READ_MAX_LINE_CHARS * 4 + 4) : data,
    );
  }
  if (carry.length > 0) take(carry);

  const first = raw[0];
  if (startLine === 1 && first && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf)
    raw[0] = first.subarray(3);
  // A line cut at the byte cap may end inside a UTF-8 character: leave its last bytes out of the check.
  const cap = READ_MAX_LINE_CHARS * 4 + 4;
  const latin1 = !isUtf8(Buffer.concat(raw.map((b) => (b.length >= cap ? b.subarray(0, b.length - 4) : b))));
  let cutLines = 0;
  const lines = raw.map((buf) => {
    const { text, cut } = cutLine(buf.toString(latin1 ? "latin1" : "utf8"));
    if (cut) cutLines++;
    return text;
  });
  return { lines, totalLines: lineNo, cutLines, latin1 };
}

function windowFromText(text: string, startLine: number, limit: number): LineWindow {
  const all = text.split("\n");
  if (all.length > 1 && all[all.length - 1] === "") all.pop();
  let cutLines = 0;
  let budget = READ_MAX_BYTES;
  const lines: string[] = [];
  for (const line of all.slice(startLine - 1, startLine - 1 + limit)) {
    const { text: shown, cut } = cutLine(line.replace(/\r$/, ""));
    if (shown.length * 2 > budget && lines.length > 0) break;
    budget -= shown.length * 2;
    if (cut) cutLines++;
    lines.push(shown);
  }
  return { lines, totalLines: all.length, cutLines, latin1: false };
}

function formatWindow(input: ReadInput, path: string, window: LineWindow, startLine: number): ToolResult {
  const { lines, totalLines } = window;
  if (lines.length === 0) {
    return errorResult(
      `${input.file_path} has ${totalLines} line${totalLines === 1 ? "" : "s"}; offset=${startLine} is past the end. Use an offset from 1 to ${totalLines}.`,
    );
  }
  const lastLine = startLine + lines.length - 1;
  const width = Math.max(6, String(lastLine).length);
  const body = lines.map((line, i) => `${String(startLine + i).padStart(width)}\t${line}`).join("\n");
  const notes: string[] = [];
  if (lastLine < totalLines || startLine > 1)
    notes.push(readRangeNotice({ firstLine: startLine, lastLine, totalLines }));
  if (window.cutLines > 0) notes.push(longLinesNotice(window.cutLines, READ_MAX_LINE_CHARS));
  if (window.latin1) notes.push("the file is not valid UTF-8 and is shown as Latin-1");
  if (lastLine >= totalLines && startLine > 1)
    notes[0] = `showing lines ${startLine}–${lastLine} of ${totalLines} (end of file)`;
  const content = notes.length ? `${body}\n\n[${notes.join("; ")}]` : body;
  return {
    content,
    display: `Read ${lines.length} line${lines.length === 1 ? "" : "s"}${lastLine < totalLines ? ` of ${totalLines}` : ""}`,
    details: { type: "text", filePath: path, startLine, numLines: lines.length, totalLines },
  };
}
