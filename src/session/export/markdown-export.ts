// A conversation as markdown (the REPL's /export and `claw export` without --html): prompts and answers as
// sections, each tool call as a line, each result folded in a <details> block.
import type { ContentBlock, Message } from "../../api/types.js";
import { resultText } from "./session-turns.js";

function blocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

export function transcriptMarkdown(
  messages: readonly Message[],
  describeCall: (block: Extract<ContentBlock, { type: "tool_use" }>) => string,
): string {
  const out: string[] = [];
  for (const message of messages) {
    for (const block of blocks(message.content)) {
      if (block.type === "text" && block.text.trim())
        out.push(message.role === "user" ? `## User\n\n${block.text}` : `## Assistant\n\n${block.text}`);
      else if (block.type === "tool_use") out.push(`**Tool:** \`${describeCall(block)}\``);
      else if (block.type === "tool_result") {
        const text = resultText(block.content);
        const clipped =
          text.length > 2000 ? `${text.slice(0, 2000)}\n… (${text.length - 2000} more characters)` : text;
        out.push(
          `<details><summary>Result${block.is_error ? " (error)" : ""}</summary>\n\n\`\`\`\n${clipped}\n\`\`\`\n\n</details>`,
        );
      }
    }
  }
  return `${out.join("\n\n")}\n`;
}
