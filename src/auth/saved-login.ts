// Refreshing the saved login safely across processes: take the credentials lock, re-read the file (another
// process may have refreshed or logged in meanwhile), refresh only if still needed, save, release.
import type { CredentialsStore, OAuthCredentials } from "./credentials-store.js";
import type { OAuthConfig } from "./oauth-config.js";
import { refreshAccessToken, type TokenRequestOptions } from "./token-client.js";

/** Seconds before the recorded expiry at which a token already counts as expired (clock skew, request time). */
const EXPIRY_SKEW_SECONDS = 60;

export function isExpired(creds: OAuthCredentials, nowSeconds = Date.now() / 1000): boolean {
  return creds.expiresAt !== undefined && creds.expiresAt <= nowSeconds + EXPIRY_SKEW_SECONDS;
}

export type RefreshOutcome =
  | { kind: "refreshed"; creds: OAuthCredentials }
  /** Another process already replaced the token; no request was made. */
  | { kind: "reloaded"; creds: OAuthCredentials }
  | { kind: "logged-out" }
  | { kind: "no-refresh-token" };

export interface RefreshSavedLoginOptions {
  store: CredentialsStore;
  /** The access token that is expired or was rejected; a different valid token in the file is used instead. */
  staleAccessToken: string;
  /** Loaded only when a refresh request is really needed. */
  loadConfig: () => Promise<OAuthConfig>;
  request?: Omit<TokenRequestOptions, "config">;
}

/**
 * Throws OAuthConfigError (no usable config), TokenEndpointError (refresh failed; the file is untouched),
 * CredentialsFileError or FileLockError.
 */
export function refreshSavedLogin(options: RefreshSavedLoginOptions): Promise<RefreshOutcome> {
  const { store } = options;
  return store.withLock(async () => {
    const current = await store.readOAuth();
    if (!current) return { kind: "logged-out" };
    if (current.accessToken !== options.staleAccessToken && !isExpired(current))
      return { kind: "reloaded", creds: current };
    if (!current.refreshToken) return { kind: "no-refresh-token" };
    const config = await options.loadConfig();
    const tokens = await refreshAccessToken({
      ...options.request,
      config,
      refreshToken: current.refreshToken,
    });
    const next: OAuthCredentials = {
      accessToken: tokens.accessToken,
      // Servers that don't rotate refresh tokens often omit them: the old one stays valid.
      refreshToken: tokens.refreshToken ?? current.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes ?? current.scopes,
    };
    await store.saveOAuth(next);
    return { kind: "refreshed", creds: next };
  });
}
