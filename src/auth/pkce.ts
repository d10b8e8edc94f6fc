// PKCE (RFC 7636, S256) and the anti-CSRF `state`: 32 random bytes each, base64url without padding.
// oauth4webapi is loaded lazily so commands that never log in don't pay for it.

export interface PkcePair {
  /** Secret: never logged, printed or passed to another process. */
  verifier: string;
  challenge: string;
  method: "S256";
}

/** base64url(SHA-256(verifier)), the S256 code challenge. */
export async function codeChallengeFor(verifier: string): Promise<string> {
  const oauth = await import("oauth4webapi");
  return oauth.calculatePKCECodeChallenge(verifier);
}

export async function createPkcePair(): Promise<PkcePair> {
  const oauth = await import("oauth4webapi");
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await codeChallengeFor(verifier), method: "S256" };
}

export async function createState(): Promise<string> {
  const oauth = await import("oauth4webapi");
  return oauth.generateRandomState();
}
