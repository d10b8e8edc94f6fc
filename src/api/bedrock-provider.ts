// Claude on Amazon Bedrock: invoke-with-response-stream, signed with SigV4 from the AWS credential chain (or a
// Bedrock API key, or nothing behind a gateway that signs). The AWS libraries load on the first request only.

import { namedExports } from "../util/cjs-exports.js";
import type { ErrorContext } from "./api-errors.js";
import { readEventStreamResponse } from "./bedrock-stream.js";
import type { HttpResponse } from "./http-transport.js";
import type { MessageAssembler } from "./message-assembler.js";
import { apiModelId, wantsLongContext } from "./models.js";
import { buildRequestBody } from "./request-body.js";
import { readMessagesResponse } from "./response-reader.js";
import {
  CredentialError,
  createRetryingProvider,
  type ProviderWire,
  type ReadOptions,
} from "./retrying-provider.js";
import type { ModelRequest, Provider } from "./types.js";

export type BedrockAuth =
  | { kind: "sigv4"; source: string }
  | { kind: "api-key"; token: string }
  /** CLAUDE_CODE_SKIP_BEDROCK_AUTH: a gateway adds the credentials. */
  | { kind: "skip" };

export interface BedrockConfig {
  region: string;
  baseUrl: string;
  /** Where the endpoint came from, for advice: ANTHROPIC_BEDROCK_BASE_URL or AWS_REGION. */
  baseUrlSource: string;
  auth: BedrockAuth;
}

const truthy = (value: string | undefined) => !!value && !/^(0|false|no|off)$/i.test(value.trim());

/** Bedrock's settings from the environment, or a one-line message naming what to set. */
export function bedrockConfig(env: NodeJS.ProcessEnv): BedrockConfig | string {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) return "Bedrock needs a region: set AWS_REGION (for example us-east-1).";
  const custom = env.ANTHROPIC_BEDROCK_BASE_URL?.trim();
  const auth: BedrockAuth = truthy(env.CLAUDE_CODE_SKIP_BEDROCK_AUTH)
    ? { kind: "skip" }
    : env.AWS_BEARER_TOKEN_BEDROCK
      ? { kind: "api-key", token: env.AWS_BEARER_TOKEN_BEDROCK }
      : { kind: "sigv4", source: awsCredentialSource(env) };
  return {
    region,
    baseUrl: custom || `https://bedrock-runtime.${region}.amazonaws.com`,
    baseUrlSource: custom ? "ANTHROPIC_BEDROCK_BASE_URL" : "AWS_REGION",
    auth,
  };
}

/** Which link of the AWS chain will most likely answer, by the variables that select it (never a value). */
function awsCredentialSource(env: NodeJS.ProcessEnv): string {
  if (env.AWS_ACCESS_KEY_ID) return "AWS_ACCESS_KEY_ID";
  if (env.AWS_PROFILE) return `AWS profile "${env.AWS_PROFILE}"`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return "AWS web identity (AWS_WEB_IDENTITY_TOKEN_FILE)";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return "AWS container credentials";
  return "the default AWS credential chain";
}

export function describeBedrockAuth(auth: BedrockAuth): string {
  if (auth.kind === "skip") return "none (CLAUDE_CODE_SKIP_BEDROCK_AUTH: the gateway signs)";
  if (auth.kind === "api-key") return "AWS_BEARER_TOKEN_BEDROCK";
  return auth.source;
}

/**
 * The id Bedrock knows. Aliases and first-party ids ("claude-sonnet-5-5") become the cross-region inference
 * profile of the region's geography; Bedrock ids, inference profiles and ARNs are sent as given.
 */
export function bedrockModelId(model: string, region: string): string {
  const id = apiModelId(model);
  if (!/^claude-/.test(id)) return id;
  const geo = region.startsWith("us-")
    ? "us"
    : region.startsWith("eu-")
      ? "eu"
      : region.startsWith("ap-")
        ? "apac"
        : "global";
  return `${geo}.anthropic.${id}-v1:0`;
}

export function createBedrockProvider(config: BedrockConfig, env: NodeJS.ProcessEnv): Provider {
  return createRetryingProvider(new BedrockWire(config, env), env);
}

