// Where the API credentials come from, and the headers they become. Values never appear in messages.

export type AuthOrigin = "ANTHROPIC_API_KEY" | "ANTHROPIC_AUTH_TOKEN" | "saved-oauth";

export class AuthSource {
  /**
   * Set by the startup resolver for saved OAuth: called once after an API 401 (re-read the file, else refresh).
   * Returns the credentials to retry with, or undefined when the user must run `claw login`.
   * The returned source has its own handler (for a later expiry in a long session): call at most once per request.
   */
  onUnauthorized?: () => Promise<AuthSource | undefined>;

  /** Whether settings configure an OAuth server, so `claw login` can help; error advice names it only then. */
  loginConfigured = false;

  constructor(
    readonly apiKey: string | undefined,
    readonly bearerToken: string | undefined,
    readonly origins: AuthOrigin[],
  ) {}

  /** Env-only: ANTHROPIC_API_KEY → x-api-key, ANTHROPIC_AUTH_TOKEN → Bearer; empty strings count as unset. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AuthSource | undefined {
    const apiKey = env.ANTHROPIC_API_KEY || undefined;
    const token = env.ANTHROPIC_AUTH_TOKEN || undefined;
    if (!apiKey && !token) return undefined;
    const origins: AuthOrigin[] = [];
    if (apiKey) origins.push("ANTHROPIC_API_KEY");
    if (token) origins.push("ANTHROPIC_AUTH_TOKEN");
    return new AuthSource(apiKey, token, origins);
  }

  static fromOAuthToken(accessToken: string): AuthSource {
    return new AuthSource(undefined, accessToken, ["saved-oauth"]);
  }

  headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.apiKey) headers["x-api-key"] = this.apiKey;
    if (this.bearerToken) headers.authorization = `Bearer ${this.bearerToken}`;
    return headers;
  }

  /** What to do when the API rejects this credential: which variable to set, and `claw login` when it can work. */
  fixAdvice(): string {
    const login = this.loginConfigured ? "run `claw login`" : undefined;
    if (this.origins.includes("ANTHROPIC_API_KEY"))
      return `Set ANTHROPIC_API_KEY to a valid API key${login ? `, or unset it and ${login}` : ""}.`;
    if (this.origins.includes("ANTHROPIC_AUTH_TOKEN"))
      return `Set ANTHROPIC_AUTH_TOKEN to a valid token${login ? `, or unset it and ${login}` : ""}.`;
    return login
      ? "Run `claw login` to sign in again, or set ANTHROPIC_API_KEY."
      : "Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN); `claw login` needs an `oauth` block in your settings.";
  }

  /** Names the credential for error messages ("ANTHROPIC_API_KEY"), never its value. */
  describe(): string {
    return this.origins.map((o) => (o === "saved-oauth" ? "saved login (claw login)" : o)).join(" and ");
  }
}

export const NO_CREDENTIALS_MESSAGE =
  "No API credentials: set ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN, or run `claw login`.";
