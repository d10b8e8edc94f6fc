// Saved OAuth at startup, end to end: `claw -p` against the mock Messages API (which accepts only tokens the
// mock authorization server issued) with expired, rotated, revoked and concurrently refreshed logins
// (FAULTS A10, U4–U6, U9, U12) — and `--version` staying purely local.
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox, spawnClaw } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import {
  browserLogIn,
  type MockOAuth,
  startMockOAuth,
  waitForBrowserExit,
  writeBrowserScript,
} from "../support/mock-oauth.js";

let sandbox: Sandbox;
let oauth: MockOAuth;
let api: MockAnthropic;
/** Tokens the API treats as revoked even though the authorization server issued them. */
let rejected: Set<string>;
/** Runs inside the mock API before it answers, e.g. to simulate another process logging in. */
let beforeReply: ((token: string) => void) | undefined;

const now = () => Math.floor(Date.now() / 1000);
const credsPath = () => join(sandbox.configHome, "credentials.json");
const readCreds = () => JSON.parse(readFileSync(credsPath(), "utf8"));
const writeCreds = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  writeFileSync(credsPath(), JSON.stringify({ ...extra, oauth: entry }), { mode: 0o600 });
const bearer = (i: number) => String(api.messageRequests()[i]?.headers.authorization ?? "");
const env = () => ({ ANTHROPIC_BASE_URL: api.url });
const ask = () => runClaw(["-p", "hello"], { sandbox, env: env() });

beforeEach(async () => {
  sandbox = makeSandbox("claw-auth-startup-");
  oauth = await startMockOAuth();
  rejected = new Set();
  beforeReply = undefined;
  api = await startMockAnthropic({
    handler: (request) => {
      const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1] ?? "";
      beforeReply?.(token);
      if (oauth.isValidAccessToken(token) && !rejected.has(token)) return reply.text("answer from the API");
      return reply.unauthorized("OAuth token has expired");
    },
  });
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ oauth: oauth.settings() }));
});
afterEach(async () => {
  await waitForBrowserExit(browserLogIn(sandbox.root));
  await api.close();
  await oauth.close();
  sandbox.cleanup();
});

/** No token may appear in output or in any file under the config home except the credentials file (U9). */
function expectNoLeaks(output: string, tokens: string[]) {
  for (const t of tokens) expect(output).not.toContain(t);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const file of walk(sandbox.configHome)) {
    if (file.includes("credentials.json")) continue;
    const text = readFileSync(file, "utf8");
    for (const t of tokens) expect(text, file).not.toContain(t);
  }
}

