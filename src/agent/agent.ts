// The conversation loop: stream a reply, run its tool calls through the gate, send results back, repeat.
// UI-agnostic: it yields AgentEvents; print mode, stream-json and the REPL only consume them.
import { randomUUID } from "node:crypto";
import type { ApiError, ContentBlock, Message, Provider, Usage } from "../api/types.js";
import type { AskPermission, PermissionGate } from "../policy/permission-types.js";
import type { Tool, ToolContext } from "../tools/types.js";
import type { CompactionReason, Compactor } from "./compaction-types.js";
import type { AgentEvent, ResultSubtype, RunSummary } from "./events.js";
import {
  decideFinalReply,
  hookNotices,
  providedStructuredOutput,
  type StructuredOutputConfig,
} from "./final-reply.js";
import type { AgentHooks } from "./hook-types.js";
import { RunState } from "./run-state.js";
import { abortedError, type ReplyOutcome, streamReply, textOf } from "./stream-reply.js";
import { streamToolCalls } from "./tool-runner.js";
import { type CostFunction, type ModelLimits, UsageTracker } from "./usage-tracker.js";

export interface AgentConfig {
  provider: Provider;
  model: string;
  system: string[];
  tools: Tool[];
  gate: PermissionGate;
  toolContext: Omit<ToolContext, "signal" | "onUpdate">;
  costFor: CostFunction;
  limits: ModelLimits;
  askPermission?: AskPermission;
  hooks?: AgentHooks;
  compactor?: Compactor;
  maxTurns?: number;
  /** Stop a prompt once what it has spent reaches this many dollars (--max-budget-usd). */
  maxBudgetUsd?: number;
  /** Checkpoints each prompt's file changes so they can be rewound. */
  checkpoints?: ChangeTracker;
  /** Called when a prompt starts a run: state scoped to one run (active skills) starts afresh. */
  onRunStart?: () => void;
  /** --json-schema: the run ends with a StructuredOutput call, and fails when the model never makes one. */
  structuredOutput?: StructuredOutputConfig;
}

/** What the loop tells the checkpoint store (FileCheckpoints satisfies it). */
export interface ChangeTracker {
  /** The model started answering a new prompt: a snapshot may start now, while it thinks. */
  promptStarted?(promptId: string): void;
  /** Before a tool that may change files runs; `paths` are the files it names. */
  beforeChange(promptId: string, paths: readonly string[]): Promise<void>;
  /** When the prompt's run has ended, however it ended. */
  afterPrompt(promptId: string): Promise<void>;
}

export interface RunOptions {
  signal: AbortSignal;
  /** The prompt's id for checkpoints and rewind (an embedding host may name it); default a fresh uuid. */
  promptId?: string;
}

export class Agent {
  private history: Message[];
  private currentModel: string;
  /** The history as it was before the latest prompt (copies: a prompt may be merged into a trailing user message). */
  private beforeLastPrompt: Message[] | undefined;
  readonly usage: UsageTracker;
  /** Input tokens of the last request (context size), for auto-compaction and the UI's context meter. */
  lastInputTokens = 0;
  private readonly tools: Map<string, Tool>;

  constructor(
    private readonly config: AgentConfig,
    history: Message[] = [],
  ) {
    this.history = [...history];
    this.currentModel = config.model;
    this.usage = new UsageTracker(config.costFor, config.limits);
    this.tools = new Map(config.tools.map((t) => [t.name, t]));
  }

  /** The conversation so far, as the next request sends it. */
  get messages(): readonly Message[] {
    return this.history;
  }

  /** The model the next request uses. */
  get model(): string {
    return this.currentModel;
  }

  /** Switches the model from the next request on (/model, the SDK's set_model). */
  setModel(model: string): void {
    this.currentModel = model;
  }

  /**
   * Takes the latest prompt back out of the conversation (interrupted or failed before the model answered),
   * so sending it again does not put it in front of the model twice. False when there is nothing to withdraw.
   */
  withdrawLastPrompt(): boolean {
    if (!this.beforeLastPrompt || this.history.length < this.beforeLastPrompt.length) return false;
    this.history = this.beforeLastPrompt;
    this.beforeLastPrompt = undefined;
    return true;
  }

  /** Continues from an earlier point of the conversation (/rewind); the last measured context size no longer holds. */
  rewindHistory(messages: Message[]): void {
    this.history = [...messages];
    this.beforeLastPrompt = undefined;
    this.lastInputTokens = 0;
  }

  /** Forgets the conversation (the SDK's and ACP's fresh start); usage totals are kept. */
  clear(): void {
    this.history = [];
    this.beforeLastPrompt = undefined;
    this.lastInputTokens = 0;
  }

  /** The system prompt's blocks, as sent with each request. */
  get systemPrompt(): readonly string[] {
    return this.config.system;
  }

