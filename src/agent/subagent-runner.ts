// Runs one subagent: a fresh conversation in the one Agent loop, with the agent's own prompt, model and tool
// subset, sharing the parent's provider, permission gate, hooks and abort signal. At most a few run at once.
import { randomUUID } from "node:crypto";
import { resolveModel } from "../api/models.js";
import type { Provider, Usage } from "../api/types.js";
import type { AgentDefinition } from "../config/agents.js";
import type { AskPermission, PermissionGate } from "../policy/permission-types.js";
import { STRUCTURED_OUTPUT_TOOL } from "../tools/structured-output-name.js";
import type { Tool, ToolContext, ToolResult } from "../tools/types.js";
import { formatTokens } from "../util/format-tokens.js";
import { Agent } from "./agent.js";
import type { AgentEvent, RunSummary } from "./events.js";
import type { AgentHooks } from "./hook-types.js";
import { askOnBehalfOf, readOnlyGate } from "./subagent-gate.js";
import type { CostFunction, ModelLimits } from "./usage-tracker.js";

/** Where a subagent's conversation is saved (beside the session file). */
export interface SubagentTranscript {
  readonly path: string;
  record(event: AgentEvent): void;
  close(): void;
}

export interface SubagentRunnerDeps {
  provider: Provider;
  /** The parent's model right now: "inherit" and agents without a model use it. */
  parentModel(): string;
  /** The parent's tools right now (MCP tools may join after start). */
  parentTools(): Tool[];
  gate: PermissionGate;
  askPermission?: AskPermission;
  hooks?: AgentHooks;
  /** The parent's tool context (cwd, workspace, sandbox, side requests) when a subagent starts. */
  toolContext(): Omit<ToolContext, "signal" | "onUpdate">;
  costFor: CostFunction;
  limits: ModelLimits;
  /** claw's environment section of the system prompt (working directory, platform, date) for a model. */
  environment(model: string): Promise<string>;
  openTranscript?(
    agentId: string,
    agentType: string,
    parentToolUseId: string,
  ): SubagentTranscript | undefined;
  /** How many subagents may run at the same time (default 4). */
  maxConcurrent?: number;
  maxTurns?: number;
}

export interface SubagentRequest {
  agent: AgentDefinition;
  prompt: string;
  /** The Agent call's `model` (sonnet / opus / haiku), over the agent's own. */
  model?: string;
  toolUseId: string;
  signal: AbortSignal;
  /** The subagent's events, for the front end (stream-json, the REPL) and the parent's accounting. */
  emit(event: AgentEvent): void;
  /** The parent prompt's checkpoint: what the subagent changes is rewound with the prompt that started it. */
  beforeChange?: (paths: string[]) => Promise<void>;
  /** One line of progress under the Agent call: current tool, tool count, tokens. */
  onProgress?(line: string): void;
}

/** Events a front end never needs from a subagent (deltas would flood every consumer). */
const QUIET_EVENTS = new Set<AgentEvent["type"]>(["text_delta", "thinking_delta", "raw", "turn_start"]);

export interface SubagentRunner {
  run(request: SubagentRequest): Promise<ToolResult>;
}

export function createSubagentRunner(deps: SubagentRunnerDeps): SubagentRunner {
  const slots = new Semaphore(deps.maxConcurrent ?? 4);
  return {
    async run(request) {
      const release = await slots.acquire(request.signal);
      if (!release) return interrupted();
      try {
        return await runOne(deps, request);
      } finally {
        release();
      }
    },
  };
}

