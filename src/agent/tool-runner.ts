// Runs one assistant message's tool calls: validation, hooks, the permission gate, then execution.
// Consecutive read-only calls run concurrently; everything else runs in order. Results keep call order.
import type { ToolResultBlock, ToolUseBlock, Usage } from "../api/types.js";
import type { AskPermission, PermissionDecision, PermissionGate } from "../policy/permission-types.js";
import { loadTools } from "../tools/registry.js";
import type { Tool, ToolContext, ToolResult } from "../tools/types.js";
import type { AgentEvent, PermissionDenial } from "./events.js";
import type { AgentHooks } from "./hook-types.js";

export interface ToolRunnerDeps {
  tools: Map<string, Tool>;
  gate: PermissionGate;
  askPermission?: AskPermission;
  hooks?: AgentHooks;
  toolContext: Omit<ToolContext, "signal" | "onUpdate">;
  /** Runs before a tool that may change files (write or execute kind): the checkpoint of the prompt. */
  beforeChange?: (paths: string[]) => Promise<void>;
  /** Where a subagent's token usage is added, so the run's totals and cost include it. */
  usage?: { add(model: string, usage: Usage): void };
}

/** A tool that reports events of its own besides its result (the Agent tool: its subagent's messages). */
export interface EventReportingTool<Input = unknown> extends Tool<Input> {
  executeReporting(
    input: Input,
    ctx: ToolContext,
    report: {
      toolUseId: string;
      emit(event: AgentEvent): void;
      /** The run's checkpoint hook: file changes the tool causes belong to the prompt that made the call. */
      beforeChange?: (paths: string[]) => Promise<void>;
    },
  ): Promise<ToolResult>;
}

function reportsEvents(tool: Tool): tool is EventReportingTool {
  return typeof (tool as Partial<EventReportingTool>).executeReporting === "function";
}

export interface ToolCall {
  block: ToolUseBlock;
  /** Set when the streamed input JSON was invalid: the call must not run. */
  inputError?: string;
}

export interface ToolBatchOutcome {
  results: ToolResultBlock[];
  byId: Record<string, ToolResult>;
  denials: PermissionDenial[];
  interrupted: boolean;
}

const INTERRUPTED = "Interrupted by user: the tool call did not complete.";

function errorResult(message: string): ToolResult {
  return { content: message, isError: true, display: message };
}

/** Runs the calls, emitting tool_start/tool_update/tool_end/permission_denied through `emit`. */
async function runToolCalls(
  calls: ToolCall[],
  deps: ToolRunnerDeps,
  signal: AbortSignal,
  emitEvent: (event: AgentEvent) => void,
): Promise<ToolBatchOutcome> {
  const byId: Record<string, ToolResult> = {};
  const denials: PermissionDenial[] = [];
  const emit = (event: AgentEvent) => {
    // A subagent's refused calls are the run's too (json `permission_denials`).
    if (event.type === "subagent" && event.event.type === "permission_denied") {
      const { id, name, input } = event.event;
      denials.push({ tool_name: name, tool_use_id: id, tool_input: input });
    }
    emitEvent(event);
  };
  // Built-in tools load their code (and zod) at their first call: a turn that calls none never pays for them.
  await loadTools(calls.map((call) => deps.tools.get(call.block.name)));

  const runOne = async (call: ToolCall): Promise<void> => {
    const { id, name, input } = call.block;
    if (signal.aborted) {
      byId[id] = errorResult(INTERRUPTED);
      return;
    }
    const tool = deps.tools.get(name);
    const summary = tool ? describeCall(tool, input) : name;
    emit({ type: "tool_start", id, name, input, summary });
    // The duration is the tool's own run: time spent waiting for the user's approval is not part of it.
    const timing = { started: Date.now() };
    let result: ToolResult;
    try {
      result = await executeCall(call, tool, { deps, signal, emit, denials, timing });
    } catch (error) {
      // A hook or the permission prompt failed: this call fails, the batch and the session go on.
      const reason = error instanceof Error ? error.message : String(error);
      result = signal.aborted ? errorResult(INTERRUPTED) : errorResult(`${name} was not run: ${reason}`);
    }
    byId[id] = result;
    emit({ type: "tool_end", id, name, result, durationMs: Date.now() - timing.started });
  };

  let index = 0;
  while (index < calls.length) {
    const call = calls[index]!;
    if (isConcurrentRead(call, deps.tools)) {
      const group: ToolCall[] = [];
      while (index < calls.length && isConcurrentRead(calls[index]!, deps.tools)) group.push(calls[index++]!);
      await Promise.all(group.map(runOne));
    } else {
      await runOne(call);
      index++;
    }
  }

  const results: ToolResultBlock[] = calls.map(({ block }) => {
    const result = byId[block.id] ?? errorResult(INTERRUPTED);
    byId[block.id] = result;
    const out: ToolResultBlock = {
      type: "tool_result",
      tool_use_id: block.id,
      content: sendableContent(result.content),
    };
    if (result.isError) out.is_error = true;
    return out;
  });
  return { results, byId, denials, interrupted: signal.aborted };
}

