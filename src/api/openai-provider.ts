// An OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, …) behind the
// provider interface. Retries, the idle watchdog and error messages are the shared engine's.

import type { ErrorContext } from "./api-errors.js";
import { buildChatRequest, type ChatRequestOptions } from "./openai-request.js";
import { ChatStreamTranslator } from "./openai-stream.js";
import { readSseResponse } from "./response-reader.js";
import { createRetryingProvider, type ProviderWire } from "./retrying-provider.js";
import type { ModelRequest, Provider } from "./types.js";

export interface OpenAiEndpoint {
  /** The model prefix that routes here ("openai", or a name from settings `providers`). */
  name: string;
  /** Up to and including the API version: ".../v1". */
  baseUrl: string;
  /** The setting or variable the base URL came from, named in advice. */
  baseUrlSource: string;
  apiKey?: string;
  /** The variable the key came from ("OPENAI_API_KEY"), for messages; never the value. */
  apiKeyEnv: string;
}

export function createOpenAiProvider(endpoint: OpenAiEndpoint, env: NodeJS.ProcessEnv): Provider {
  return createRetryingProvider(new OpenAiWire(endpoint), env);
}

/** "openai/gpt-4o" → "gpt-4o": the id the endpoint knows. */
export function endpointModelId(model: string, prefix: string): string {
  return model.startsWith(`${prefix}/`) ? model.slice(prefix.length + 1) : model;
}

class OpenAiWire implements ProviderWire {
  readonly canAnswerWithoutStreaming = false;

  constructor(private readonly endpointConfig: OpenAiEndpoint) {}

  errors(): ErrorContext {
    const { apiKey, apiKeyEnv, baseUrlSource } = this.endpointConfig;
    return {
      service: "the OpenAI-compatible endpoint",
      baseUrlVar: baseUrlSource,
      describe: () => (apiKey ? apiKeyEnv : `no API key (${apiKeyEnv} is not set)`),
      secrets: () => [apiKey],
      authAdvice: `Check ${apiKeyEnv}.`,
      accessAdvice: `Check that ${apiKeyEnv} may use this model.`,
    };
  }

  endpoint(): URL | string {
    try {
      return new URL(`${this.endpointConfig.baseUrl.replace(/\/+$/, "")}/chat/completions`);
    } catch {
      return `${this.endpointConfig.baseUrlSource} is not a valid URL.`;
    }
  }

  async prepare(url: URL, request: ModelRequest) {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream",
      "user-agent": "claw",
    };
    if (this.endpointConfig.apiKey) headers.authorization = `Bearer ${this.endpointConfig.apiKey}`;
    const options: ChatRequestOptions = {
      model: endpointModelId(request.model, this.endpointConfig.name),
      // OpenAI's reasoning models refuse max_tokens; other servers may refuse a limit above their context, so
      // they get none and apply their own.
      maxTokensField: url.hostname === "api.openai.com" ? "max_completion_tokens" : undefined,
    };
    return { headers, body: JSON.stringify(buildChatRequest(request, options)) };
  }

  read(...[res, assembler, options]: Parameters<ProviderWire["read"]>) {
    return readSseResponse(res, assembler, options, new ChatStreamTranslator(assembler.fallbackModel));
  }
}