async function runOne(deps: SubagentRunnerDeps, request: SubagentRequest): Promise<ToolResult> {
  const { agent: definition, signal } = request;
  const agentType = definition.name;
  const started = Date.now();
  const agentId = randomUUID().replace(/-/g, "").slice(0, 16);
  const model = chooseModel(request.model ?? definition.model, deps.parentModel());
  const tools = toolsFor(definition, deps.parentTools());
  const transcript = deps.openTranscript?.(agentId, agentType, request.toolUseId);
  const hooks = deps.hooks;
  const info = { agentId, agentType };

  const system = [definition.prompt, await deps.environment(model)];
  const start = await hooks?.subagentStart?.(info, signal);
  if (start?.additionalContext) system.push(start.additionalContext);

  const subagentHooks: AgentHooks | undefined = hooks && {
    preToolUse: hooks.preToolUse?.bind(hooks),
    postToolUse: hooks.postToolUse?.bind(hooks),
    drainNotices: hooks.drainNotices?.bind(hooks),
    // The subagent's own stop is SubagentStop, not the main agent's Stop.
    stop: async (options) =>
      (await hooks.subagentStop?.(
        { ...info, transcriptPath: transcript?.path, stopHookActive: options?.active ?? false },
        options?.signal,
      )) ?? {},
  };

  const agent = new Agent({
    provider: deps.provider,
    model,
    system,
    tools,
    gate: definition.readOnly ? readOnlyGate(deps.gate, agentType) : deps.gate,
    askPermission: askOnBehalfOf(deps.askPermission, agentType),
    hooks: subagentHooks,
    // Its own todo list: the parent's plan is not the subagent's.
    toolContext: { ...deps.toolContext(), session: { ...deps.toolContext().session, todos: [] } },
    costFor: deps.costFor,
    limits: deps.limits,
    maxTurns: deps.maxTurns,
    checkpoints: request.beforeChange && {
      beforeChange: (_subPrompt, paths) => request.beforeChange!([...paths]),
      afterPrompt: async () => {},
    },
  });

  const progress = new Progress(request.onProgress);
  let summary: RunSummary | undefined;
  try {
    for await (const event of agent.run(request.prompt, { signal })) {
      transcript?.record(event);
      if (event.type === "done") summary = event.summary;
      progress.see(event);
      if (!QUIET_EVENTS.has(event.type) && event.type !== "done")
        request.emit({ type: "subagent", parentToolUseId: request.toolUseId, agentType, event });
    }
  } catch (error) {
    // A bug, not an API failure (those arrive as events): the parent still gets a result and goes on.
    return failed(agentType, error instanceof Error ? error.message : String(error));
  } finally {
    transcript?.close();
  }

  if (!summary || signal.aborted || summary.error?.kind === "aborted") return interrupted();
  const stats = {
    agentId,
    agentType,
    totalToolUseCount: progress.toolUses,
    totalTokens: totalTokens(summary.usage),
    totalDurationMs: Date.now() - started,
    usage: summary.usage,
  };
  if (summary.isError) return { ...failed(agentType, summary.result), details: stats };
  const text = summary.result.trim() || `(the ${agentType} agent finished without a final message)`;
  return {
    content: text,
    // The front end adds the call's duration itself.
    display: `Done (${progress.describe()})`,
    details: { status: "completed", ...stats },
  };
}

/** "sonnet" / "opus" / "haiku" / a model id, or the parent's model for "inherit" and none. */
function chooseModel(wanted: string | undefined, parentModel: string): string {
  if (!wanted || wanted === "inherit") return parentModel;
  return resolveModel({ flag: wanted, env: {} });
}

/** The agent's tool list, or the parent's without Agent: subagents cannot start subagents. */
function toolsFor(definition: AgentDefinition, parentTools: Tool[]): Tool[] {
  // The StructuredOutput call (--json-schema) ends the main conversation's task, never a subagent's.
  const candidates = parentTools.filter(
    (tool) => tool.name !== "Agent" && tool.name !== STRUCTURED_OUTPUT_TOOL,
  );
  if (!definition.tools) return candidates;
  const wanted = new Set(definition.tools.map((name) => name.replace(/\(.*\)$/s, "").trim()));
  if (wanted.has("*")) return candidates;
  return candidates.filter(
    (tool) =>
      wanted.has(tool.name) ||
      // mcp__server names every tool of that server.
      [...wanted].some((name) => name.startsWith("mcp__") && tool.name.startsWith(`${name}__`)),
  );
}

function totalTokens(usage: Usage): number {
  return (
    usage.input_tokens +
    usage.output_tokens +
    usage.cache_creation_input_tokens +
    usage.cache_read_input_tokens
  );
}

function failed(agentType: string, why: string): ToolResult {
  const message = `The ${agentType} agent failed: ${why}`;
  return { content: message, display: message, isError: true };
}

function interrupted(): ToolResult {
  const message = "Interrupted by user: the subagent was stopped before it finished.";
  return { content: message, display: "Interrupted", isError: true };
}

/** Counts the subagent's tool calls and tokens and reports them as one line. */
class Progress {
  toolUses = 0;
  private tokens = 0;
  private current = "";

  constructor(private readonly report: ((line: string) => void) | undefined) {}

  see(event: AgentEvent): void {
    if (event.type === "tool_start") {
      this.toolUses++;
      this.current = event.summary;
    } else if (event.type === "usage") {
      this.tokens += totalTokens(event.usage);
    } else return;
    this.report?.(this.current ? `${this.current} · ${this.describe()}` : this.describe());
  }

  describe(): string {
    const uses = `${this.toolUses} tool ${this.toolUses === 1 ? "use" : "uses"}`;
    return `${uses} · ${formatTokens(this.tokens)} tokens`;
  }
}

/** A counting semaphore whose wait ends (with undefined) when the signal fires. */
class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async acquire(signal: AbortSignal): Promise<(() => void) | undefined> {
    while (this.free === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = this.waiting.indexOf(wake);
          if (index >= 0) this.waiting.splice(index, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    if (signal.aborted) return undefined;
    this.free--;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free++;
      this.waiting.shift()?.();
    };
  }
}
