// /export: the conversation to a markdown file, to the clipboard (OSC 52, so it works over SSH), or as one
// self-contained web page. Without arguments it asks which.
import { join, resolve } from "node:path";
import type { CommandEnv } from "./commands.js";
import type { ReplController, ReplRuntime } from "./controller.js";
import { pick } from "./pick.js";

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
}

async function markdownOf(rt: ReplRuntime): Promise<string> {
  const { transcriptMarkdown } = await import("../session/export/markdown-export.js");
  const { callTitle } = await import("../session/export/html-parts.js");
  return transcriptMarkdown(rt.agent.messages, (block) =>
    callTitle({ id: block.id, name: block.name, input: block.input }, rt.cwd),
  );
}

/** Writes the transcript as markdown to `file` (default ./claw-transcript-<time>.md); returns the path. */
export async function exportMarkdownFile(rt: ReplRuntime, file: string): Promise<string> {
  const path = file ? resolve(rt.cwd, file) : join(rt.cwd, `claw-transcript-${stamp()}.md`);
  const { writeExport } = await import("../session/export/export-session.js");
  await writeExport(path, await markdownOf(rt));
  return path;
}

async function exportHtml(c: ReplController, file: string): Promise<void> {
  const rt = c.runtime;
  if (!rt.sessionPath) {
    c.notice(
      "error",
      "This session is not saved on disk, so there is no page to make; /export <file> writes markdown.",
    );
    return;
  }
  const path = file ? resolve(rt.cwd, file) : join(rt.cwd, `claw-session-${stamp()}.html`);
  const { renderSessionFile, writeExport } = await import("../session/export/export-session.js");
  await writeExport(path, renderSessionFile(rt.sessionPath, "html"));
  c.notice("info", `Session page saved to ${path} (self-contained: open it in any browser).`);
}

async function exportClipboard(c: ReplController, env: CommandEnv): Promise<void> {
  if (!env.copyToClipboard) {
    c.notice("error", "No terminal to copy through here; /export <file> writes the transcript to a file.");
    return;
  }
  const text = await markdownOf(c.runtime);
  env.copyToClipboard(text);
  const tmux = process.env.TMUX ? " In tmux this needs `set -g set-clipboard on`." : "";
  // Terminals cap what one OSC 52 sequence may carry (often around 100 KB of base64).
  const large =
    text.length > 74_000
      ? " It is large: if the clipboard stays empty, /export <file> writes it instead."
      : "";
  c.notice(
    "info",
    `Copied the transcript (${text.length} characters) to the clipboard through the terminal (OSC 52).${tmux}${large}`,
  );
}

export async function exportCommand(c: ReplController, env: CommandEnv, args: string): Promise<void> {
  let [verb = "", ...rest] = args.split(/\s+/).filter(Boolean);
  if (!verb) {
    verb =
      (await pick(c, "Export the conversation (↑/↓, Enter; Esc cancels)", [
        { value: "file", label: "Save to a file (markdown, in this folder)" },
        { value: "clipboard", label: "Copy to the clipboard (OSC 52: works over SSH)" },
        { value: "html", label: "Save as a web page (one self-contained HTML file)" },
      ])) ?? "";
    if (!verb) return;
    rest = [];
  }
  if (verb === "clipboard" || verb === "copy") return exportClipboard(c, env);
  if (verb === "html") return exportHtml(c, rest.join(" "));
  const path = await exportMarkdownFile(c.runtime, verb === "file" ? rest.join(" ") : args);
  c.notice("info", `Transcript saved to ${path}`);
}

/** The OSC 52 sequence that puts `text` on the terminal's clipboard. */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, "utf8").toString("base64")}\x07`;
}