describe("saved login at startup", () => {
  it("`claw login`, then `claw -p` sends the saved token as Bearer", async () => {
    const browser = writeBrowserScript(sandbox.root);
    const login = await runClaw(["login"], { sandbox, env: { BROWSER: browser.path } });
    expect(login.code).toBe(0);
    const saved = readCreds().oauth;
    const r = await ask();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("answer from the API");
    expect(bearer(0)).toBe(`Bearer ${saved.accessToken}`);
    expect(api.messageRequests()[0]?.headers["x-api-key"]).toBeUndefined();
    expect(oauth.tokenRequests).toHaveLength(1); // the code exchange only: no refresh
    expectNoLeaks(login.stdout + login.stderr + r.stdout + r.stderr, [saved.accessToken, saved.refreshToken]);
  });

  it("lets ANTHROPIC_API_KEY win over the saved login", async () => {
    const seeded = oauth.issueTokens();
    writeCreds({ accessToken: seeded.accessToken, expiresAt: now() + 3600 });
    await runClaw(["-p", "hello"], { sandbox, env: { ...env(), ANTHROPIC_API_KEY: "sk-env" } });
    expect(api.messageRequests()[0]?.headers["x-api-key"]).toBe("sk-env");
    expect(api.messageRequests()[0]?.headers.authorization).toBeUndefined();
  });

  it("refreshes an expired token, saves the rotated pair and keeps other keys", async () => {
    const seeded = oauth.issueTokens();
    writeCreds(
      { accessToken: "at_expired", refreshToken: seeded.refreshToken, expiresAt: now() - 30, scopes: ["s"] },
      { keep: "me" },
    );
    const r = await ask();
    expect(r.code).toBe(0);
    const saved = readCreds();
    expect(saved.keep).toBe("me");
    expect(saved.oauth.refreshToken).not.toBe(seeded.refreshToken);
    expect(oauth.isValidAccessToken(saved.oauth.accessToken)).toBe(true);
    expect(bearer(0)).toBe(`Bearer ${saved.oauth.accessToken}`);
    expect(oauth.tokenRequests.map((t) => t.grantType)).toEqual(["refresh_token"]);
    expect(statSync(credsPath()).mode & 0o777).toBe(0o600);
    expectNoLeaks(r.stdout + r.stderr, [
      saved.oauth.accessToken,
      saved.oauth.refreshToken,
      seeded.refreshToken,
    ]);
  });

  it("keeps the old refresh token when the refresh response has none (U5)", async () => {
    oauth.refreshMode = "omit";
    const seeded = oauth.issueTokens();
    writeCreds({ accessToken: "at_expired", refreshToken: seeded.refreshToken, expiresAt: now() - 30 });
    const r = await ask();
    expect(r.code).toBe(0);
    expect(readCreds().oauth.refreshToken).toBe(seeded.refreshToken);
    expect(readCreds().oauth.accessToken).not.toBe("at_expired");
  });

  it("stops with one line and no API request when expired without a refresh token", async () => {
    writeCreds({ accessToken: "at_expired", expiresAt: now() - 30 });
    const r = await ask();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("claw: saved login expired; run `claw login`\n");
    expect(api.messageRequests()).toHaveLength(0);
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it("treats a rejected refresh (invalid_grant) as an expired login and leaves the file byte-identical (U4)", async () => {
    writeCreds({ accessToken: "at_expired", refreshToken: "rt_revoked", expiresAt: now() - 30 });
    const before = readFileSync(credsPath());
    const r = await ask();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("claw: saved login expired; run `claw login`\n");
    expect(readFileSync(credsPath())).toEqual(before);
    expect(api.messageRequests()).toHaveLength(0);
  });

  it("retries a failing token endpoint with backoff, then fails clearly, never writing blanks (U4)", async () => {
    oauth.tokenFaults.push({ status: 500 }, { status: 503 }, { status: 500 });
    writeCreds({ accessToken: "at_expired", refreshToken: "rt_x", expiresAt: now() - 30 });
    const before = readFileSync(credsPath());
    const r = await ask();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^claw: could not refresh the saved login: .*HTTP 500 \(3 attempts\); try again later\n$/,
    );
    expect(oauth.tokenRequests).toHaveLength(3);
    expect(readFileSync(credsPath())).toEqual(before);
    expect(api.messageRequests()).toHaveLength(0);
  });

  it("treats a refresh timeout like a 5xx", async () => {
    oauth.tokenFaults.push({ hang: true }, { hang: true }, { hang: true });
    writeCreds({ accessToken: "at_expired", refreshToken: "rt_x", expiresAt: now() - 30 });
    const before = readFileSync(credsPath());
    const r = await runClaw(["-p", "hello"], { sandbox, env: { ...env(), CLAW_OAUTH_TIMEOUT_MS: "300" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("did not answer");
    expect(readFileSync(credsPath())).toEqual(before);
  });

  it("refreshes exactly once when two processes start with the same expired token (U6)", async () => {
    const seeded = oauth.issueTokens(); // rotation: reusing this refresh token would be rejected
    writeCreds({ accessToken: "at_expired", refreshToken: seeded.refreshToken, expiresAt: now() - 30 });
    const a = spawnClaw(["-p", "one"], { sandbox, env: env() });
    const b = spawnClaw(["-p", "two"], { sandbox, env: env() });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.stderr + rb.stderr).toBe("");
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(oauth.tokenRequests).toHaveLength(1);
    const saved = readCreds().oauth;
    expect(api.messageRequests().map((m) => m.headers.authorization)).toEqual([
      `Bearer ${saved.accessToken}`,
      `Bearer ${saved.accessToken}`,
    ]);
  });

  it("refreshes once after a 401 and retries once (A10)", async () => {
    const seeded = oauth.issueTokens();
    rejected.add(seeded.accessToken);
    writeCreds({
      accessToken: seeded.accessToken,
      refreshToken: seeded.refreshToken,
      expiresAt: now() + 3600,
    });
    const r = await ask();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("answer from the API");
    expect(oauth.tokenRequests).toHaveLength(1);
    const saved = readCreds().oauth;
    expect(api.messageRequests().map((m) => m.headers.authorization)).toEqual([
      `Bearer ${seeded.accessToken}`,
      `Bearer ${saved.accessToken}`,
    ]);
  });

  it("after a 401, uses a login another process saved instead of refreshing (U12)", async () => {
    const first = oauth.issueTokens();
    const second = oauth.issueTokens();
    rejected.add(first.accessToken);
    writeCreds({ accessToken: first.accessToken, refreshToken: first.refreshToken, expiresAt: now() + 3600 });
    beforeReply = (token) => {
      if (token === first.accessToken)
        writeCreds({
          accessToken: second.accessToken,
          refreshToken: second.refreshToken,
          expiresAt: now() + 3600,
        });
    };
    const r = await ask();
    expect(r.code).toBe(0);
    expect(oauth.tokenRequests).toHaveLength(0);
    expect(bearer(1)).toBe(`Bearer ${second.accessToken}`);
  });

  it("gives up after a second 401 with `claw login` advice: no loop (A10)", async () => {
    const seeded = oauth.issueTokens();
    writeCreds({
      accessToken: seeded.accessToken,
      refreshToken: seeded.refreshToken,
      expiresAt: now() + 3600,
    });
    await api.close();
    api = await startMockAnthropic({ handler: () => reply.unauthorized("OAuth token has expired") });
    const r = await runClaw(["-p", "hello"], { sandbox, env: env() });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("claw login");
    expect(api.messageRequests()).toHaveLength(2);
    expect(oauth.tokenRequests).toHaveLength(1);
    expectNoLeaks(r.stdout + r.stderr, [seeded.accessToken, readCreds().oauth.accessToken]);
  });

  it("reports a corrupt credentials file as one line, keeps it, and sends nothing (U7)", async () => {
    writeFileSync(credsPath(), '{"oauth": {"accessToken": ', { mode: 0o600 });
    const r = await ask();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^claw: .*credentials\.json is unreadable \(not valid JSON; a copy is at .*corrupt-.*claw login`\n$/,
    );
    expect(readFileSync(credsPath(), "utf8")).toBe('{"oauth": {"accessToken": ');
    expect(api.messageRequests()).toHaveLength(0);
  });
});

describe("--version", () => {
  it("stays local with an unreadable credentials file and no reachable network", async () => {
    writeFileSync(credsPath(), "{garbage", { mode: 0o600 });
    chmodSync(credsPath(), 0o000);
    writeFileSync(join(sandbox.configHome, "settings.json"), "{also garbage");
    const r = await runClaw(["--version"], {
      sandbox,
      env: {
        ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
      },
    });
    chmodSync(credsPath(), 0o600);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^claw \d+\.\d+\.\d+/);
    expect(r.stderr).toBe("");
    expect(readdirSync(sandbox.configHome).sort()).toEqual(["credentials.json", "settings.json"]);
    expect(oauth.tokenRequests).toHaveLength(0);
  });
});
