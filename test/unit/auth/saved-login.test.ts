import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialsStore, type OAuthCredentials } from "../../../src/auth/credentials-store.js";
import { isExpired, refreshSavedLogin } from "../../../src/auth/saved-login.js";
import { TokenEndpointError } from "../../../src/auth/token-client.js";
import { type MockOAuth, startMockOAuth } from "../../support/mock-oauth.js";

let root: string;
let oauth: MockOAuth;
const past = () => Math.floor(Date.now() / 1000) - 10;
const future = () => Math.floor(Date.now() / 1000) + 3600;
const newStore = () => new CredentialsStore(root, { warn: () => {} });
/** Seeds the credentials file with a saved login (no scopes unless given). */
const saveLogin = (creds: Omit<OAuthCredentials, "scopes"> & { scopes?: string[] }) =>
  newStore().saveOAuth({ ...creds, scopes: creds.scopes ?? [] });

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "claw-refresh-"));
  oauth = await startMockOAuth();
});
afterEach(async () => {
  await oauth.close();
  rmSync(root, { recursive: true, force: true });
});

const config = () => ({
  clientId: oauth.clientId,
  authorizeUrl: oauth.authorizeUrl,
  tokenUrl: oauth.tokenUrl,
  callbackPort: undefined,
  scopes: [],
});
const refresh = (staleAccessToken: string, store = newStore()) =>
  refreshSavedLogin({
    store,
    staleAccessToken,
    loadConfig: async () => config(),
    request: { retryBaseMs: 5 },
  });

describe("isExpired", () => {
  it("counts a token within the skew margin as expired and one without expiry as valid", () => {
    const now = 1000;
    expect(
      isExpired({ accessToken: "a", refreshToken: undefined, expiresAt: now + 30, scopes: [] }, now),
    ).toBe(true);
    expect(
      isExpired({ accessToken: "a", refreshToken: undefined, expiresAt: now + 120, scopes: [] }, now),
    ).toBe(false);
    expect(
      isExpired({ accessToken: "a", refreshToken: undefined, expiresAt: undefined, scopes: [] }, now),
    ).toBe(false);
  });
});

describe("refreshSavedLogin", () => {
  it("refreshes, saves the rotated tokens and keeps other keys", async () => {
    const seeded = oauth.issueTokens();
    await saveLogin({
      accessToken: "at_old",
      refreshToken: seeded.refreshToken,
      expiresAt: past(),
      scopes: ["s"],
    });
    const outcome = await refresh("at_old");
    expect(outcome.kind).toBe("refreshed");
    const saved = await newStore().readOAuth();
    expect(oauth.isValidAccessToken(saved?.accessToken ?? "")).toBe(true);
    expect(saved?.refreshToken).not.toBe(seeded.refreshToken);
    expect(saved?.scopes).toEqual(["user:inference"]);
  });

  it("keeps the old refresh token when the response omits one", async () => {
    oauth.refreshMode = "omit";
    const seeded = oauth.issueTokens();
    await saveLogin({ accessToken: "at_old", refreshToken: seeded.refreshToken, expiresAt: past() });
    await refresh("at_old");
    const saved = await newStore().readOAuth();
    expect(saved?.refreshToken).toBe(seeded.refreshToken);
    expect(saved?.accessToken).not.toBe("at_old");
  });

  it("uses a token another process saved instead of refreshing", async () => {
    await saveLogin({ accessToken: "at_new", refreshToken: "rt_x", expiresAt: future() });
    const outcome = await refresh("at_old");
    expect(outcome).toMatchObject({ kind: "reloaded", creds: { accessToken: "at_new" } });
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it("refreshes a rejected token even if its clock says it is valid (API 401)", async () => {
    const seeded = oauth.issueTokens();
    await saveLogin({ accessToken: "at_rejected", refreshToken: seeded.refreshToken, expiresAt: future() });
    expect((await refresh("at_rejected")).kind).toBe("refreshed");
    expect(oauth.tokenRequests).toHaveLength(1);
  });

  it("leaves the file byte-identical when the refresh is rejected", async () => {
    await saveLogin({ accessToken: "at_old", refreshToken: "rt_revoked", expiresAt: past() });
    const before = readFileSync(join(root, "credentials.json"));
    await expect(refresh("at_old")).rejects.toSatisfy(
      (e) => e instanceof TokenEndpointError && e.kind === "invalid_grant",
    );
    expect(readFileSync(join(root, "credentials.json"))).toEqual(before);
  });

  it("makes exactly one request when several refreshers race (rotation would reject the second)", async () => {
    const seeded = oauth.issueTokens();
    await saveLogin({ accessToken: "at_old", refreshToken: seeded.refreshToken, expiresAt: past() });
    const outcomes = await Promise.all([refresh("at_old"), refresh("at_old"), refresh("at_old")]);
    expect(oauth.tokenRequests).toHaveLength(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(["refreshed", "reloaded", "reloaded"]);
    const tokens = outcomes.map((o) => ("creds" in o ? o.creds.accessToken : ""));
    expect(new Set(tokens).size).toBe(1);
  });

  it("reports a missing login and a missing refresh token", async () => {
    expect((await refresh("x")).kind).toBe("logged-out");
    await saveLogin({ accessToken: "at_old", refreshToken: undefined, expiresAt: past() });
    expect((await refresh("at_old")).kind).toBe("no-refresh-token");
  });
});
