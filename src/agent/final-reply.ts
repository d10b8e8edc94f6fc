// What happens when the model answers without tool calls: a Stop hook may send it back to work, and with a
// structured-output schema the answer only counts once the StructuredOutput tool has been called.
import type { ContentBlock } from "../api/types.js";
import type { ToolResult } from "../tools/types.js";
import type { AgentEvent } from "./events.js";
import type { AgentHooks } from "./hook-types.js";

/** How many times a Stop hook may send the model back to work in one run. */
const MAX_STOP_CONTINUATIONS = 3;

export interface StructuredOutputConfig {
  toolName: string;
  /** How many times the model is reminded to call the tool before the run fails. */
  maxRetries: number;
  /** The reminder. */
  instruction: string;
}

/** Per run: how often the model was sent back. */
export interface FinalReplyState {
  stopContinuations: number;
  structuredRetries: number;
}

export type FinalReplyDecision =
  | { kind: "finish" }
  | { kind: "continue"; nudge: string }
  | { kind: "fail"; message: string };

export function* hookNotices(hooks: AgentHooks | undefined): Generator<AgentEvent> {
  for (const message of hooks?.drainNotices?.() ?? []) yield { type: "notice", level: "warning", message };
}

export async function* decideFinalReply(options: {
  hooks: AgentHooks | undefined;
  structured: StructuredOutputConfig | undefined;
  state: FinalReplyState;
  signal: AbortSignal;
}): AsyncGenerator<AgentEvent, FinalReplyDecision> {
  const { hooks, state, structured } = options;
  let continueWith = hooks?.stop
    ? (await hooks.stop({ active: state.stopContinuations > 0, signal: options.signal })).continueWith
    : undefined;
  yield* hookNotices(hooks);
  if (continueWith && state.stopContinuations >= MAX_STOP_CONTINUATIONS) {
    // Not a silent stop: the hook still wants more, and the user should know it was overruled.
    yield {
      type: "notice",
      level: "warning",
      message: `A Stop hook asked to continue again; stopped after ${MAX_STOP_CONTINUATIONS} continuations in this run.`,
    };
    continueWith = undefined;
  }
  if (continueWith) {
    state.stopContinuations++;
    return { kind: "continue", nudge: `A Stop hook asked you to continue: ${continueWith}` };
  }
  if (!structured) return { kind: "finish" };
  if (state.structuredRetries >= structured.maxRetries) {
    return {
      kind: "fail",
      message: `The model did not provide a valid structured output (the ${structured.toolName} tool) after ${structured.maxRetries} reminders.`,
    };
  }
  state.structuredRetries++;
  return { kind: "continue", nudge: structured.instruction };
}

/** The input of a successful StructuredOutput call among a batch's calls; undefined when there is none. */
export function providedStructuredOutput(
  structured: StructuredOutputConfig | undefined,
  calls: ReadonlyArray<{ block: Extract<ContentBlock, { type: "tool_use" }> }>,
  results: Record<string, ToolResult>,
): { value: unknown } | undefined {
  if (!structured) return undefined;
  for (const call of calls) {
    if (call.block.name !== structured.toolName) continue;
    const result = results[call.block.id];
    if (result && !result.isError) return { value: result.details?.structured_output ?? call.block.input };
  }
  return undefined;
}
