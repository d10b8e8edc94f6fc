// A saved session as the HTML export shows it: turns (one typed prompt and everything the model did for it),
// each with its text, tool calls paired with their results, and the tokens and cost its requests used.
import { costFor } from "../../api/pricing.js";
import { type ContentBlock, emptyUsage, type Message, type Usage } from "../../api/types.js";
import type { LoadedSession } from "../session-load.js";
import type { LoadedRecord } from "../session-records.js";

export interface ExportToolCall {
  id: string;
  name: string;
  input: unknown;
  result?: { text: string; isError: boolean };
  /** The UI's one-line summary of the result, when the session recorded it. */
  display?: string;
}

export type ExportItem =
  | { kind: "text"; role: "user" | "assistant"; text: string }
  | { kind: "tool"; call: ExportToolCall }
  | { kind: "note"; text: string }
  | { kind: "thinking"; text: string };

export interface ExportTurn {
  index: number;
  /** The prompt as typed ("" for a turn that began without one, e.g. after a rewind). */
  prompt: string;
  items: ExportItem[];
  usage: Usage;
  costUsd: number;
  costEstimated: boolean;
  ts?: string;
}

export interface ExportSession {
  id: string;
  cwd: string;
  model: string;
  created: string;
  turns: ExportTurn[];
  total: { usage: Usage; costUsd: number };
}

function blocksOf(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

export function resultText(content: string | ContentBlock[]): string {
  return blocksOf(content)
    .map((b) => (b.type === "text" ? b.text : b.type === "image" ? "[image]" : ""))
    .join("\n");
}

function addInto(total: Usage, usage: Partial<Usage>): void {
  total.input_tokens += usage.input_tokens ?? 0;
  total.output_tokens += usage.output_tokens ?? 0;
  total.cache_creation_input_tokens += usage.cache_creation_input_tokens ?? 0;
  total.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
}

class TurnBuilder {
  readonly turns: ExportTurn[] = [];
  private readonly calls = new Map<string, ExportToolCall>();

  current(ts?: string): ExportTurn {
    return this.turns.at(-1) ?? this.open("", ts);
  }

  open(prompt: string, ts?: string): ExportTurn {
    const turn: ExportTurn = {
      index: this.turns.length + 1,
      prompt,
      items: [],
      usage: emptyUsage(),
      costUsd: 0,
      costEstimated: false,
      ts,
    };
    this.turns.push(turn);
    return turn;
  }

  addUsage(model: string, usage: Partial<Usage>, ts?: string): void {
    const turn = this.current(ts);
    const one = emptyUsage();
    addInto(one, usage);
    addInto(turn.usage, one);
    const cost = costFor(model, one);
    turn.costUsd += cost.usd;
    turn.costEstimated ||= cost.estimated;
  }

  addAssistant(content: ContentBlock[], ts?: string): void {
    const turn = this.current(ts);
    for (const block of content) {
      if (block.type === "text" && block.text.trim())
        turn.items.push({ kind: "text", role: "assistant", text: block.text });
      else if (block.type === "thinking" && block.thinking.trim())
        turn.items.push({ kind: "thinking", text: block.thinking });
      else if (block.type === "tool_use") {
        const call: ExportToolCall = { id: block.id, name: block.name, input: block.input };
        this.calls.set(block.id, call);
        turn.items.push({ kind: "tool", call });
      }
    }
  }

  addResults(message: Message, displays: Record<string, string> | undefined): void {
    for (const block of blocksOf(message.content)) {
      if (block.type === "tool_result") {
        const call = this.calls.get(block.tool_use_id);
        if (!call) continue;
        call.result = { text: resultText(block.content), isError: block.is_error === true };
        const display = displays?.[block.tool_use_id];
        if (typeof display === "string") call.display = display;
      } else if (block.type === "text" && block.text.trim()) {
        this.current().items.push({ kind: "text", role: "user", text: block.text });
      }
    }
  }
}

function promptText(message: Message): string {
  return blocksOf(message.content)
    .map((b) => (b.type === "text" ? b.text : b.type === "image" ? "[image]" : ""))
    .filter(Boolean)
    .join("\n\n");
}

/** Usage records carry every request when the file has them; older files only have usage on assistant messages. */
function usageSource(records: readonly LoadedRecord[]): "records" | "assistant" {
  return records.some((r) => r.type === "usage") ? "records" : "assistant";
}

export function sessionTurns(session: LoadedSession): ExportSession {
  const builder = new TurnBuilder();
  const source = usageSource(session.records);
  let model = session.header.model;
  for (const record of session.records) {
    switch (record.type) {
      case "user": {
        const text = promptText(record.message);
        // A typed prompt starts a turn; a hook's nudge (no uuid) belongs to the turn it interrupts.
        if (record.uuid || builder.turns.length === 0) builder.open(text, record.ts);
        else builder.current().items.push({ kind: "text", role: "user", text });
        break;
      }
      case "assistant":
        builder.addAssistant(record.message.content, record.ts);
        if (source === "assistant" && record.message.usage)
          builder.addUsage(record.message.model || model, record.message.usage, record.ts);
        break;
      case "tool_results":
        builder.addResults(record.message, record.displays);
        break;
      case "usage":
        builder.addUsage(record.model, record.usage, record.ts);
        break;
      case "model_change":
        model = record.model;
        builder.current(record.ts).items.push({ kind: "note", text: `Model changed to ${record.model}` });
        break;
      case "interrupted":
        if (record.partialText.trim())
          builder.addAssistant([{ type: "text", text: `${record.partialText}\n\n*[interrupted]*` }]);
        else builder.current().items.push({ kind: "note", text: "Interrupted" });
        break;
      case "compaction":
        builder.current(record.ts).items.push({
          kind: "note",
          text: `Conversation compacted: ${record.messagesSummarized} messages summarised (${record.tokensBefore} → ${record.tokensAfter} tokens)`,
        });
        break;
      case "prompt_withdrawn": {
        // The prompt went back into the input before any answer: it was never part of the conversation.
        const last = builder.turns.at(-1);
        if (last && last.items.length === 0 && last.usage.output_tokens === 0) builder.turns.pop();
        break;
      }
      case "conversation_rewind":
        builder.current(record.ts).items.push({ kind: "note", text: "Conversation rewound" });
        break;
      default:
        break;
    }
  }
  const total = { usage: emptyUsage(), costUsd: 0 };
  for (const turn of builder.turns) {
    addInto(total.usage, turn.usage);
    total.costUsd += turn.costUsd;
  }
  return {
    id: session.header.id,
    cwd: session.header.cwd,
    model: session.model || model,
    created: session.header.created,
    turns: builder.turns,
    total,
  };
}
