// An ACP prompt (text, images, files the editor embedded or linked) as the content of one user message.
import type { ContentBlock } from "../api/types.js";
import { isRecord } from "../util/is-record.js";

export function promptContent(prompt: readonly unknown[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const block of prompt) {
    if (!isRecord(block)) continue;
    if (block.type === "text" && typeof block.text === "string") {
      out.push({ type: "text", text: block.text });
    } else if (
      block.type === "image" &&
      typeof block.data === "string" &&
      typeof block.mimeType === "string"
    ) {
      out.push({ type: "image", source: { type: "base64", media_type: block.mimeType, data: block.data } });
    } else if (block.type === "resource" && isRecord(block.resource)) {
      const resource = block.resource;
      const uri = typeof resource.uri === "string" ? resource.uri : "";
      // Embedded context: the editor sent the file's (possibly unsaved) text along with the prompt.
      if (typeof resource.text === "string") {
        out.push({ type: "text", text: `<context ref="${uri}">\n${resource.text}\n</context>` });
      } else out.push({ type: "text", text: `[attached ${uri}: binary content not included]` });
    } else if (block.type === "resource_link" && typeof block.uri === "string") {
      out.push({ type: "text", text: `@${fileOf(block.uri)}` });
    }
  }
  return out;
}

function fileOf(uri: string): string {
  return uri.startsWith("file://") ? decodeURIComponent(uri.slice("file://".length)) : uri;
}

export function promptText(content: readonly ContentBlock[]): string {
  return content
    .filter((b): b is { type: "text"; text: string } => b.type === "text")
    .map((b) => b.text)
    .join("\n");
}
