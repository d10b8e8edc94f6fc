// Which model to use and what it can hold: the default model, aliases, output limits and context windows.
// Compaction and max_tokens read these; unknown models get conservative values rather than an error.

/** The default when neither --model, ANTHROPIC_MODEL nor settings name one: a current Claude Sonnet. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

/** The current models by the short names a user may type (as in Claude Code), each with what it is for. */
export const MODEL_CATALOG: ReadonlyArray<{ alias: string; id: string; description: string }> = [
  { alias: "sonnet", id: DEFAULT_MODEL, description: "best balance of speed and skill for everyday coding" },
  {
    alias: "opus",
    id: "claude-opus-5-5",
    description: "most capable, for hard problems and long plans; slower, costs more",
  },
  {
    alias: "haiku",
    id: "claude-haiku-5-5",
    description: "fastest and cheapest, for quick questions and simple edits",
  },
];

const ALIASES: Record<string, string> = Object.fromEntries(MODEL_CATALOG.map((m) => [m.alias, m.id]));

export interface ModelSelection {
  /** --model */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  /** `model` from the merged settings. */
  settingsModel?: string;
}

/** Precedence as in Claude Code: --model, then ANTHROPIC_MODEL, then settings, then the default. */
export function resolveModel(selection: ModelSelection = {}): string {
  const env = selection.env ?? process.env;
  const chosen =
    nonEmpty(selection.flag) ??
    nonEmpty(env.ANTHROPIC_MODEL) ??
    nonEmpty(selection.settingsModel) ??
    DEFAULT_MODEL;
  return ALIASES[chosen.toLowerCase()] ?? chosen;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The id sent to the API: a trailing "[1m]" (1M-context opt-in, as Claude Code writes it) is not part of it. */
export function apiModelId(model: string): string {
  return model.replace(/\[1m\]$/i, "");
}

/** Whether the user asked for the 1M-token context window ("claude-sonnet-4-5[1m]"). */
export function wantsLongContext(model: string): boolean {
  return /\[1m\]$/i.test(model);
}

interface ModelLimits {
  pattern: RegExp;
  contextWindow: number;
  maxOutputTokens: number;
}

// First match wins; ids are matched without provider prefixes/suffixes (Bedrock, Vertex) and dates.
const LIMITS: ModelLimits[] = [
  { pattern: /claude-(fable|mythos)-/, contextWindow: 1_000_000, maxOutputTokens: 128_000 },
  { pattern: /claude-(opus|sonnet|haiku)-5/, contextWindow: 1_000_000, maxOutputTokens: 128_000 },
  { pattern: /claude-opus-4-[6-9]/, contextWindow: 1_000_000, maxOutputTokens: 128_000 },
  { pattern: /claude-sonnet-4-[6-9]/, contextWindow: 1_000_000, maxOutputTokens: 64_000 },
  { pattern: /claude-opus-4-5/, contextWindow: 200_000, maxOutputTokens: 64_000 },
  { pattern: /claude-opus-4/, contextWindow: 200_000, maxOutputTokens: 32_000 },
  { pattern: /claude-(sonnet-4|haiku-4)/, contextWindow: 200_000, maxOutputTokens: 64_000 },
  { pattern: /claude-3-7-sonnet/, contextWindow: 200_000, maxOutputTokens: 64_000 },
  { pattern: /claude-3-5-(sonnet|haiku)/, contextWindow: 200_000, maxOutputTokens: 8_192 },
  { pattern: /claude-3-/, contextWindow: 200_000, maxOutputTokens: 4_096 },
  // Models behind OpenAI-compatible endpoints ("openai/gpt-4.1", "ollama/qwen3-coder"), matched after the prefix.
  { pattern: /\/gpt-4\.1/, contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  { pattern: /\/gpt-4o/, contextWindow: 128_000, maxOutputTokens: 16_384 },
  { pattern: /\/gpt-5/, contextWindow: 400_000, maxOutputTokens: 128_000 },
  { pattern: /\/o[134](-|$)/, contextWindow: 200_000, maxOutputTokens: 100_000 },
  { pattern: /\/gemini-(2\.5|3)/, contextWindow: 1_048_576, maxOutputTokens: 65_536 },
  { pattern: /\/qwen3-coder/, contextWindow: 262_144, maxOutputTokens: 65_536 },
  {
    pattern: /\/(qwen|llama-?3|deepseek|mistral|codestral|gpt-oss)/,
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
  },
];

const FALLBACK = { contextWindow: 200_000, maxOutputTokens: 32_000 };
/** An unknown model behind an OpenAI-compatible endpoint: most current open models hold at least this. */
const OTHER_VENDOR_FALLBACK = { contextWindow: 128_000, maxOutputTokens: 8_192 };

function limitsOf(model: string): { contextWindow: number; maxOutputTokens: number } {
  const id = apiModelId(model).toLowerCase();
  const known = LIMITS.find((l) => l.pattern.test(id));
  if (known) return known;
  // "name/model" is another vendor's model (Bedrock ARNs have slashes too, but name Claude).
  return id.includes("/") && !id.includes("claude") ? OTHER_VENDOR_FALLBACK : FALLBACK;
}

/**
 * The max_tokens to request. The model's own output limit, but at most CLAW_MAX_OUTPUT_TOKENS
 * (or CLAUDE_CODE_MAX_OUTPUT_TOKENS) when set — never a token budget of 32.
 */
export function maxOutputTokens(model: string, env: NodeJS.ProcessEnv = process.env): number {
  const limit = limitsOf(model).maxOutputTokens;
  const override = Number.parseInt(env.CLAW_MAX_OUTPUT_TOKENS ?? env.CLAUDE_CODE_MAX_OUTPUT_TOKENS ?? "", 10);
  return Number.isFinite(override) && override > 0 ? Math.min(override, limit) : limit;
}

/** Tokens the model can read in one request (for compaction and the context meter). */
export function contextWindow(model: string): number {
  if (wantsLongContext(model)) return 1_000_000;
  return limitsOf(model).contextWindow;
}

/** The model for small side requests (WebFetch summaries): ANTHROPIC_SMALL_FAST_MODEL, else Haiku. */
export function smallFastModel(env: NodeJS.ProcessEnv = process.env): string {
  return nonEmpty(env.ANTHROPIC_SMALL_FAST_MODEL) ?? ALIASES.haiku ?? "claude-haiku-5-5";
}
