// Accumulates token usage and cost per model across a run (and a resumed session).
import type { Usage } from "../api/types.js";
import { emptyUsage } from "../api/types.js";
import type { ModelUsageEntry } from "./events.js";

export type CostFunction = (model: string, usage: Usage) => { usd: number; estimated: boolean };
export type ModelLimits = (model: string) => { contextWindow: number; maxOutputTokens: number };

export class UsageTracker {
  readonly total: Usage = emptyUsage();
  readonly byModel: Record<string, ModelUsageEntry> = {};
  costUsd = 0;
  costEstimated = false;

  constructor(
    private readonly costFor: CostFunction,
    private readonly limits: ModelLimits,
  ) {}

  add(model: string, usage: Usage): void {
    this.total.input_tokens += usage.input_tokens;
    this.total.output_tokens += usage.output_tokens;
    this.total.cache_creation_input_tokens += usage.cache_creation_input_tokens;
    this.total.cache_read_input_tokens += usage.cache_read_input_tokens;
    const cost = this.costFor(model, usage);
    this.costUsd += cost.usd;
    if (cost.estimated) this.costEstimated = true;
    const limits = this.limits(model);
    const entry = this.byModel[model] ?? {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      costUSD: 0,
      contextWindow: limits.contextWindow,
      maxOutputTokens: limits.maxOutputTokens,
    };
    this.byModel[model] = entry;
    entry.inputTokens += usage.input_tokens;
    entry.outputTokens += usage.output_tokens;
    entry.cacheReadInputTokens += usage.cache_read_input_tokens;
    entry.cacheCreationInputTokens += usage.cache_creation_input_tokens;
    entry.costUSD += cost.usd;
  }
}