type Signer = (url: URL, headers: Record<string, string>, body: string) => Promise<Record<string, string>>;

class BedrockWire implements ProviderWire {
  readonly canAnswerWithoutStreaming = true;
  private signer: Promise<Signer> | undefined;

  constructor(
    private readonly config: BedrockConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  errors(): ErrorContext {
    const { auth } = this.config;
    return {
      service: "Bedrock",
      baseUrlVar: this.config.baseUrlSource,
      describe: () => describeBedrockAuth(auth),
      secrets: () => [
        auth.kind === "api-key" ? auth.token : undefined,
        this.env.AWS_SECRET_ACCESS_KEY,
        this.env.AWS_SESSION_TOKEN,
      ],
      authAdvice:
        auth.kind === "api-key"
          ? "Check AWS_BEARER_TOKEN_BEDROCK."
          : "Check your AWS credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID).",
      accessAdvice: `Check that the credentials may invoke this model in ${this.config.region} (Bedrock model access).`,
    };
  }

  endpoint(request: ModelRequest, options: { streaming: boolean }): URL | string {
    const id = encodeURIComponent(bedrockModelId(request.model, this.config.region));
    const action = options.streaming ? "invoke-with-response-stream" : "invoke";
    try {
      return new URL(`${this.config.baseUrl.replace(/\/+$/, "")}/model/${id}/${action}`);
    } catch {
      return `${this.config.baseUrlSource} does not make a valid URL.`;
    }
  }

  async prepare(url: URL, request: ModelRequest, options: { streaming: boolean }) {
    const {
      model: _model,
      stream: _stream,
      ...rest
    } = buildRequestBody(request, { stream: options.streaming });
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      ...(wantsLongContext(request.model) ? { anthropic_beta: ["context-1m-2025-08-07"] } : {}),
      ...rest,
    });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: options.streaming ? "application/vnd.amazon.eventstream" : "application/json",
    };
    const { auth } = this.config;
    if (auth.kind === "api-key") headers.authorization = `Bearer ${auth.token}`;
    if (auth.kind !== "sigv4") return { headers: { ...headers, "user-agent": "claw" }, body };
    this.signer ??= loadSigV4Signer(this.config.region, this.env);
    const sign = await this.signer.catch((error: unknown) => {
      this.signer = undefined;
      throw error;
    });
    // user-agent is added after signing: proxies rewrite it, and AWS does not sign it either.
    return { headers: { ...(await sign(url, headers, body)), "user-agent": "claw" }, body };
  }

  read(res: HttpResponse, assembler: MessageAssembler, options: ReadOptions) {
    return options.streaming
      ? readEventStreamResponse(res, assembler, options)
      : readMessagesResponse(res, assembler, options);
  }
}

async function loadSigV4Signer(region: string, env: NodeJS.ProcessEnv): Promise<Signer> {
  let libraries: [
    typeof import("@smithy/signature-v4"),
    typeof import("@aws-crypto/sha256-js"),
    typeof import("@aws-sdk/credential-providers"),
  ];
  try {
    libraries = await Promise.all([
      import("@smithy/signature-v4").then(namedExports),
      import("@aws-crypto/sha256-js").then(namedExports),
      import("@aws-sdk/credential-providers").then(namedExports),
    ]);
  } catch (error) {
    throw new CredentialError(
      `Could not load the AWS signing libraries (${firstLine(error)}); reinstall claw.`,
    );
  }
  const [{ SignatureV4 }, { Sha256 }, { fromNodeProviderChain }] = libraries;
  const chain = fromNodeProviderChain({ profile: env.AWS_PROFILE || undefined });
  const credentials = async () => {
    try {
      return await chain();
    } catch (error) {
      throw new CredentialError(
        `No AWS credentials for Bedrock (${firstLine(error)}). Set AWS_PROFILE (after \`aws sso login\`), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK.`,
      );
    }
  };
  const signer = new SignatureV4({ service: "bedrock", region, sha256: Sha256, credentials });
  return async (url, headers, body) => {
    const signed = await signer.sign({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: {},
      headers: { ...headers, host: url.host },
      body,
    });
    return signed.headers as Record<string, string>;
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").replace(/\.$/, "").slice(0, 200);
}