/** The API rejects (400) whitespace-only text blocks, which e.g. an MCP server may return next to an image. */
function sendableContent(content: ToolResult["content"]): ToolResultBlock["content"] {
  if (typeof content === "string") return content;
  const kept = content.filter((b) => b.type !== "text" || b.text.trim() !== "");
  return kept.length > 0 ? kept : "(no output)";
}

/** runToolCalls as an event stream: yields each tool event as it happens, returns the outcome. */
export async function* streamToolCalls(
  calls: ToolCall[],
  deps: ToolRunnerDeps,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, ToolBatchOutcome> {
  const events: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  const batch = runToolCalls(calls, deps, signal, (event) => {
    if (event.type === "subagent" && event.event.type === "usage")
      deps.usage?.add(event.event.model, event.event.usage);
    events.push(event);
    wake?.();
  });
  let settled = false;
  const settle = () => {
    settled = true;
    wake?.();
  };
  // Both outcomes end the wait; a rejection is rethrown to the caller by `return batch` below.
  batch.then(settle, settle);
  while (!settled || events.length > 0) {
    if (events.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    while (events.length > 0) yield events.shift()!;
  }
  return batch;
}

function isConcurrentRead(call: ToolCall, tools: Map<string, Tool>): boolean {
  return tools.get(call.block.name)?.kind === "read";
}

/** The one-line form of a call the UI shows: the tool's summary of its input ("Read(src/a.ts)"), else its name. */
export function describeCall(tool: Tool, input: unknown): string {
  if (tool.summary) {
    const parsed = tool.parse(input);
    if (parsed.ok) return tool.summary(parsed.value);
  }
  return tool.name;
}

/** What one call needs from the batch it runs in. */
interface CallContext {
  deps: ToolRunnerDeps;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
  denials: PermissionDenial[];
  /** Set when the tool itself starts (after any approval), for the duration shown. */
  timing: { started: number };
}

async function executeCall(call: ToolCall, tool: Tool | undefined, run: CallContext): Promise<ToolResult> {
  const { deps, signal, emit, denials, timing } = run;
  const { id, name, input } = call.block;
  if (!tool) {
    const known = [...deps.tools.keys()].join(", ");
    return errorResult(`No tool named "${name}". Available tools: ${known}.`);
  }
  if (call.inputError) {
    return errorResult(`The call to ${name} was not run: ${call.inputError}`);
  }
  let parsed = tool.parse(input);
  if (!parsed.ok) return errorResult(`Invalid input for ${name}: ${parsed.error}`);

  const deny = (reason: string): ToolResult => {
    denials.push({ tool_name: name, tool_use_id: id, tool_input: input });
    emit({ type: "permission_denied", id, name, input, reason });
    return errorResult(reason);
  };

  const hook = deps.hooks?.preToolUse
    ? await deps.hooks.preToolUse({ toolName: name, input, toolUseId: id }, signal)
    : {};
  if (hook.block) return deny(`Blocked by a PreToolUse hook: ${hook.block}`);

  let decision: PermissionDecision;
  try {
    decision = await decide(tool, parsed.value, deps);
  } catch (error) {
    // e.g. a symlink loop: the path cannot be resolved, so it cannot be checked, so the call cannot run.
    return errorResult(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (hook.permissionDecision === "allow") decision = { behavior: "allow" };
  else if (hook.permissionDecision === "deny") {
    decision = {
      behavior: "deny",
      reason: `Denied by a PreToolUse hook: ${hook.reason ?? "no reason given"}`,
    };
  } else if (hook.permissionDecision === "ask" && decision.behavior === "allow") {
    decision = { behavior: "ask", reason: hook.reason ?? "A hook asked for confirmation." };
  }

  if (decision.behavior === "deny") return deny(decision.reason);
  if (decision.behavior === "ask") {
    // A call that cannot work (an Edit of a file not read yet, text that is not there) is not put to the user:
    // the model gets the reason at once. Denied calls are refused first, so a check never probes a denied path.
    const problem = await precondition(tool, parsed.value, deps);
    if (problem) return errorResult(problem);
    if (!deps.askPermission) {
      return deny(
        `Permission to use ${name} was not granted: ${decision.reason} (no one was asked: non-interactive run)`,
      );
    }
    const answer = await deps.askPermission(
      {
        toolUseId: id,
        toolName: name,
        input,
        reason: decision.reason,
        suggestedRule: decision.suggestedRule,
      },
      signal,
    );
    if (signal.aborted) return errorResult(INTERRUPTED);
    if (answer.behavior === "deny") {
      const why = answer.message ? `: ${answer.message}` : ".";
      return deny(`The user denied permission to use ${name}${why}`);
    }
    if (answer.remember && answer.rule) deps.gate.addSessionRule("allow", answer.rule);
    if (answer.updatedInput !== undefined) {
      // The approver rewrote the call: the new input is validated like the model's, and is what runs.
      parsed = tool.parse(answer.updatedInput);
      if (!parsed.ok) return errorResult(`Invalid input for ${name}: ${parsed.error}`);
    }
  }

  if (deps.beforeChange && (tool.kind === "write" || tool.kind === "execute")) {
    await deps.beforeChange(tool.paths ? tool.paths(parsed.value) : []);
  }
  let result: ToolResult;
  timing.started = Date.now();
  try {
    const ctx: ToolContext = {
      ...deps.toolContext,
      signal,
      toolUseId: id,
      onUpdate: (text) => emit({ type: "tool_update", id, text }),
    };
    result = reportsEvents(tool)
      ? await tool.executeReporting(parsed.value, ctx, {
          toolUseId: id,
          emit,
          beforeChange: deps.beforeChange,
        })
      : await tool.execute(parsed.value, ctx);
  } catch (error) {
    if (signal.aborted) return errorResult(INTERRUPTED);
    const message = error instanceof Error ? error.message : String(error);
    result = errorResult(`${name} failed: ${message}`);
  }

  if (deps.hooks?.postToolUse) {
    const post = await deps.hooks.postToolUse({ toolName: name, input, toolUseId: id, result }, signal);
    const extra = post.block ?? post.additionalContext;
    if (extra) result = { ...result, content: appendText(result.content, extra) };
  }
  return result;
}

async function precondition(tool: Tool, input: unknown, deps: ToolRunnerDeps): Promise<string | undefined> {
  if (!tool.check) return undefined;
  try {
    // Only inside the workspace: a check's answer ("no such file; did you mean …") must not tell the model
    // about places it has not been allowed to look.
    const { workspace } = deps.toolContext;
    for (const path of tool.paths ? tool.paths(input as never) : []) {
      if (!workspace.contains(await workspace.resolve(path))) return undefined;
    }
    return await tool.check(input, deps.toolContext);
  } catch {
    // A check that cannot tell (an unreadable directory) leaves the verdict to the tool itself.
    return undefined;
  }
}

async function decide(tool: Tool, input: unknown, deps: ToolRunnerDeps) {
  // The gate resolves the paths itself: deny rules match both the written and the resolved path.
  const paths = tool.paths ? tool.paths(input as never) : [];
  return deps.gate.decide({ toolName: tool.name, input, paths, kind: tool.kind });
}

function appendText(content: ToolResult["content"], extra: string): ToolResult["content"] {
  if (typeof content === "string") return `${content}\n\n${extra}`;
  return [...content, { type: "text", text: extra }];
}
