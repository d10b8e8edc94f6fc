import { describeCall } from "../agent/tool-runner.js";
import { MODEL_CATALOG } from "../api/models.js";
import type { ContentBlock, ToolResultBlock } from "../api/types.js";
import { listSessions } from "../session/session-list.js";
import { loadTools } from "../tools/registry.js";
import type { Tool } from "../tools/types.js";
import type { ReplController, ReplRuntime } from "./controller.js";
import {
  formatCost,
  formatTokens,
  formatToolEnd,
  formatToolStart,
  formatUserPrompt,
  workspaceRelative,
} from "./format.js";
import { ANSWER_MARKER, renderMarkdown } from "./markdown/render.js";
import { pick } from "./pick.js";
import type { Style } from "./style.js";

export function costReport(rt: ReplRuntime, st: Style): string {
  const usage = rt.agent.usage;
  const lines = [
    `Total cost: ${st.bold(formatCost(usage.costUsd))}${usage.costEstimated ? " (estimated)" : ""}`,
  ];
  for (const [model, entry] of Object.entries(usage.byModel)) {
    lines.push(
      `  ${model}: ${formatTokens(entry.inputTokens)} in, ${formatTokens(entry.outputTokens)} out, ${formatTokens(entry.cacheReadInputTokens)} cache read, ${formatTokens(entry.cacheCreationInputTokens)} cache write · ${formatCost(entry.costUSD)}`,
    );
  }
  return lines.join("\n");
}

function blocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}

function toolCallLine(
  block: Extract<ContentBlock, { type: "tool_use" }>,
  tools: readonly Tool[] = [],
): string {
  const tool = tools.find((t) => t.name === block.name);
  if (tool) return describeCall(tool, block.input);
  const input = block.input as Record<string, unknown> | null;
  const first =
    input && typeof input === "object" ? Object.values(input).find((v) => typeof v === "string") : undefined;
  const arg = typeof first === "string" ? first.split("\n")[0]!.slice(0, 80) : "";
  return `${block.name}(${arg})`;
}

const MAX_REPLAY_MESSAGES = 40;

/**
 * A resumed session's conversation, for the scrollback: prompts, answers, and each tool call with the one-line
 * summary of its result (as it was shown live, when the session recorded it).
 */
export async function historyText(
  rt: Pick<ReplRuntime, "agent" | "previousToolDisplays" | "cwd">,
  st: Style,
  width: number,
): Promise<string> {
  const messages = rt.agent.messages;
  const results = new Map<string, ToolResultBlock>();
  for (const message of messages)
    for (const block of blocks(message.content))
      if (block.type === "tool_result") results.set(block.tool_use_id, block);
  const shown = messages.slice(-MAX_REPLAY_MESSAGES);
  // A tool describes a call (`Read(src/a.ts)`) only once its module is loaded: load the ones the history used.
  const used = new Set(
    shown.flatMap((m) => blocks(m.content).flatMap((b) => (b.type === "tool_use" ? [b.name] : []))),
  );
  await loadTools(rt.agent.toolList.filter((tool) => used.has(tool.name)));
  const out: string[] = [];
  if (messages.length > shown.length)
    out.push(st.dim(`… ${messages.length - shown.length} earlier messages`));
  for (const message of shown) {
    for (const block of blocks(message.content)) {
      if (block.type === "text" && block.text.trim()) {
        out.push(
          message.role === "user"
            ? formatUserPrompt(block.text, st)
            : renderMarkdown(block.text, { style: st, width, gutter: ANSWER_MARKER }),
        );
      } else if (block.type === "tool_use") {
        const call = workspaceRelative(toolCallLine(block, rt.agent.toolList), rt.cwd);
        const result = results.get(block.id);
        const display = rt.previousToolDisplays?.[block.id];
        out.push(
          result
            ? formatToolEnd(call, { content: result.content, isError: result.is_error, display }, 0, st)
            : formatToolStart(call, st),
        );
      }
    }
  }
  return out.join("\n\n") || st.dim("(the session has no messages yet)");
}

/** /model without a name: the current models with what each is for (the current one first); undefined when cancelled. */
export function modelPicker(c: ReplController): Promise<string | undefined> {
  const current = c.runtime.agent.model;
  const options = [
    ...(MODEL_CATALOG.some((m) => m.id === current)
      ? []
      : [{ value: current, label: `${current} (current)` }]),
    ...MODEL_CATALOG.map(({ alias, id, description }) => ({
      value: id,
      label: `${alias.padEnd(7)} ${id}${id === current ? " (current)" : ""} · ${description}`,
    })),
  ].sort((a, b) => Number(b.value === current) - Number(a.value === current));
  return pick(c, "Switch the model for this session (↑/↓, Enter; Esc keeps it)", options).then((value) =>
    value === current ? undefined : value,
  );
}

/** Lets the user pick a saved session of this directory; undefined when cancelled or there is none. */
export function resumePicker(c: ReplController): Promise<string | undefined> {
  // A session without messages (opened and left, or replaced by /clear at once) has nothing to resume.
  const sessions = listSessions(c.runtime.configHome, c.runtime.cwd).filter(
    (s) => s.id !== c.runtime.sessionId && s.messageCount > 0,
  );
  if (sessions.length === 0) {
    c.notice("info", "No other saved sessions in this directory.");
    return Promise.resolve(undefined);
  }
  return pick(
    c,
    "Resume a session (↑/↓, Enter; Esc cancels)",
    sessions.slice(0, 30).map((s) => ({
      value: s.id,
      label: `${s.created.slice(0, 16).replace("T", " ")}  ${String(s.messageCount).padStart(3)} msgs  ${s.lastPrompt.slice(0, 60) || "(no prompt)"}`,
    })),
  );
}
