// The startup auth resolver: env credentials first, then saved OAuth (with refresh). Only the CLI calls this;
// AuthSource.fromEnv() stays env-only for every other caller.

import { CredentialsFileError, CredentialsStore, type OAuthCredentials } from "../auth/credentials-store.js";
import { loadOAuthConfig, type OAuthConfig, OAuthConfigError } from "../auth/oauth-config.js";
import { isExpired, type RefreshOutcome, refreshSavedLogin } from "../auth/saved-login.js";
import { TokenEndpointError, type TokenRequestOptions } from "../auth/token-client.js";
import { FileLockError } from "../util/file-lock.js";
import { AuthSource, NO_CREDENTIALS_MESSAGE } from "./auth-source.js";

/** Printed by the CLI as one line, exit 1; never contains a token. */
export class StartupAuthError extends Error {}

export const LOGIN_EXPIRED_MESSAGE = "saved login expired; run `claw login`";

export interface StartupAuthOptions {
  env?: NodeJS.ProcessEnv;
  configHome: string;
  /** Project directory for .claude/settings*.json (the oauth config, needed only to refresh); default cwd. */
  cwd?: string;
  /**
   * The oauth config, asked for only when a refresh is needed (the CLI builds it from its merged settings);
   * default: read the `oauth` block from the user/project/local settings files directly.
   */
  oauthConfig?: () => Promise<OAuthConfig>;
  /** Complete lines ("claw: ...") for notices: a credentials file mode that was fixed, a failed refresh after a 401. */
  onWarning?: (message: string) => void;
  /** Settings configure an OAuth server: error advice may point to `claw login`. */
  loginConfigured?: boolean;
}

function requestOptions(env: NodeJS.ProcessEnv): Omit<TokenRequestOptions, "config"> {
  // Tests shorten the per-attempt timeout; users never need to.
  const timeout = Number(env.CLAW_OAUTH_TIMEOUT_MS);
  return Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {};
}

export async function resolveStartupAuth(options: StartupAuthOptions): Promise<AuthSource> {
  const source = await resolveSource(options);
  source.loginConfigured = options.loginConfigured === true;
  return source;
}

async function resolveSource(options: StartupAuthOptions): Promise<AuthSource> {
  const env = options.env ?? process.env;
  const fromEnv = AuthSource.fromEnv(env);
  if (fromEnv) return fromEnv;

  const emit = options.onWarning ?? ((line: string) => process.stderr.write(`${line}\n`));
  const warn = (message: string) => emit(`claw: ${message}`);
  const store = new CredentialsStore(options.configHome, { warn });
  const refresh = (staleAccessToken: string): Promise<RefreshOutcome> =>
    refreshSavedLogin({
      store,
      staleAccessToken,
      loadConfig:
        options.oauthConfig ??
        (() => loadOAuthConfig({ configHome: options.configHome, cwd: options.cwd ?? process.cwd() })),
      request: requestOptions(env),
    });

  /** A Bearer source whose 401 handler re-reads the file, else refreshes once. */
  const sourceFor = (creds: OAuthCredentials): AuthSource => {
    const source = AuthSource.fromOAuthToken(creds.accessToken);
    source.loginConfigured = options.loginConfigured === true;
    source.onUnauthorized = async () => {
      try {
        const outcome = await refresh(creds.accessToken);
        if (outcome.kind === "refreshed" || outcome.kind === "reloaded") return sourceFor(outcome.creds);
      } catch (error) {
        warn(`could not refresh the saved login: ${describe(error)}`);
      }
      return undefined;
    };
    return source;
  };

  let saved: OAuthCredentials | undefined;
  try {
    saved = await store.readOAuth();
  } catch (error) {
    throw new StartupAuthError(describe(error));
  }
  if (!saved) throw new StartupAuthError(NO_CREDENTIALS_MESSAGE);
  // A valid token is used as is: the oauth config is not even read.
  if (!isExpired(saved)) return sourceFor(saved);
  if (!saved.refreshToken) throw new StartupAuthError(LOGIN_EXPIRED_MESSAGE);

  let outcome: RefreshOutcome;
  try {
    outcome = await refresh(saved.accessToken);
  } catch (error) {
    if (error instanceof TokenEndpointError && !error.transient)
      throw new StartupAuthError(LOGIN_EXPIRED_MESSAGE);
    if (error instanceof TokenEndpointError)
      throw new StartupAuthError(`could not refresh the saved login: ${error.message}; try again later`);
    if (error instanceof OAuthConfigError)
      throw new StartupAuthError(`saved login expired and cannot be refreshed: ${error.message}`);
    throw new StartupAuthError(describe(error));
  }
  switch (outcome.kind) {
    case "refreshed":
    case "reloaded":
      return sourceFor(outcome.creds);
    case "logged-out":
      throw new StartupAuthError(NO_CREDENTIALS_MESSAGE);
    case "no-refresh-token":
      throw new StartupAuthError(LOGIN_EXPIRED_MESSAGE);
  }
}

function describe(error: unknown): string {
  if (
    error instanceof CredentialsFileError ||
    error instanceof FileLockError ||
    error instanceof OAuthConfigError ||
    error instanceof TokenEndpointError
  )
    return error.message;
  // File system errors name a path and a code; anything else only by class, never a message that might quote a request.
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && error instanceof Error) return error.message;
  return `unexpected ${(error as Error)?.name ?? "error"}`;
}
