// Parses token endpoint responses: the RFC 6749 shape (access_token, token_type, expires_in, refresh_token,
// scope) plus the variants some servers send (expires_at as absolute unix time, scopes as an array).

export interface TokenSet {
  /** Secret. */
  accessToken: string;
  /** Secret; undefined when the server did not send one (a refresh then keeps the old one). */
  refreshToken: string | undefined;
  /** Unix seconds; undefined when the server gave no lifetime. */
  expiresAt: number | undefined;
  /** undefined when the server did not say (RFC 6749: then the granted scope equals the requested one). */
  scopes: string[] | undefined;
}

export class TokenResponseError extends Error {}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new TokenResponseError(`the token response has a non-string "${key}"`);
  return value;
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  // Some servers send numbers as strings ("3600").
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new TokenResponseError(`the token response has a non-numeric "${key}"`);
  return n;
}

/** `nowSeconds` turns a relative expires_in into the absolute expiresAt we store. */
export function parseTokenResponse(body: unknown, nowSeconds: number): TokenSet {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new TokenResponseError("the token response is not a JSON object");
  const record = body as Record<string, unknown>;
  const accessToken = optionalString(record, "access_token");
  if (!accessToken) throw new TokenResponseError('the token response has no "access_token"');
  const tokenType = optionalString(record, "token_type");
  if (tokenType !== undefined && tokenType.toLowerCase() !== "bearer")
    throw new TokenResponseError(`the token type "${tokenType.slice(0, 40)}" is not supported (Bearer only)`);
  const refreshToken = optionalString(record, "refresh_token") || undefined;

  let expiresAt: number | undefined;
  const expiresIn = optionalNumber(record, "expires_in");
  const absolute = optionalNumber(record, "expires_at");
  if (expiresIn !== undefined) expiresAt = Math.floor(nowSeconds + expiresIn);
  else if (absolute !== undefined) {
    // Milliseconds are common enough to recognise: anything past year 33658 in seconds is really ms.
    expiresAt = Math.floor(absolute > 1e12 ? absolute / 1000 : absolute);
  }

  let scopes: string[] | undefined;
  const scope = optionalString(record, "scope");
  if (scope !== undefined) scopes = scope.split(/\s+/).filter((s) => s !== "");
  else if (record.scopes !== undefined && record.scopes !== null) {
    if (!Array.isArray(record.scopes) || record.scopes.some((s) => typeof s !== "string"))
      throw new TokenResponseError('the token response has a malformed "scopes"');
    scopes = record.scopes as string[];
  }
  return { accessToken, refreshToken, expiresAt, scopes };
}
