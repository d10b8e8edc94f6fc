// Model resolution, limits and pricing.
import { describe, expect, it } from "vitest";
import {
  apiModelId,
  contextWindow,
  DEFAULT_MODEL,
  maxOutputTokens,
  resolveModel,
} from "../../../src/api/models.js";
import { costFor } from "../../../src/api/pricing.js";

describe("models", () => {
  it("resolves --model, then ANTHROPIC_MODEL, then settings, then the default Sonnet", () => {
    expect(resolveModel({ flag: "claude-opus-4-5", env: { ANTHROPIC_MODEL: "x" }, settingsModel: "y" })).toBe(
      "claude-opus-4-5",
    );
    expect(resolveModel({ env: { ANTHROPIC_MODEL: "claude-haiku-4-5" }, settingsModel: "y" })).toBe(
      "claude-haiku-4-5",
    );
    expect(resolveModel({ env: { ANTHROPIC_MODEL: "" }, settingsModel: "claude-opus-4-1" })).toBe(
      "claude-opus-4-1",
    );
    expect(resolveModel({ env: {} })).toBe(DEFAULT_MODEL);
    expect(DEFAULT_MODEL).toMatch(/^claude-sonnet-/);
    expect(resolveModel({ flag: "opus", env: {} })).toMatch(/^claude-opus-/);
  });

  it("knows output limits and context windows; never a budget of 32", () => {
    expect(maxOutputTokens("claude-sonnet-4-5", {})).toBe(64_000);
    expect(maxOutputTokens("claude-sonnet-4-5-20250929", {})).toBe(64_000);
    expect(maxOutputTokens("claude-opus-4-1", {})).toBe(32_000);
    expect(maxOutputTokens("claude-3-5-haiku-20241022", {})).toBe(8_192);
    expect(maxOutputTokens("some-unknown-model", {})).toBeGreaterThanOrEqual(8_192);
    expect(maxOutputTokens("claude-sonnet-4-5", { CLAW_MAX_OUTPUT_TOKENS: "1000" })).toBe(1000);
    expect(contextWindow("claude-sonnet-4-5")).toBe(200_000);
    expect(contextWindow("claude-sonnet-4-5[1m]")).toBe(1_000_000);
    expect(apiModelId("claude-opus-4-8[1m]")).toBe("claude-opus-4-8");
  });
});

describe("pricing", () => {
  const usage = {
    input_tokens: 1_000_000,
    output_tokens: 1_000_000,
    cache_creation_input_tokens: 1_000_000,
    cache_read_input_tokens: 1_000_000,
  };
  it("prices known models per million tokens", () => {
    expect(costFor("claude-sonnet-4-5-20250929", usage)).toEqual({
      usd: 3 + 15 + 3.75 + 0.3,
      estimated: false,
    });
    expect(costFor("claude-opus-4-1", usage).usd).toBeCloseTo(15 + 75 + 18.75 + 1.5);
    expect(costFor("claude-opus-4-5", usage).usd).toBeCloseTo(5 + 25 + 6.25 + 0.5);
    expect(costFor("claude-haiku-4-5", usage).usd).toBeCloseTo(1 + 5 + 1.25 + 0.1);
    expect(costFor("claude-3-5-haiku-latest", usage).usd).toBeCloseTo(0.8 + 4 + 1 + 0.08);
    expect(costFor("anthropic.claude-sonnet-4-20250514-v1:0", usage).estimated).toBe(false);
  });

  it("estimates unknown models at Sonnet prices", () => {
    expect(costFor("mystery-model", usage)).toEqual({ usd: 3 + 15 + 3.75 + 0.3, estimated: true });
  });
});
