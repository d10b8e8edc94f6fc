// Token endpoint requests (RFC 6749, form-encoded, public client + PKCE) via oauth4webapi, with a per-attempt
// timeout and backoff retries for 5xx, 429, timeouts and network errors. Errors never carry token values.

import { proxiedFetch } from "../util/proxy-fetch.js";
import { cleanServerText } from "./authorize-url.js";
import type { OAuthConfig } from "./oauth-config.js";
import { parseTokenResponse, TokenResponseError, type TokenSet } from "./token-response.js";

export type TokenErrorKind = "invalid_grant" | "rejected" | "server" | "timeout" | "network" | "bad_response";

export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly kind: TokenErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }
  /** True when trying again later may help (as opposed to needing a new login). */
  get transient(): boolean {
    return this.kind === "server" || this.kind === "timeout" || this.kind === "network";
  }
}

export interface TokenRequestOptions {
  config: Pick<OAuthConfig, "clientId" | "tokenUrl">;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Total attempts for transient failures; default 3. */
  attempts?: number;
  /** First backoff delay, doubled each retry; default 500 ms. */
  retryBaseMs?: number;
  signal?: AbortSignal;
  /** Unix seconds, for expires_in; injectable for tests. */
  nowSeconds?: () => number;
}

type OAuthModule = typeof import("oauth4webapi");
type GrantRequest = (oauth: OAuthModule, signal: AbortSignal) => Promise<Response>;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function endpointParts(config: TokenRequestOptions["config"]) {
  const url = new URL(config.tokenUrl);
  return {
    as: { issuer: url.origin, token_endpoint: url.href },
    client: { client_id: config.clientId },
    insecure: url.protocol === "http:",
  };
}

async function classifyFailure(response: Response, tokenUrl: string): Promise<TokenEndpointError> {
  const status = response.status;
  let error: string | undefined;
  let description: string | undefined;
  try {
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.error === "string") error = cleanServerText(body.error, 80);
    if (typeof body.error_description === "string") description = cleanServerText(body.error_description);
  } catch {
    // not JSON: the status says enough
  }
  const detail = [error, description].filter(Boolean).join(": ");
  if (status >= 500 || status === 429) {
    return new TokenEndpointError(
      `the token endpoint ${tokenUrl} failed with HTTP ${status}`,
      "server",
      status,
    );
  }
  if (error === "invalid_grant") {
    return new TokenEndpointError(
      `the authorization server rejected the grant (${detail})`,
      "invalid_grant",
      status,
    );
  }
  return new TokenEndpointError(
    `the token endpoint refused the request (HTTP ${status}${detail ? ` ${detail}` : ""})`,
    "rejected",
    status,
  );
}

async function requestTokens(options: TokenRequestOptions, send: GrantRequest): Promise<TokenSet> {
  const oauth = await import("oauth4webapi");
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = options.retryBaseMs ?? 500;
  const tokenUrl = options.config.tokenUrl;
  let last: TokenEndpointError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(base * 2 ** (attempt - 2), options.signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await send(oauth, signal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) {
        last = new TokenEndpointError(
          `the token endpoint ${tokenUrl} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`,
          "timeout",
        );
      } else {
        const cause = (error as { cause?: { code?: unknown } }).cause;
        const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
        last = new TokenEndpointError(`cannot reach the token endpoint ${tokenUrl}${code}`, "network");
      }
      continue;
    }
    if (response.status !== 200) {
      last = await classifyFailure(response, tokenUrl);
      if (!last.transient) throw last;
      continue;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new TokenEndpointError(
        `the token endpoint ${tokenUrl} answered with something other than JSON`,
        "bad_response",
        200,
      );
    }
    try {
      const now = options.nowSeconds ? options.nowSeconds() : Date.now() / 1000;
      return parseTokenResponse(body, now);
    } catch (error) {
      if (error instanceof TokenResponseError)
        throw new TokenEndpointError(error.message, "bad_response", 200);
      throw error;
    }
  }
  const final = last as TokenEndpointError;
  throw new TokenEndpointError(
    attempts > 1 ? `${final.message} (${attempts} attempts)` : final.message,
    final.kind,
    final.status,
  );
}

/** Exchanges an authorization code; `redirectUri` must be the one sent in the authorization request. */
export function exchangeAuthorizationCode(
  options: TokenRequestOptions & { code: string; redirectUri: string; verifier: string },
): Promise<TokenSet> {
  const { as, client, insecure } = endpointParts(options.config);
  return requestTokens(options, (oauth, signal) => {
    // Our own check already compared `state`; this only wraps the code the way oauth4webapi expects.
    const params = oauth.validateAuthResponse(
      as,
      client,
      new URLSearchParams({ code: options.code }),
      oauth.skipStateCheck,
    );
    return oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      options.redirectUri,
      options.verifier,
      {
        signal,
        [oauth.allowInsecureRequests]: insecure,
        [oauth.customFetch]: proxiedFetch,
      },
    );
  });
}

export function refreshAccessToken(
  options: TokenRequestOptions & { refreshToken: string },
): Promise<TokenSet> {
  const { as, client, insecure } = endpointParts(options.config);
  return requestTokens(options, (oauth, signal) =>
    oauth.refreshTokenGrantRequest(as, client, oauth.None(), options.refreshToken, {
      signal,
      [oauth.allowInsecureRequests]: insecure,
      [oauth.customFetch]: proxiedFetch,
    }),
  );
}
