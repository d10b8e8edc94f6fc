import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuthSource } from "../../../src/api/auth-source.js";
import {
  LOGIN_EXPIRED_MESSAGE,
  resolveStartupAuth,
  StartupAuthError,
} from "../../../src/api/startup-auth.js";
import { type MockOAuth, startMockOAuth } from "../../support/mock-oauth.js";

let root: string;
let configHome: string;
let cwd: string;
let oauth: MockOAuth;
let warnings: string[];
const credsFile = () => join(configHome, "credentials.json");
const now = () => Math.floor(Date.now() / 1000);
const writeCreds = (oauthEntry: unknown, extra: Record<string, unknown> = {}) =>
  writeFileSync(credsFile(), JSON.stringify({ ...extra, oauth: oauthEntry }), { mode: 0o600 });
const writeSettings = () =>
  writeFileSync(join(configHome, "settings.json"), JSON.stringify({ oauth: oauth.settings() }));
const resolve = (env: NodeJS.ProcessEnv = {}) =>
  resolveStartupAuth({ env, configHome, cwd, onWarning: (m) => warnings.push(m) });

async function startupError(env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await resolve(env);
  } catch (error) {
    if (error instanceof StartupAuthError) return error.message;
    throw error;
  }
  throw new Error("expected StartupAuthError");
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "claw-startup-"));
  configHome = join(root, "config");
  cwd = join(root, "project");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  oauth = await startMockOAuth();
  warnings = [];
});
afterEach(async () => {
  await oauth.close();
  rmSync(root, { recursive: true, force: true });
});

describe("resolveStartupAuth", () => {
  it("prefers the API key, then the auth token env, over a saved login", async () => {
    writeCreds({ accessToken: "at_saved", expiresAt: now() + 3600 });
    expect((await resolve({ ANTHROPIC_API_KEY: "k" })).headers()).toEqual({ "x-api-key": "k" });
    expect((await resolve({ ANTHROPIC_AUTH_TOKEN: "t" })).headers()).toEqual({ authorization: "Bearer t" });
    const saved = await resolve();
    expect(saved.headers()).toEqual({ authorization: "Bearer at_saved" });
    expect(saved.origins).toEqual(["saved-oauth"]);
  });

  it("keeps AuthSource.fromEnv env-only", () => {
    expect(AuthSource.fromEnv({})).toBeUndefined();
  });

  it("uses a valid token without reading the oauth config (even a broken one)", async () => {
    writeFileSync(join(configHome, "settings.json"), "{broken");
    writeCreds({ accessToken: "at_saved", expiresAt: now() + 3600 });
    expect((await resolve()).bearerToken).toBe("at_saved");
  });

  it("says how to get credentials when there are none", async () => {
    expect(await startupError()).toContain("claw login");
  });

  it("refuses an expired token without a refresh token, without any request", async () => {
    writeCreds({ accessToken: "at_old", expiresAt: now() - 5 });
    expect(await startupError()).toBe(LOGIN_EXPIRED_MESSAGE);
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it("refreshes an expired token, saves it and keeps other keys", async () => {
    writeSettings();
    const seeded = oauth.issueTokens();
    writeCreds(
      { accessToken: "at_old", refreshToken: seeded.refreshToken, expiresAt: now() - 5 },
      { other: 1 },
    );
    const source = await resolve();
    expect(oauth.isValidAccessToken(source.bearerToken ?? "")).toBe(true);
    const saved = JSON.parse(readFileSync(credsFile(), "utf8"));
    expect(saved.other).toBe(1);
    expect(saved.oauth.accessToken).toBe(source.bearerToken);
    expect(saved.oauth.expiresAt).toBeGreaterThan(now() + 3000);
  });

  it("turns invalid_grant into the expired message and leaves the file untouched", async () => {
    writeSettings();
    writeCreds({ accessToken: "at_old", refreshToken: "rt_revoked", expiresAt: now() - 5 });
    const before = readFileSync(credsFile());
    expect(await startupError()).toBe(LOGIN_EXPIRED_MESSAGE);
    expect(readFileSync(credsFile())).toEqual(before);
  });

  it("retries a failing token endpoint, then fails clearly with the file untouched", async () => {
    writeSettings();
    oauth.tokenFaults.push({ status: 500 }, { status: 500 }, { status: 500 });
    writeCreds({ accessToken: "at_old", refreshToken: "rt_x", expiresAt: now() - 5 });
    const before = readFileSync(credsFile());
    const message = await startupError();
    expect(message).toMatch(/could not refresh the saved login: .*HTTP 500.*3 attempts.*try again later/);
    expect(message).not.toContain("rt_x");
    expect(oauth.tokenRequests).toHaveLength(3);
    expect(readFileSync(credsFile())).toEqual(before);
  });

  it("explains a missing oauth config when a refresh is needed", async () => {
    writeCreds({ accessToken: "at_old", refreshToken: "rt_x", expiresAt: now() - 5 });
    expect(await startupError()).toMatch(
      /saved login expired and cannot be refreshed: no OAuth server configured/,
    );
  });

  it("reports a corrupt credentials file as one line naming the backup", async () => {
    writeFileSync(credsFile(), "{trunc");
    expect(await startupError()).toMatch(/credentials\.json is unreadable .*corrupt-.*claw login/);
  });

  describe("onUnauthorized", () => {
    it("switches to a token another process saved, without a request", async () => {
      writeCreds({ accessToken: "at_a", expiresAt: now() + 3600 });
      const source = await resolve();
      writeCreds({ accessToken: "at_b", expiresAt: now() + 3600 });
      const next = await source.onUnauthorized?.();
      expect(next?.bearerToken).toBe("at_b");
      expect(oauth.tokenRequests).toHaveLength(0);
    });

    it("refreshes once when the file still holds the rejected token", async () => {
      writeSettings();
      const seeded = oauth.issueTokens();
      writeCreds({ accessToken: "at_rejected", refreshToken: seeded.refreshToken, expiresAt: now() + 3600 });
      const source = await resolve();
      const next = await source.onUnauthorized?.();
      expect(oauth.isValidAccessToken(next?.bearerToken ?? "")).toBe(true);
      expect(oauth.tokenRequests).toHaveLength(1);
    });

    it("returns undefined when nothing can help (no refresh token)", async () => {
      writeCreds({ accessToken: "at_rejected", expiresAt: now() + 3600 });
      const source = await resolve();
      expect(await source.onUnauthorized?.()).toBeUndefined();
    });

    it("returns undefined with a warning when the refresh is rejected", async () => {
      writeSettings();
      writeCreds({ accessToken: "at_rejected", refreshToken: "rt_revoked", expiresAt: now() + 3600 });
      const source = await resolve();
      expect(await source.onUnauthorized?.()).toBeUndefined();
      expect(warnings.join("\n")).toMatch(/^claw: could not refresh the saved login: .*invalid_grant/);
    });
  });
});