  /** What every tool call gets besides its signal (subagents share it). */
  get toolContext(): AgentConfig["toolContext"] {
    return this.config.toolContext;
  }

  get toolList(): Tool[] {
    return [...this.tools.values()];
  }

  /** Adds tools after start (MCP servers that finished connecting). */
  addTools(tools: Tool[]): void {
    for (const tool of tools) this.tools.set(tool.name, tool);
  }

  /** Runs one user prompt to completion. The final event is always `done`. */
  async *run(prompt: string | ContentBlock[], options: RunOptions): AsyncGenerator<AgentEvent, RunSummary> {
    const promptId = options.promptId ?? randomUUID();
    try {
      return yield* this.runPrompt(prompt, promptId, options);
    } finally {
      // Also when interrupted: what the prompt changed so far is what a rewind must undo.
      await this.config.checkpoints?.afterPrompt(promptId);
    }
  }

  private async *runPrompt(
    prompt: string | ContentBlock[],
    promptId: string,
    options: RunOptions,
  ): AsyncGenerator<AgentEvent, RunSummary> {
    const { signal } = options;
    const state = new RunState();
    this.config.onRunStart?.();
    const finish = (subtype: ResultSubtype, result: string, error?: ApiError): RunSummary =>
      state.summarize(this.usage, subtype, result, error);

    let content: string | ContentBlock[] = prompt;
    if (typeof prompt === "string" && this.config.hooks?.userPromptSubmit) {
      const hook = await this.config.hooks.userPromptSubmit(prompt, signal);
      yield* hookNotices(this.config.hooks);
      if (hook.block) {
        const summary = finish(
          "error_during_execution",
          `Prompt blocked by a UserPromptSubmit hook: ${hook.block}`,
        );
        yield { type: "done", summary };
        return summary;
      }
      if (hook.additionalContext) content = `${prompt}\n\n${hook.additionalContext}`;
    }
    const userMessage: Message = { role: "user", content };
    this.beforeLastPrompt = this.history.map((m) => ({ ...m }));
    this.appendUser(userMessage);
    // Started once the first request is answering, so that git's process start does not delay the request.
    let snapshotStarted = false;
    const onAnswerStarted = () => {
      if (snapshotStarted) return;
      snapshotStarted = true;
      this.config.checkpoints?.promptStarted?.(promptId);
    };
    yield { type: "user_message", message: userMessage, promptId };

    let compactedForTooLong = false;
    const sentBack = { stopContinuations: 0, structuredRetries: 0 };
    const costBefore = this.usage.costUsd;
    for (;;) {
      const limit = state.limitReached(this.config, this.usage.costUsd - costBefore);
      if (limit) {
        const summary = finish(limit.subtype, limit.message);
        yield { type: "done", summary };
        return summary;
      }
      const abortedBefore = signal.aborted;
      yield* this.compactIfNeeded("auto", signal);
      if (signal.aborted && !abortedBefore) {
        // Interrupted during the compaction summary: stop before sending another request.
        yield* this.recordInterruption("");
        const summary = finish("error_during_execution", "Interrupted by user.", abortedError());
        yield { type: "done", summary };
        return summary;
      }
      state.turns++;
      yield { type: "turn_start", turn: state.turns };

      const outcome = yield* this.streamOne(signal, state, onAnswerStarted);
      if (outcome.kind === "error") {
        if (outcome.error.kind === "prompt_too_long" && this.config.compactor && !compactedForTooLong) {
          compactedForTooLong = true;
          const compacted = yield* this.compactIfNeeded("prompt_too_long", signal);
          if (compacted) {
            // The rejected request is not a turn: the retry with the compacted history takes its place.
            state.turns--;
            continue;
          }
        }
        if (outcome.error.kind === "aborted" || signal.aborted) {
          yield* this.recordInterruption(outcome.partialText);
          const summary = finish("error_during_execution", "Interrupted by user.", outcome.error);
          yield { type: "done", summary };
          return summary;
        }
        const summary = finish("error_during_execution", outcome.error.message, outcome.error);
        yield { type: "done", summary };
        return summary;
      }

      // The compacted history went through: a later "prompt is too long" in this run may compact again.
      compactedForTooLong = false;
      const message = outcome.message;
      const calls = outcome.calls;
      if (calls.length === 0) {
        const decision = yield* decideFinalReply({
          hooks: this.config.hooks,
          structured: this.config.structuredOutput,
          state: sentBack,
          signal,
        });
        if (decision.kind === "continue") {
          const nudge: Message = { role: "user", content: decision.nudge };
          this.appendUser(nudge);
          yield { type: "user_message", message: nudge };
          continue;
        }
        const summary =
          decision.kind === "fail"
            ? finish("error_max_structured_output_retries", decision.message)
            : finish("success", textOf(message));
        yield { type: "done", summary };
        return summary;
      }

      // Tool events reach the frontend as they happen, not only when the whole batch is done.
      const done = yield* streamToolCalls(calls, this.toolDeps(promptId), signal);
      state.denials.push(...done.denials);
      yield* hookNotices(this.config.hooks);
      const resultMessage: Message = { role: "user", content: done.results };
      this.appendUser(resultMessage);
      yield { type: "user_message", message: resultMessage, toolResults: done.byId };
      if (done.interrupted || signal.aborted) {
        const summary = finish("error_during_execution", "Interrupted by user.", {
          kind: "aborted",
          message: "Interrupted by user.",
        });
        yield { type: "done", summary };
        return summary;
      }
      const structured = providedStructuredOutput(this.config.structuredOutput, calls, done.byId);
      if (structured) {
        // The StructuredOutput call is the answer: the run ends without another request.
        const summary = finish("success", textOf(message) || JSON.stringify(structured.value));
        summary.structuredOutput = structured.value;
        yield { type: "done", summary };
        return summary;
      }
    }
  }

