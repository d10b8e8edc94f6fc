// Which provider answers a model: a model named "openai/…" or "<name>/…" (a settings `providers` entry) goes to
// that OpenAI-compatible endpoint; any other model is Claude, through Bedrock (CLAUDE_CODE_USE_BEDROCK), Vertex
// AI (CLAUDE_CODE_USE_VERTEX) or the Anthropic API. The router picks per request, so /model can switch between
// them, and builds each provider (with its vendor libraries) only when a request first needs it.

import { isRecord } from "../util/is-record.js";
import { createAnthropicProvider } from "./anthropic-provider.js";
import type { AuthSource } from "./auth-source.js";
import type { OpenAiEndpoint } from "./openai-provider.js";
import { type CostEstimate, claudeCost, openAiCost } from "./pricing.js";
import type { ModelRequest, Provider, ProviderEvent, Usage } from "./types.js";

export type ClaudeBackend = "anthropic" | "bedrock" | "vertex";

/** A settings `providers` entry: `{"type": "openai", "baseUrl": "http://127.0.0.1:11434/v1", "apiKeyEnv": "OLLAMA_KEY"}`. */
export interface EndpointSetting {
  type?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
}

export interface ProviderSelectionOptions {
  env: NodeJS.ProcessEnv;
  /** Settings `providers` (from the user's own settings: a cloned project may not choose where a key is sent). */
  endpoints?: Record<string, EndpointSetting>;
}

const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const truthy = (value: string | undefined) => !!value && !/^(0|false|no|off)$/i.test(value.trim());

/** The service that answers Claude models, by Claude Code's switches. */
export function claudeBackend(env: NodeJS.ProcessEnv): ClaudeBackend {
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK)) return "bedrock";
  if (truthy(env.CLAUDE_CODE_USE_VERTEX)) return "vertex";
  return "anthropic";
}

/**
 * The OpenAI-compatible endpoint a model routes to, a one-line configuration error, or undefined for a Claude
 * model. "openai/…" uses OPENAI_BASE_URL / OPENAI_API_KEY unless settings define an "openai" entry.
 */
export function openAiEndpointFor(
  model: string,
  options: ProviderSelectionOptions,
): OpenAiEndpoint | string | undefined {
  const slash = model.indexOf("/");
  if (slash <= 0) return undefined;
  const name = model.slice(0, slash);
  const setting = options.endpoints?.[name];
  if (!setting) {
    if (name !== "openai") return undefined;
    const apiKey = options.env.OPENAI_API_KEY || undefined;
    const baseUrl = options.env.OPENAI_BASE_URL?.trim();
    return {
      name,
      baseUrl: baseUrl || OPENAI_DEFAULT_BASE_URL,
      baseUrlSource: "OPENAI_BASE_URL",
      apiKey,
      apiKeyEnv: "OPENAI_API_KEY",
    };
  }
  const where = `settings providers.${name}`;
  if (!isRecord(setting))
    return `${where} must be an object like {"type": "openai", "baseUrl": "http://127.0.0.1:11434/v1"}.`;
  if ((setting.type ?? "openai") !== "openai")
    return `${where}.type "${String(setting.type)}" is not supported; use "openai" (an OpenAI-compatible endpoint).`;
  const fallbackUrl = name === "openai" ? options.env.OPENAI_BASE_URL?.trim() : undefined;
  const baseUrl =
    typeof setting.baseUrl === "string" && setting.baseUrl.trim() ? setting.baseUrl.trim() : fallbackUrl;
  if (!baseUrl) return `${where} needs a baseUrl (for example "http://127.0.0.1:11434/v1").`;
  const apiKeyEnv =
    typeof setting.apiKeyEnv === "string" && setting.apiKeyEnv
      ? setting.apiKeyEnv
      : name === "openai"
        ? "OPENAI_API_KEY"
        : "";
  return {
    name,
    baseUrl,
    baseUrlSource: `${where}.baseUrl`,
    apiKey: apiKeyEnv ? options.env[apiKeyEnv] || undefined : undefined,
    apiKeyEnv: apiKeyEnv || `${where}.apiKeyEnv`,
  };
}

/** What `claw config` and /status show about the provider of a model: no secret, only where things come from. */
export interface ProviderInfo {
  provider: string;
  endpoint?: string;
  region?: string;
  project?: string;
  credentials: string;
}

