// Per-million-token prices of Claude models and the cost of one response's usage.
// Models missing from the table are priced like a Sonnet and reported as estimated.
import { apiModelId } from "./models.js";
import type { Usage } from "./types.js";

export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  output: number;
  /** 5-minute cache write. */
  cacheWrite: number;
  cacheRead: number;
}

const price = (input: number, output: number, cacheWrite: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheWrite,
  cacheRead,
});

// First match wins. Dates, provider prefixes (Bedrock "anthropic.") and suffixes ("@…", "-v1:0") may surround.
const PRICES: Array<{ pattern: RegExp; price: ModelPrice }> = [
  { pattern: /claude-(fable|mythos)-5-[1-9]/, price: price(10, 50, 12.5, 0.25) },
  { pattern: /claude-(fable|mythos)-(5|preview)/, price: price(10, 50, 12.5, 1) },
  { pattern: /claude-opus-5-5/, price: price(4, 20, 5, 0.2) },
  { pattern: /claude-opus-(5|4-[5-9])/, price: price(5, 25, 6.25, 0.5) },
  { pattern: /claude-opus-4|claude-3-opus/, price: price(15, 75, 18.75, 1.5) },
  { pattern: /claude-sonnet-5-5/, price: price(2, 10, 2.5, 0.1) },
  { pattern: /claude-sonnet-5/, price: price(2, 10, 2.5, 0.2) },
  { pattern: /claude-sonnet-4|claude-3-[57]-sonnet/, price: price(3, 15, 3.75, 0.3) },
  { pattern: /claude-haiku-4-5/, price: price(1, 5, 1.25, 0.1) },
  { pattern: /claude-3-5-haiku/, price: price(0.8, 4, 1, 0.08) },
  { pattern: /claude-3-haiku/, price: price(0.25, 1.25, 0.3, 0.03) },
];

// Haiku 5.5 is priced by prompt size: up to 100k input tokens, and above.
const HAIKU_5_5 = /claude-haiku-5-5/;
const HAIKU_5_5_SMALL = price(0.1, 0.5, 0.125, 0.01);
const HAIKU_5_5_LARGE = price(0.5, 2.5, 0.625, 0.05);

/** The price used for models not in the table. */
const ESTIMATE_PRICE: ModelPrice = price(3, 15, 3.75, 0.3);

function priceFor(model: string, usage?: Usage): { price: ModelPrice; estimated: boolean } {
  const id = apiModelId(model).toLowerCase();
  if (HAIKU_5_5.test(id)) {
    const prompt = usage
      ? usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
      : 0;
    return { price: prompt > 100_000 ? HAIKU_5_5_LARGE : HAIKU_5_5_SMALL, estimated: false };
  }
  const row = PRICES.find((p) => p.pattern.test(id));
  return row ? { price: row.price, estimated: false } : { price: ESTIMATE_PRICE, estimated: true };
}

/** USD for one usage record; `estimated` when the model had no price of its own. */
export function costFor(model: string, usage: Usage): { usd: number; estimated: boolean } {
  const { price: p, estimated } = priceFor(model, usage);
  const usd =
    (usage.input_tokens * p.input +
      usage.output_tokens * p.output +
      usage.cache_creation_input_tokens * p.cacheWrite +
      usage.cache_read_input_tokens * p.cacheRead) /
    1_000_000;
  return { usd, estimated };
}

export interface CostEstimate {
  usd: number;
  estimated: boolean;
}

// From Sonnet 4.5 and Haiku 4.5 on, Bedrock's and Vertex AI's regional endpoints cost 10% more than global ones.
const REGIONAL_PREMIUM_MODELS = /claude-(opus|sonnet|haiku)-(4-[5-9]|[5-9])|claude-(fable|mythos)/;

/** A Claude model's cost through the service that answers it. */
export function claudeCost(
  model: string,
  usage: Usage,
  where: { backend: "anthropic" | "bedrock" | "vertex"; region?: string },
): CostEstimate {
  const cost = costFor(model, usage);
  const id = apiModelId(model).toLowerCase();
  const regional =
    (where.backend === "bedrock" && !id.startsWith("global.")) ||
    (where.backend === "vertex" && where.region !== "global");
  return regional && REGIONAL_PREMIUM_MODELS.test(id) ? { ...cost, usd: cost.usd * 1.1 } : cost;
}

// OpenAI's list prices per million tokens (input, output, cached input), for its own endpoint.
const OPENAI_PRICES: Array<{ pattern: RegExp; price: ModelPrice }> = [
  { pattern: /^gpt-4\.1-nano/, price: price(0.1, 0.4, 0, 0.025) },
  { pattern: /^gpt-4\.1-mini/, price: price(0.4, 1.6, 0, 0.1) },
  { pattern: /^gpt-4\.1/, price: price(2, 8, 0, 0.5) },
  { pattern: /^gpt-4o-mini/, price: price(0.15, 0.6, 0, 0.075) },
  { pattern: /^gpt-4o/, price: price(2.5, 10, 0, 1.25) },
  { pattern: /^gpt-5-nano/, price: price(0.05, 0.4, 0, 0.005) },
  { pattern: /^gpt-5-mini/, price: price(0.25, 2, 0, 0.025) },
  { pattern: /^gpt-5/, price: price(1.25, 10, 0, 0.125) },
  { pattern: /^o4-mini/, price: price(1.1, 4.4, 0, 0.275) },
  { pattern: /^o3/, price: price(2, 8, 0, 0.5) },
];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * An OpenAI-compatible model's cost. A server on this machine costs nothing; OpenAI's own models are priced
 * from its list; anything else is unknown and estimated like a mid-size model. Always reported as an estimate.
 */
export function openAiCost(modelId: string, usage: Usage, baseUrl: string): CostEstimate {
  let host = "";
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // an invalid URL never got a reply to price
  }
  if (LOOPBACK_HOSTS.has(host) || host.startsWith("127.")) return { usd: 0, estimated: true };
  const known =
    host === "api.openai.com" ? OPENAI_PRICES.find((p) => p.pattern.test(modelId))?.price : undefined;
  const p = known ?? ESTIMATE_PRICE;
  const usd =
    (usage.input_tokens * p.input +
      usage.output_tokens * p.output +
      usage.cache_creation_input_tokens * p.input +
      usage.cache_read_input_tokens * p.cacheRead) /
    1_000_000;
  return { usd, estimated: true };
}
