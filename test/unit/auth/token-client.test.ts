import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildAuthorizationUrl, loopbackRedirectUri } from "../../../src/auth/authorize-url.js";
import { createPkcePair, createState } from "../../../src/auth/pkce.js";
import {
  exchangeAuthorizationCode,
  refreshAccessToken,
  TokenEndpointError,
} from "../../../src/auth/token-client.js";
import { type MockOAuth, startMockOAuth } from "../../support/mock-oauth.js";

let oauth: MockOAuth;
beforeEach(async () => {
  oauth = await startMockOAuth();
});
afterEach(async () => {
  await oauth.close();
});

const config = () => ({
  clientId: oauth.clientId,
  tokenUrl: oauth.tokenUrl,
  authorizeUrl: oauth.authorizeUrl,
  scopes: ["a"],
});
const fast = { retryBaseMs: 5, timeoutMs: 300 };

/** Runs the authorize step like a browser would and returns the code from the redirect. */
async function authorize(redirectUri: string) {
  const pkce = await createPkcePair();
  const state = await createState();
  const url = buildAuthorizationUrl({ config: config(), redirectUri, state, codeChallenge: pkce.challenge });
  const res = await fetch(url, { redirect: "manual" });
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe(state);
  return { code: location.searchParams.get("code") ?? "", verifier: pkce.verifier };
}

async function errorOf(promise: Promise<unknown>): Promise<TokenEndpointError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenEndpointError) return error;
    throw error;
  }
  throw new Error("expected a TokenEndpointError");
}

describe("authorization code exchange", () => {
  it("sends a form-encoded request the server accepts (PKCE verifier, same redirect_uri) and parses tokens", async () => {
    const redirectUri = loopbackRedirectUri(4321);
    const { code, verifier } = await authorize(redirectUri);
    const tokens = await exchangeAuthorizationCode({
      config: config(),
      code,
      redirectUri,
      verifier,
      ...fast,
    });
    expect(oauth.isValidAccessToken(tokens.accessToken)).toBe(true);
    expect(tokens.refreshToken).toMatch(/^rt_/);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    const sent = oauth.tokenRequests[0];
    expect(sent?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent?.params).toMatchObject({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: oauth.clientId,
    });
  });

  it("fails with invalid_grant for a wrong verifier, and a code works only once", async () => {
    const redirectUri = loopbackRedirectUri(4321);
    const { code, verifier } = await authorize(redirectUri);
    const other = await createPkcePair();
    const bad = await errorOf(
      exchangeAuthorizationCode({ config: config(), code, redirectUri, verifier: other.verifier, ...fast }),
    );
    expect(bad.kind).toBe("invalid_grant");
    expect(bad.transient).toBe(false);
    // The server burned the code on the failed attempt.
    const again = await errorOf(
      exchangeAuthorizationCode({ config: config(), code, redirectUri, verifier, ...fast }),
    );
    expect(again.kind).toBe("invalid_grant");
    expect(`${bad.message} ${again.message}`).not.toContain(code);
    expect(oauth.tokenRequests).toHaveLength(2);
  });

  it("retries a 500 and succeeds on the next attempt", async () => {
    const redirectUri = loopbackRedirectUri(1);
    const { code, verifier } = await authorize(redirectUri);
    oauth.tokenFaults.push({ status: 500 });
    const tokens = await exchangeAuthorizationCode({
      config: config(),
      code,
      redirectUri,
      verifier,
      ...fast,
    });
    expect(oauth.isValidAccessToken(tokens.accessToken)).toBe(true);
    expect(oauth.tokenRequests.map((r) => r.status)).toEqual([500, 200]);
  });

  it("reports a 400 other than invalid_grant as rejected without retrying", async () => {
    oauth.tokenFaults.push({ status: 400, body: { error: "invalid_request", error_description: "nope" } });
    const error = await errorOf(
      exchangeAuthorizationCode({
        config: config(),
        code: "c",
        redirectUri: loopbackRedirectUri(1),
        verifier: "v".repeat(43),
        ...fast,
      }),
    );
    expect(error.kind).toBe("rejected");
    expect(error.message).toContain("invalid_request: nope");
    expect(oauth.tokenRequests).toHaveLength(1);
  });
});

describe("refresh", () => {
  it("returns new tokens and rotates the refresh token", async () => {
    const seeded = oauth.issueTokens();
    const tokens = await refreshAccessToken({ config: config(), refreshToken: seeded.refreshToken, ...fast });
    expect(oauth.isValidAccessToken(tokens.accessToken)).toBe(true);
    expect(tokens.refreshToken).not.toBe(seeded.refreshToken);
    expect(oauth.tokenRequests[0]?.params).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: seeded.refreshToken,
    });
    const reuse = await errorOf(
      refreshAccessToken({ config: config(), refreshToken: seeded.refreshToken, ...fast }),
    );
    expect(reuse.kind).toBe("invalid_grant");
  });

  it("gives up after three 5xx answers with a transient error naming the endpoint", async () => {
    oauth.tokenFaults.push({ status: 503 }, { status: 500 }, { status: 502 });
    const error = await errorOf(refreshAccessToken({ config: config(), refreshToken: "rt_x", ...fast }));
    expect(error.kind).toBe("server");
    expect(error.transient).toBe(true);
    expect(error.message).toContain(oauth.tokenUrl);
    expect(error.message).toContain("3 attempts");
    expect(error.message).not.toContain("rt_x");
    expect(oauth.tokenRequests).toHaveLength(3);
  });

  it("times out a hanging endpoint per attempt and retries", async () => {
    oauth.tokenFaults.push({ hang: true }, { hang: true });
    const error = await errorOf(
      refreshAccessToken({
        config: config(),
        refreshToken: "rt_x",
        retryBaseMs: 5,
        timeoutMs: 200,
        attempts: 2,
      }),
    );
    expect(error.kind).toBe("timeout");
    // Counted by the client: under load an aborted attempt may never reach the server's log.
    expect(error.message).toContain("did not answer within 200 ms (2 attempts)");
  });

  it("reports an unreachable endpoint as a network error", async () => {
    const url = oauth.tokenUrl;
    await oauth.close();
    const error = await errorOf(
      refreshAccessToken({
        config: { clientId: "c", tokenUrl: url },
        refreshToken: "rt_x",
        retryBaseMs: 5,
        attempts: 2,
      }),
    );
    expect(error.kind).toBe("network");
    oauth = await startMockOAuth(); // for afterEach
  });

  it("reads the expires_at / scopes variant", async () => {
    await oauth.close();
    oauth = await startMockOAuth({ responseStyle: "variant" });
    const seeded = oauth.issueTokens();
    const tokens = await refreshAccessToken({ config: config(), refreshToken: seeded.refreshToken, ...fast });
    expect(tokens.scopes).toEqual(["user:inference"]);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
  });
});
