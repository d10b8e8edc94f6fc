// The Anthropic Messages API provider: addresses /v1/messages with the key or login, and reads the SSE stream.
// Retries, the idle watchdog and error messages are the shared engine's (retrying-provider.ts).
//
// Why not @anthropic-ai/sdk here: measured on these machines, the SDK plus fetch cost ~140 ms and ~50 MB
// before the first byte (fetch/undici alone ~100 ms, 40 MB), far over claw's one-shot budget; and its
// stream parser drops pings before an idle watchdog could see them and logs unparseable data lines with
// their content. The wire protocol is small, so we speak it directly over node:http.

import type { ErrorContext } from "./api-errors.js";
import type { AuthSource } from "./auth-source.js";
import { wantsLongContext } from "./models.js";
import { buildRequestBody } from "./request-body.js";
import { readMessagesResponse } from "./response-reader.js";
import { createRetryingProvider, type ProviderWire } from "./retrying-provider.js";
import type { ModelRequest, Provider } from "./types.js";

const ANTHROPIC_VERSION = "2023-06-01";
const DEFAULT_BASE_URL = "https://api.anthropic.com";

export interface AnthropicProviderOptions {
  auth: AuthSource;
  /** Defaults to env ANTHROPIC_BASE_URL, else https://api.anthropic.com. A path prefix is kept. */
  baseUrl?: string;
  /** Read for ANTHROPIC_BASE_URL, CLAW_RETRY_BASE_MS, CLAW_MAX_ATTEMPTS, CLAW_STREAM_IDLE_TIMEOUT_MS,
   * CLAW_HEADERS_TIMEOUT_MS. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): Provider {
  const env = options.env ?? process.env;
  return createRetryingProvider(new AnthropicWire(options, env), env, { webSearch: true });
}

/** Error wording for the Anthropic API with this credential. */
export function anthropicErrorContext(auth: AuthSource): ErrorContext {
  return {
    service: "the API",
    baseUrlVar: "ANTHROPIC_BASE_URL",
    describe: () => auth.describe(),
    secrets: () => [auth.apiKey, auth.bearerToken],
    // Read per error: the advice depends on whether settings configure `claw login`.
    get authAdvice() {
      return auth.fixAdvice();
    },
    get accessAdvice() {
      return `Check that this credential may use the model. ${auth.fixAdvice()}`;
    },
  };
}

class AnthropicWire implements ProviderWire {
  private auth: AuthSource;
  private readonly baseUrl: string;
  readonly canAnswerWithoutStreaming = true;
  readonly read = readMessagesResponse;

  constructor(
    private readonly options: AnthropicProviderOptions,
    env: NodeJS.ProcessEnv,
  ) {
    this.auth = options.auth;
    this.baseUrl = options.baseUrl || env.ANTHROPIC_BASE_URL || DEFAULT_BASE_URL;
  }

  errors(): ErrorContext {
    return anthropicErrorContext(this.auth);
  }

  endpoint(): URL | string {
    try {
      return new URL(`${this.baseUrl.replace(/\/+$/, "")}/v1/messages`);
    } catch {
      return "ANTHROPIC_BASE_URL is not a valid URL.";
    }
  }

  async prepare(_url: URL, request: ModelRequest, options: { streaming: boolean }) {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      "anthropic-version": ANTHROPIC_VERSION,
      "user-agent": this.options.userAgent ?? "claw",
      ...this.auth.headers(),
    };
    if (wantsLongContext(request.model)) headers["anthropic-beta"] = "context-1m-2025-08-07";
    return { headers, body: JSON.stringify(buildRequestBody(request, { stream: options.streaming })) };
  }

  async refreshAfterUnauthorized(): Promise<boolean> {
    if (!this.auth.onUnauthorized) return false;
    const next = await this.auth.onUnauthorized();
    if (!next) return false;
    this.auth = next;
    return true;
  }
}