  /** Manual compaction (/compact). */
  async *compact(instructions: string | undefined, signal: AbortSignal): AsyncGenerator<AgentEvent, boolean> {
    return yield* this.compactIfNeeded("manual", signal, instructions);
  }

  private toolDeps(promptId: string) {
    const checkpoints = this.config.checkpoints;
    return {
      beforeChange: checkpoints ? (paths: string[]) => checkpoints.beforeChange(promptId, paths) : undefined,
      tools: this.tools,
      gate: this.config.gate,
      askPermission: this.config.askPermission,
      hooks: this.config.hooks,
      toolContext: this.config.toolContext,
      usage: this.usage,
    };
  }

  private async *compactIfNeeded(
    reason: CompactionReason,
    signal: AbortSignal,
    instructions?: string,
  ): AsyncGenerator<AgentEvent, boolean> {
    const compactor = this.config.compactor;
    if (!compactor || signal.aborted) return false;
    if (reason === "auto" && this.lastInputTokens === 0) return false;
    if (compactor.shouldCompact && !compactor.shouldCompact(reason, this.lastInputTokens)) return false;
    yield { type: "compaction_start", reason };
    await this.config.hooks?.preCompact?.(reason);
    const outcome = await compactor.maybeCompact({
      messages: this.history,
      lastInputTokens: this.lastInputTokens,
      reason,
      instructions,
      signal,
    });
    if (!outcome) {
      yield {
        type: "notice",
        level: "info",
        message: signal.aborted
          ? "Compaction interrupted: the conversation was left as it was."
          : "Nothing to compact yet: the conversation is too short.",
      };
      return false;
    }
    this.history = outcome.messages;
    this.lastInputTokens = outcome.tokensAfter;
    yield {
      type: "compaction_end",
      messagesSummarized: outcome.messagesSummarized,
      tokensBefore: outcome.tokensBefore,
      tokensAfter: outcome.tokensAfter,
      summary: outcome.summary,
      filesMentioned: outcome.filesMentioned,
      messages: outcome.messages,
    };
    return true;
  }

  private async *streamOne(
    signal: AbortSignal,
    state: RunState,
    onAnswerStarted: () => void,
  ): AsyncGenerator<AgentEvent, ReplyOutcome> {
    const started = Date.now();
    try {
      const outcome = yield* streamReply({
        provider: this.config.provider,
        model: this.currentModel,
        maxTokens: this.config.limits(this.currentModel).maxOutputTokens,
        system: this.config.system,
        messages: this.history,
        tools: this.toolList,
        signal,
        onAnswerStarted,
        onUsage: (model, usage) => this.recordUsage(model, usage),
        onReply: (_message, kept) => {
          if (kept.length > 0) this.history.push({ role: "assistant", content: kept });
        },
      });
      if (outcome.kind === "message") state.lastStopReason = outcome.stopReason;
      return outcome;
    } finally {
      state.apiMs += Date.now() - started;
    }
  }

  private recordUsage(model: string, usage: Usage): void {
    this.usage.add(model, usage);
    this.lastInputTokens =
      usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
  }

  private *recordInterruption(partialText: string): Generator<AgentEvent> {
    yield { type: "interrupted", partialText };
    if (partialText.trim()) {
      // Kept so the model knows what it had said, and marked so nobody mistakes it for a finished answer.
      this.history.push({
        role: "assistant",
        content: [{ type: "text", text: `${partialText}\n\n[interrupted by user]` }],
      });
    }
  }

  /** Consecutive user messages are merged so the history always alternates roles. */
  private appendUser(message: Message): void {
    const last = this.history[this.history.length - 1];
    if (last?.role === "user") {
      last.content = [...toBlocks(last.content), ...toBlocks(message.content)];
      return;
    }
    this.history.push({ role: "user", content: message.content });
  }
}

function toBlocks(content: string | ContentBlock[]): ContentBlock[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
