// Maps an MCP tools/call result onto tool_result content: text, images and embedded resources,
// bounded in size so one chatty server cannot flood the context window.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { ImageBlock, TextBlock } from "../api/types.js";
import { fullOutputNotice, truncateForModel } from "../tools/truncate.js";
import type { ToolResult } from "../tools/types.js";

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Base64 above this is not sent as an image (the API rejects images over ~5 MB). */
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;

export interface MapResultOptions {
  /** Total characters of text the model may see (Claude Code: MAX_MCP_OUTPUT_TOKENS × ~4). */
  maxChars: number;
  toolName: string;
  /** Where the full text of a truncated result is saved (the session's scratch dir). */
  scratchDir?: string;
}

export function defaultMaxChars(env: NodeJS.ProcessEnv = process.env): number {
  const tokens = Number.parseInt(env.MAX_MCP_OUTPUT_TOKENS ?? "", 10);
  return (Number.isFinite(tokens) && tokens > 0 ? tokens : 25_000) * 4;
}

export async function mapCallResult(raw: unknown, options: MapResultOptions): Promise<ToolResult> {
  const result = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const isError = result.isError === true;
  const blocks: Array<TextBlock | ImageBlock> = [];
  const content = Array.isArray(result.content) ? result.content : [];
  for (const item of content) {
    const block = mapBlock(item);
    if (block) blocks.push(block);
  }
  if (blocks.length === 0 && result.structuredContent !== undefined) {
    blocks.push({ type: "text", text: safeJson(result.structuredContent) });
  }
  if (blocks.length === 0 && "toolResult" in result) {
    // Protocol 2024-10-07 servers answer with `toolResult`.
    blocks.push({ type: "text", text: safeJson(result.toolResult) });
  }
  const bounded = await boundText(blocks, options);
  const images = bounded.filter((b) => b.type === "image").length;
  const textChars = bounded.reduce((n, b) => n + (b.type === "text" ? b.text.length : 0), 0);
  const display = `${isError ? "error: " : ""}${textChars} chars${images ? `, ${images} image(s)` : ""}`;
  const first = bounded[0];
  const out: ToolResult = {
    content:
      bounded.length === 1 && first?.type === "text"
        ? first.text
        : bounded.length === 0
          ? "(no output)"
          : bounded,
    display,
  };
  if (isError) out.isError = true;
  return out;
}

function mapBlock(item: unknown): TextBlock | ImageBlock | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const b = item as Record<string, unknown>;
  switch (b.type) {
    case "text":
      return typeof b.text === "string" ? { type: "text", text: b.text } : undefined;
    case "image": {
      const mime = typeof b.mimeType === "string" ? b.mimeType : "";
      const data = typeof b.data === "string" ? b.data : "";
      if (IMAGE_TYPES.has(mime) && data.length > 0 && data.length <= MAX_IMAGE_BASE64)
        return { type: "image", source: { type: "base64", media_type: mime, data } };
      return {
        type: "text",
        text: `[image ${mime || "of unknown type"}, ${data.length} base64 chars, not shown]`,
      };
    }
    case "audio":
      return { type: "text", text: `[audio ${String(b.mimeType ?? "")}, not shown]` };
    case "resource": {
      const res = (typeof b.resource === "object" && b.resource !== null ? b.resource : {}) as Record<
        string,
        unknown
      >;
      const uri = String(res.uri ?? "");
      if (typeof res.text === "string") return { type: "text", text: `[resource ${uri}]\n${res.text}` };
      const mime = typeof res.mimeType === "string" ? res.mimeType : "";
      if (typeof res.blob === "string" && IMAGE_TYPES.has(mime) && res.blob.length <= MAX_IMAGE_BASE64)
        return { type: "image", source: { type: "base64", media_type: mime, data: res.blob } };
      return { type: "text", text: `[resource ${uri}${mime ? ` (${mime})` : ""}: binary, not shown]` };
    }
    case "resource_link":
      return { type: "text", text: `[resource link ${String(b.name ?? "")}: ${String(b.uri ?? "")}]` };
    default:
      return undefined;
  }
}

/** Keeps the head and tail of oversized text (the shared truncation module) and saves the whole text. */
async function boundText(
  blocks: Array<TextBlock | ImageBlock>,
  options: MapResultOptions,
): Promise<Array<TextBlock | ImageBlock>> {
  const maxChars = options.maxChars;
  const total = blocks.reduce((n, b) => n + (b.type === "text" ? b.text.length : 0), 0);
  if (total <= maxChars) return blocks;
  let budget = maxChars;
  const out: Array<TextBlock | ImageBlock> = [];
  for (const block of blocks) {
    if (block.type !== "text") {
      out.push(block);
      continue;
    }
    if (budget <= 0) continue;
    const text =
      block.text.length <= budget
        ? block.text
        : truncateForModel(block.text, { maxBytes: budget, maxLines: 1_000_000 }).text;
    out.push({ type: "text", text });
    budget -= Math.min(block.text.length, budget);
  }
  const saved = await saveFullText(blocks, options);
  const where = saved ? `; ${fullOutputNotice(saved.path, saved.bytes)}` : "";
  out.push({
    type: "text",
    text: `[output truncated: ${options.toolName} returned ${total} characters, about ${maxChars} are shown${where}]`,
  });
  return out;
}

async function saveFullText(
  blocks: Array<TextBlock | ImageBlock>,
  options: MapResultOptions,
): Promise<{ path: string; bytes: number } | undefined> {
  if (!options.scratchDir) return undefined;
  const text = blocks.map((b) => (b.type === "text" ? b.text : "[image]")).join("\n");
  const path = join(options.scratchDir, `mcp-${options.toolName}-${randomBytes(4).toString("hex")}.txt`);
  try {
    await fs.mkdir(options.scratchDir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path, text, { mode: 0o600 });
    return { path, bytes: Buffer.byteLength(text) };
  } catch {
    return undefined;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
