// The compactor against a scripted provider: threshold, the summary request, the kept tail, the fallback.
import { describe, expect, it } from "vitest";
import { chooseCut, createCompactor, estimateTokens } from "../../../src/agent/compaction.js";
import { SUMMARY_LABEL } from "../../../src/agent/compaction-summary.js";
import type { Message } from "../../../src/api/types.js";
import { repairHistory } from "../../../src/session/history-repair.js";
import { ScriptedProvider } from "../../support/scripted-provider.js";

const signal = new AbortController().signal;

/** A session of `turns` prompts, each answered with a Read call, its result, and a text reply. */
function history(turns: number): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < turns; i++) {
    out.push({ role: "user", content: `prompt ${i}` });
    out.push({
      role: "assistant",
      content: [{ type: "tool_use", id: `tu_${i}`, name: "Read", input: { file_path: `src/file${i}.ts` } }],
    });
    out.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: `tu_${i}`, content: `body ${i}` }],
    });
    out.push({ role: "assistant", content: [{ type: "text", text: `answer ${i}` }] });
  }
  return out;
}

function textOf(message: Message): string {
  return typeof message.content === "string"
    ? message.content
    : message.content.map((b) => (b.type === "text" ? b.text : "")).join("\n");
}

describe("createCompactor", () => {
  it("does nothing below the threshold or when disabled", async () => {
    const provider = new ScriptedProvider([]);
    const compactor = createCompactor({ provider, model: "m", contextWindow: 1000 });
    expect(compactor.threshold).toBe(800);
    expect(
      await compactor.maybeCompact({ messages: history(5), lastInputTokens: 800, reason: "auto", signal }),
    ).toBeUndefined();
    const off = createCompactor({ provider, model: "m", contextWindow: 1000, enabled: false });
    expect(
      await off.maybeCompact({ messages: history(5), lastInputTokens: 999, reason: "auto", signal }),
    ).toBeUndefined();
    expect(
      await off.maybeCompact({
        messages: history(5),
        lastInputTokens: 999,
        reason: "prompt_too_long",
        signal,
      }),
    ).toBeUndefined();
    expect(provider.requests).toHaveLength(0);
  });

  it("asks the model for a structured summary without tools and keeps the recent messages verbatim", async () => {
    const provider = new ScriptedProvider([
      { text: "## Goal\nShip it.", usage: { input_tokens: 700, output_tokens: 20 } },
    ]);
    const usages: number[] = [];
    const compactor = createCompactor({
      provider,
      model: "m",
      contextWindow: 100_000,
      onUsage: (_model, usage) => usages.push(usage.input_tokens),
    });
    const messages = history(5);
    const outcome = await compactor.maybeCompact({
      messages,
      lastInputTokens: 90_000,
      reason: "auto",
      instructions: "keep the file list",
      signal,
    });
    if (!outcome) throw new Error("expected a compaction");
    const request = provider.requests[0]!;
    expect(request.tools).toEqual([]);
    expect(request.system.join("\n")).toMatch(/## Next steps/);
    const body = textOf(request.messages[0]!);
    expect(body).toContain("prompt 0");
    expect(body).toContain("keep the file list");
    expect(usages).toEqual([700]);

    expect(outcome.summary).toBe("## Goal\nShip it.");
    expect(outcome.tokensBefore).toBe(90_000);
    expect(outcome.tokensAfter).toBeLessThan(90_000);
    // The part of the context that is not messages (system prompt, tools) is still there afterwards.
    const fixedPart = 90_000 - estimateTokens(messages);
    expect(outcome.tokensAfter).toBe(fixedPart + estimateTokens(outcome.messages));
    // 20 messages, keep about 6: the tail starts at the assistant tool call (13), never at its result (14).
    expect(outcome.messagesSummarized).toBe(13);
    expect(outcome.messages.slice(1)).toEqual(messages.slice(13));
    const first = outcome.messages[0]!;
    expect(first.role).toBe("user");
    expect(textOf(first).startsWith(SUMMARY_LABEL)).toBe(true);
    expect(textOf(first)).toContain("Ship it.");
    // The tail is the last messages, unchanged, and the history needs no repair.
    expect(outcome.messages.at(-1)).toEqual(messages.at(-1));
    expect(repairHistory(outcome.messages).messages).toEqual(outcome.messages);
    expect(outcome.filesMentioned).toContain("src/file0.ts");
  });

  it("falls back to a local summary when the summary request fails", async () => {
    const provider = new ScriptedProvider([{ error: { kind: "overloaded", message: "API overloaded" } }]);
    const compactor = createCompactor({ provider, model: "m", contextWindow: 1000 });
    const outcome = await compactor.maybeCompact({
      messages: history(4),
      lastInputTokens: 0,
      reason: "manual",
      signal,
    });
    if (!outcome) throw new Error("expected a compaction");
    expect(outcome.summary).toMatch(/without the model/);
    expect(outcome.summary).toContain("API overloaded");
    expect(outcome.summary).toContain("prompt 0");
    expect(outcome.summary).toContain("src/file0.ts");
    expect(repairHistory(outcome.messages).messages).toEqual(outcome.messages);
  });

  it("compacts on prompt_too_long whatever the last token count", async () => {
    const provider = new ScriptedProvider([{ text: "summary" }]);
    const compactor = createCompactor({ provider, model: "m", contextWindow: 200_000 });
    const outcome = await compactor.maybeCompact({
      messages: history(3),
      lastInputTokens: 10,
      reason: "prompt_too_long",
      signal,
    });
    expect(outcome?.summary).toBe("summary");
  });

  it("returns nothing when the history has nothing to summarise or the signal fired", async () => {
    const provider = new ScriptedProvider([{ text: "x" }]);
    const compactor = createCompactor({ provider, model: "m", contextWindow: 1000 });
    const one: Message[] = [{ role: "user", content: "hi" }];
    expect(
      await compactor.maybeCompact({ messages: one, lastInputTokens: 999, reason: "auto", signal }),
    ).toBeUndefined();
    const aborted = AbortSignal.abort();
    expect(
      await compactor.maybeCompact({
        messages: history(3),
        lastInputTokens: 999,
        reason: "auto",
        signal: aborted,
      }),
    ).toBeUndefined();
  });
});

describe("chooseCut", () => {
  it("never starts the kept tail at a tool result", () => {
    const messages = history(6);
    for (let keep = 1; keep < messages.length; keep++) {
      const cut = chooseCut(messages, keep, 1_000_000)!;
      const first = messages[cut]!;
      const startsWithResult =
        typeof first.content !== "string" && first.content.some((b) => b.type === "tool_result");
      expect(startsWithResult).toBe(false);
      expect(cut).toBeGreaterThan(0);
    }
  });

  it("shrinks the tail when it alone is too large", () => {
    const messages = history(3);
    messages[2] = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "tu_0", content: "x".repeat(40_000) }],
    };
    messages.push({ role: "user", content: "x".repeat(20_000) });
    const cut = chooseCut(messages, 20, 1_000)!;
    expect(cut).toBeGreaterThan(3);
  });
});
