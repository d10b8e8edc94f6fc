// Claude on Google Vertex AI: streamRawPredict with a bearer token from Application Default Credentials (or none
// behind a gateway that authenticates). The reply is the Messages SSE stream. google-auth-library loads on the
// first request only.

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { namedExports } from "../util/cjs-exports.js";
import { isRecord } from "../util/is-record.js";
import type { ErrorContext } from "./api-errors.js";
import { apiModelId, wantsLongContext } from "./models.js";
import { buildRequestBody } from "./request-body.js";
import { readMessagesResponse } from "./response-reader.js";
import { CredentialError, createRetryingProvider, type ProviderWire } from "./retrying-provider.js";
import type { ModelRequest, Provider } from "./types.js";

export interface VertexConfig {
  region: string;
  projectId: string;
  baseUrl: string;
  baseUrlSource: string;
  /** undefined: CLAUDE_CODE_SKIP_VERTEX_AUTH (the gateway authenticates). */
  credentialSource: string | undefined;
}

const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const truthy = (value: string | undefined) => !!value && !/^(0|false|no|off)$/i.test(value.trim());

/** Vertex's settings from the environment, or a one-line message naming what to set. */
export function vertexConfig(env: NodeJS.ProcessEnv): VertexConfig | string {
  const region = env.CLOUD_ML_REGION?.trim();
  if (!region) return "Vertex AI needs a region: set CLOUD_ML_REGION (for example us-east5, or global).";
  const projectId = env.ANTHROPIC_VERTEX_PROJECT_ID?.trim();
  if (!projectId) return "Vertex AI needs a project: set ANTHROPIC_VERTEX_PROJECT_ID.";
  const custom = env.ANTHROPIC_VERTEX_BASE_URL?.trim();
  const host = region === "global" ? "aiplatform.googleapis.com" : `${region}-aiplatform.googleapis.com`;
  return {
    region,
    projectId,
    baseUrl: custom || `https://${host}/v1`,
    baseUrlSource: custom ? "ANTHROPIC_VERTEX_BASE_URL" : "CLOUD_ML_REGION",
    credentialSource: truthy(env.CLAUDE_CODE_SKIP_VERTEX_AUTH) ? undefined : googleCredentialSource(env),
  };
}

/** Where Application Default Credentials will come from, in the order google-auth-library looks. */
function googleCredentialSource(env: NodeJS.ProcessEnv): string {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return "GOOGLE_APPLICATION_CREDENTIALS";
  const configDir = env.CLOUDSDK_CONFIG || join(env.HOME || homedir(), ".config", "gcloud");
  if (existsSync(join(configDir, "application_default_credentials.json")))
    return "gcloud application-default login";
  return "the Google metadata server";
}

export function describeVertexAuth(config: VertexConfig): string {
  return config.credentialSource ?? "none (CLAUDE_CODE_SKIP_VERTEX_AUTH: the gateway authenticates)";
}

export function createVertexProvider(config: VertexConfig, env: NodeJS.ProcessEnv): Provider {
  return createRetryingProvider(new VertexWire(config, env), env);
}

type TokenSource = () => Promise<string>;

class VertexWire implements ProviderWire {
  readonly canAnswerWithoutStreaming = true;
  readonly read = readMessagesResponse;
  private tokens: Promise<TokenSource> | undefined;
  private lastToken: string | undefined;

  constructor(
    private readonly config: VertexConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  errors(): ErrorContext {
    return {
      service: "Vertex AI",
      baseUrlVar: this.config.baseUrlSource,
      describe: () => describeVertexAuth(this.config),
      secrets: () => [this.lastToken],
      authAdvice:
        "Check your Google credentials (`gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS).",
      accessAdvice: `Check that the credentials may use Claude in project ${this.config.projectId} (${this.config.region}).`,
    };
  }

  endpoint(request: ModelRequest, options: { streaming: boolean }): URL | string {
    const { baseUrl, projectId, region } = this.config;
    const model = encodeURIComponent(apiModelId(request.model));
    const action = options.streaming ? "streamRawPredict" : "rawPredict";
    try {
      return new URL(
        `${baseUrl.replace(/\/+$/, "")}/projects/${encodeURIComponent(projectId)}/locations/${encodeURIComponent(region)}/publishers/anthropic/models/${model}:${action}`,
      );
    } catch {
      return `${this.config.baseUrlSource} does not make a valid URL.`;
    }
  }

  async prepare(_url: URL, request: ModelRequest, options: { streaming: boolean }) {
    const { model: _model, ...rest } = buildRequestBody(request, { stream: options.streaming });
    const body = JSON.stringify({
      anthropic_version: "vertex-2023-10-16",
      ...(wantsLongContext(request.model) ? { anthropic_beta: ["context-1m-2025-08-07"] } : {}),
      ...rest,
    });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "claw",
    };
    if (this.config.credentialSource !== undefined) {
      this.tokens ??= loadTokenSource(this.env);
      const token = await (
        await this.tokens.catch((error: unknown) => {
          this.tokens = undefined;
          throw error;
        })
      )();
      this.lastToken = token;
      headers.authorization = `Bearer ${token}`;
    }
    return { headers, body };
  }
}

/** ADC through google-auth-library, which caches the token and refreshes it before it expires. */
async function loadTokenSource(env: NodeJS.ProcessEnv): Promise<TokenSource> {
  const { GoogleAuth } = await import("google-auth-library").then(namedExports);
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  let client: Awaited<ReturnType<typeof auth.getClient>>;
  try {
    client = await auth.getClient();
  } catch (error) {
    throw new CredentialError(
      `No Google credentials for Vertex AI (${firstLine(error)}). Run \`gcloud auth application-default login\` or set GOOGLE_APPLICATION_CREDENTIALS.`,
    );
  }
  // The library posts service-account and user grants to Google's endpoint whatever the key file says; a key
  // file naming its own token_uri (a private universe, a test) is honoured here.
  const tokenUri = keyFileTokenUri(env);
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
        return config;
      },
    });
  }
  return async () => {
    try {
      const { token } = await client.getAccessToken();
      if (!token) throw new Error("the token endpoint returned no access token");
      return token;
    } catch (error) {
      const status = isRecord(error) && isRecord(error.response) ? error.response.status : undefined;
      const transient = typeof status !== "number" || status >= 500 || status === 429;
      throw new CredentialError(
        `Could not get a Google access token for Vertex AI (${firstLine(error)}).`,
        transient,
      );
    }
  };
}

function keyFileTokenUri(env: NodeJS.ProcessEnv): string | undefined {
  const path = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!path) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    return isRecord(parsed) && typeof parsed.token_uri === "string" ? parsed.token_uri : undefined;
  } catch {
    return undefined; // the library reports an unreadable file itself
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").replace(/\.$/, "").slice(0, 200);
}
