// Ctrl+O's transcript: the conversation so far with every tool result in full (what the model was given),
// laid out as lines that fit the terminal, for the pager that shows it.
import { describeCall } from "../agent/tool-runner.js";
import type { ContentBlock, ToolResultBlock } from "../api/types.js";
import type { ReplRuntime } from "./controller.js";
import { formatToolStart, formatUserPrompt, renderToolEnd, workspaceRelative } from "./format.js";
import type { KeyEvent, KeyName } from "./input/keys.js";
import { ANSWER_MARKER, renderMarkdown } from "./markdown/render.js";
import { wrapText } from "./markdown/wrap.js";
import type { Style } from "./style.js";

function blocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

/** The transcript as terminal lines, each at most `width` columns. */
export function transcriptLines(
  rt: Pick<ReplRuntime, "agent" | "cwd">,
  style: Style,
  width: number,
): string[] {
  const messages = rt.agent.messages;
  const results = new Map<string, ToolResultBlock>();
  for (const message of messages)
    for (const block of blocks(message.content))
      if (block.type === "tool_result") results.set(block.tool_use_id, block);
  const out: string[] = [];
  for (const message of messages) {
    for (const block of blocks(message.content)) {
      if (block.type === "text" && block.text.trim()) {
        out.push(
          message.role === "user"
            ? formatUserPrompt(block.text, style, width)
            : renderMarkdown(block.text, { style, width, gutter: ANSWER_MARKER }),
        );
      } else if (block.type === "tool_use") {
        const tool = rt.agent.toolList.find((t) => t.name === block.name);
        const call = workspaceRelative(tool ? describeCall(tool, block.input) : block.name, rt.cwd);
        const result = results.get(block.id);
        out.push(
          result
            ? renderToolEnd(call, { content: result.content, isError: result.is_error }, 0, style, {
                width,
                full: true,
              }).text
            : formatToolStart(call, style),
        );
      }
    }
  }
  const text = out.join("\n\n") || style.dim("(no messages yet)");
  return wrapText(text, width).split("\n");
}

/** Lines a pager shows: the screen less its title, position line and the row Ink keeps below the frame. */
export function transcriptRows(stdout: NodeJS.WriteStream): number {
  return Math.max(3, (stdout.rows || 24) - 3);
}

/** Ctrl+O's pager: the conversation's transcript, read again when it grows or the terminal's width changes. */
export function conversationPager(
  runtime: () => Pick<ReplRuntime, "agent" | "cwd">,
  style: Style,
  width: () => number,
  rows: number,
): TranscriptPager {
  const lines = () => transcriptLines(runtime(), style, width());
  return new TranscriptPager(lines(), rows, {
    version: () => `${runtime().agent.messages.length} ${width()}`,
    lines,
  });
}

/** Scrolling through the transcript's lines; starts at the end, where the latest turn is. */
export class TranscriptPager {
  top = 0;
  /** Called once when the pager closes (a command waiting on it, as /diff does). */
  onClose?: () => void;

  private seen: string;

  constructor(
    public lines: string[],
    /** Rows of text shown at once. */
    public rows: number,
    /** Where the lines come from, when they can change while shown (a turn still running, a resize). */
    private readonly source?: { version: () => string; lines: () => string[] },
  ) {
    this.top = this.bottom;
    this.seen = source?.version() ?? "";
  }

  /** The terminal's height changed. */
  resize(rows: number): void {
    this.relayout(this.lines, rows);
  }

  /** Reads the lines again when their source has changed (a message or tool result was added). */
  refresh(): void {
    if (!this.source) return;
    const version = this.source.version();
    if (version === this.seen) return;
    this.seen = version;
    this.relayout(this.source.lines(), this.rows);
  }

  /** The heading line; undefined for the transcript's own. */
  get title(): string | undefined {
    return undefined;
  }

  private get bottom(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  /** New lines (the terminal was resized); keeps the end in view when it was. */
  relayout(lines: string[], rows: number): void {
    const atEnd = this.top >= this.bottom;
    this.lines = lines;
    this.rows = rows;
    this.top = atEnd ? this.bottom : Math.min(this.top, this.bottom);
  }

  /** Applies a key; "close" when it leaves the transcript. */
  handle(event: KeyEvent | { type: "paste"; text: string }): "close" | "none" {
    if (event.type === "ctrl") {
      if (event.letter === "o" || event.letter === "c") return "close";
      if (event.letter === "n") this.scroll(1);
      if (event.letter === "p") this.scroll(-1);
      return "none";
    }
    if (event.type === "text") {
      if (event.text === "q") return "close";
      if (event.text === "j") this.scroll(1);
      if (event.text === "k") this.scroll(-1);
      if (event.text === " ") this.scroll(this.rows);
      if (event.text === "b") this.scroll(-this.rows);
      if (event.text === "g") this.top = 0;
      if (event.text === "G") this.top = this.bottom;
      return "none";
    }
    if (event.type !== "key") return "none";
    const moves: Partial<Record<KeyName, () => void>> = {
      up: () => this.scroll(-1),
      down: () => this.scroll(1),
      "page-up": () => this.scroll(-this.rows),
      "page-down": () => this.scroll(this.rows),
      home: () => {
        this.top = 0;
      },
      end: () => {
        this.top = this.bottom;
      },
    };
    if (event.name === "escape") return "close";
    moves[event.name]?.();
    return "none";
  }

  private scroll(by: number): void {
    this.top = Math.max(0, Math.min(this.bottom, this.top + by));
  }
}