/** Describes the provider a model routes to, or returns the one-line configuration error. */
export async function describeProvider(
  model: string,
  options: ProviderSelectionOptions & { anthropicCredentials?: () => string },
): Promise<ProviderInfo | string> {
  const endpoint = openAiEndpointFor(model, options);
  if (typeof endpoint === "string") return endpoint;
  if (endpoint) {
    return {
      provider: endpoint.name === "openai" ? "OpenAI-compatible" : `OpenAI-compatible (${endpoint.name})`,
      endpoint: endpoint.baseUrl,
      credentials: endpoint.apiKey ? endpoint.apiKeyEnv : `none (${endpoint.apiKeyEnv} is not set)`,
    };
  }
  const backend = claudeBackend(options.env);
  if (backend === "bedrock") {
    const { bedrockConfig, describeBedrockAuth } = await import("./bedrock-provider.js");
    const config = bedrockConfig(options.env);
    if (typeof config === "string") return config;
    return {
      provider: "Amazon Bedrock",
      endpoint: config.baseUrl,
      region: config.region,
      credentials: describeBedrockAuth(config.auth),
    };
  }
  if (backend === "vertex") {
    const { vertexConfig, describeVertexAuth } = await import("./vertex-provider.js");
    const config = vertexConfig(options.env);
    if (typeof config === "string") return config;
    return {
      provider: "Google Vertex AI",
      endpoint: config.baseUrl,
      region: config.region,
      project: config.projectId,
      credentials: describeVertexAuth(config),
    };
  }
  return {
    provider: "Anthropic API",
    endpoint: options.env.ANTHROPIC_BASE_URL || "https://api.anthropic.com",
    credentials: options.anthropicCredentials?.() ?? "ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or claw login",
  };
}

/** "Provider: Amazon Bedrock (region us-east-1, credentials AWS_PROFILE …)" as one line. */
export function formatProviderInfo(info: ProviderInfo): string {
  const parts = [
    info.region ? `region ${info.region}` : undefined,
    info.project ? `project ${info.project}` : undefined,
    info.endpoint ? `endpoint ${info.endpoint}` : undefined,
    `credentials ${info.credentials}`,
  ].filter(Boolean);
  return `${info.provider} (${parts.join(", ")})`;
}

export interface ProviderRouterOptions extends ProviderSelectionOptions {
  /** The Anthropic API's credentials, asked for when a Claude request first goes there (may throw a one-line error). */
  anthropicAuth: () => Promise<AuthSource>;
  /** Offer the API's web search (the session starts on the Anthropic API, which runs it). */
  webSearch?: boolean;
}

/** A Provider that hands each request to the provider of its model, and prices usage the same way. */
export interface ProviderRouter extends Provider {
  costFor(model: string, usage: Usage): CostEstimate;
}

export function createProviderRouter(options: ProviderRouterOptions): ProviderRouter {
  const built = new Map<string, Promise<Provider>>();
  const build = (key: string, make: () => Promise<Provider>) => {
    let provider = built.get(key);
    if (!provider) {
      provider = make();
      built.set(key, provider);
      // A failure (no credentials yet) is not cached: the next request tries again.
      provider.catch(() => built.delete(key));
    }
    return provider;
  };
  const providerFor = (model: string): Promise<Provider> => {
    const endpoint = openAiEndpointFor(model, options);
    if (typeof endpoint === "string") return Promise.reject(new ConfigError(endpoint));
    if (endpoint) {
      return build(`openai:${endpoint.name}`, async () => {
        const { createOpenAiProvider } = await import("./openai-provider.js");
        return createOpenAiProvider(endpoint, options.env);
      });
    }
    const backend = claudeBackend(options.env);
    return build(backend, async () => {
      if (backend === "bedrock") {
        const { bedrockConfig, createBedrockProvider } = await import("./bedrock-provider.js");
        const config = bedrockConfig(options.env);
        if (typeof config === "string") throw new ConfigError(config);
        return createBedrockProvider(config, options.env);
      }
      if (backend === "vertex") {
        const { vertexConfig, createVertexProvider } = await import("./vertex-provider.js");
        const config = vertexConfig(options.env);
        if (typeof config === "string") throw new ConfigError(config);
        return createVertexProvider(config, options.env);
      }
      return createAnthropicProvider({ auth: await options.anthropicAuth(), env: options.env });
    });
  };
  return {
    serverTools: { webSearch: options.webSearch === true },
    async *stream(request: ModelRequest): AsyncGenerator<ProviderEvent> {
      let provider: Provider;
      try {
        provider = await providerFor(request.model);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const kind = error instanceof ConfigError ? "invalid_request" : "auth";
        yield { type: "error", error: { kind, message } };
        return;
      }
      yield* provider.stream(request);
    },
    costFor(model: string, usage: Usage): CostEstimate {
      const endpoint = openAiEndpointFor(model, options);
      if (typeof endpoint === "object")
        return openAiCost(model.slice(endpoint.name.length + 1), usage, endpoint.baseUrl);
      const backend = claudeBackend(options.env);
      return claudeCost(model, usage, { backend, region: options.env.CLOUD_ML_REGION });
    },
  };
}

class ConfigError extends Error {}
