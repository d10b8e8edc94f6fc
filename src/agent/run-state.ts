// What one prompt's run accumulates (turns, API time, refusals) and the summary it ends with.
import type { ApiError } from "../api/types.js";
import type { PermissionDenial, ResultSubtype, RunSummary } from "./events.js";
import type { UsageTracker } from "./usage-tracker.js";

export class RunState {
  turns = 0;
  apiMs = 0;
  lastStopReason: string | null = null;
  denials: PermissionDenial[] = [];

  /** The limit this run has reached (--max-budget-usd for what it spent, --max-turns), or undefined. */
  limitReached(
    limits: { maxBudgetUsd?: number; maxTurns?: number },
    spentUsd: number,
  ): { subtype: ResultSubtype; message: string } | undefined {
    const { maxBudgetUsd, maxTurns } = limits;
    if (maxBudgetUsd !== undefined && spentUsd >= maxBudgetUsd)
      return { subtype: "error_max_budget_usd", message: `Reached the maximum budget ($${maxBudgetUsd}).` };
    if (maxTurns !== undefined && this.turns >= maxTurns)
      return { subtype: "error_max_turns", message: `Reached the maximum number of turns (${maxTurns}).` };
    return undefined;
  }

  /** The run's result; usage figures are the session's totals so far, as Claude Code reports them. */
  summarize(usage: UsageTracker, subtype: ResultSubtype, result: string, error?: ApiError): RunSummary {
    return {
      subtype,
      isError: subtype !== "success",
      result,
      stopReason: this.lastStopReason,
      numTurns: this.turns,
      durationApiMs: this.apiMs,
      usage: { ...usage.total },
      modelUsage: structuredClone(usage.byModel),
      totalCostUsd: usage.costUsd,
      costEstimated: usage.costEstimated,
      permissionDenials: this.denials,
      error,
    };
  }
}
