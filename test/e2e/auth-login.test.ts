// `claw login` / `claw logout` end to end: the built CLI against the mock authorization server, with BROWSER set
// to a script that follows the redirect to the loopback callback (FAULTS U1–U3, U4, U8, U10, U11).
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_COMMAND, cleanEnv, makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import {
  browserLogIn,
  type MockOAuth,
  startMockOAuth,
  waitForBrowserExit,
  writeBrowserScript,
} from "../support/mock-oauth.js";

let sandbox: Sandbox;
let oauth: MockOAuth;

beforeEach(async () => {
  sandbox = makeSandbox("claw-auth-login-");
  oauth = await startMockOAuth();
});
afterEach(async () => {
  await waitForBrowserExit(browserLogIn(sandbox.root));
  await oauth.close();
  sandbox.cleanup();
});

const credsPath = () => join(sandbox.configHome, "credentials.json");
const readCreds = () => JSON.parse(readFileSync(credsPath(), "utf8"));
const writeSettings = (extra: Record<string, unknown> = {}) =>
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ oauth: oauth.settings(extra) }));
const browserLog = (log: string) =>
  existsSync(log)
    ? readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

/** The browser script is detached and may still be writing its log when claw exits. */
async function browserSteps(log: string, until: string): Promise<Array<Record<string, unknown>>> {
  for (let i = 0; i < 100; i++) {
    const steps = browserLog(log);
    if (steps.some((s) => s.step === until || s.step === "error")) return steps;
    await new Promise((r) => setTimeout(r, 50));
  }
  return browserLog(log);
}

function login(
  env: Record<string, string | undefined> = {},
  mode: "follow" | "probe-then-follow" | "ignore" = "follow",
) {
  const browser = writeBrowserScript(sandbox.root, mode);
  return {
    browser,
    result: runClaw(["login"], {
      sandbox,
      env: { BROWSER: browser.path, ...env },
    }),
  };
}

/** Nothing secret may reach the terminal. */
function expectNoSecrets(output: string) {
  const secrets: string[] = [];
  for (const r of oauth.tokenRequests) {
    for (const key of ["code", "code_verifier", "refresh_token"])
      if (r.params[key]) secrets.push(r.params[key]);
  }
  if (existsSync(credsPath())) {
    const saved = readCreds().oauth ?? {};
    if (saved.accessToken) secrets.push(saved.accessToken);
    if (saved.refreshToken) secrets.push(saved.refreshToken);
  }
  for (const secret of secrets) expect(output).not.toContain(secret);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("claw login", () => {
  it("signs in through the browser, saves 0600 credentials and says where (U11)", async () => {
    writeSettings();
    const { browser, result } = login({}, "probe-then-follow");
    const r = await result;
    expect(r.stderr).toContain(oauth.authorizeUrl);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Logged in; the token expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 60 minutes\)\. Saved to /,
    );
    expect(r.stdout.trim().endsWith(credsPath())).toBe(true);

    const saved = readCreds().oauth;
    expect(oauth.isValidAccessToken(saved.accessToken)).toBe(true);
    expect(saved.refreshToken).toMatch(/^rt_/);
    expect(saved.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(saved.scopes).toEqual(["user:inference", "offline_access"]);
    expect(statSync(credsPath()).mode & 0o777).toBe(0o600);

    // The authorize request: S256, a fresh state, a loopback redirect reused at the token exchange.
    const q = oauth.authorizeRequests[0] as URLSearchParams;
    expect(oauth.authorizeErrors).toEqual([]);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(Buffer.from(q.get("state") ?? "", "base64url").length).toBeGreaterThanOrEqual(16);
    expect(q.get("scope")).toBe("user:inference offline_access");
    expect(q.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(oauth.tokenRequests).toHaveLength(1);
    expect(oauth.tokenRequests[0]?.params.redirect_uri).toBe(q.get("redirect_uri"));
    expect(oauth.tokenRequests[0]?.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);

    // The browser got the URL as one argument; other paths 404 without ending the wait; the page says done.
    const steps = await browserSteps(browser.log, "callback");
    expect(steps.find((s) => s.step === "argv")).toMatchObject({ count: 1 });
    expect(steps.find((s) => s.step === "probe")).toMatchObject({ status: 404 });
    const callback = steps.find((s) => s.step === "callback");
    expect(callback).toMatchObject({ status: 200 });
    expect(String(callback?.body)).toContain("close this window");
    expectNoSecrets(r.stdout + r.stderr);
  });

  it("reads the expires_at / scopes token response variant", async () => {
    await oauth.close();
    oauth = await startMockOAuth({ responseStyle: "variant" });
    writeSettings();
    const r = await login().result;
    expect(r.code).toBe(0);
    expect(readCreds().oauth.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(readCreds().oauth.scopes).toEqual(["user:inference", "offline_access"]);
  });

  it("fails on a state mismatch with a 400 page and no token request (U1)", async () => {
    writeSettings();
    oauth.authorizeBehaviour = "wrong-state";
    const { browser, result } = login();
    const r = await result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("state mismatch");
    expect(oauth.tokenRequests).toHaveLength(0);
    const steps = await browserSteps(browser.log, "callback");
    expect(steps.find((s) => s.step === "callback")).toMatchObject({ status: 400 });
    expect(existsSync(credsPath())).toBe(false);
  });

  it("fails on a callback without state, with no token request", async () => {
    writeSettings();
    oauth.authorizeBehaviour = "no-state";
    const r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no state");
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it("reports the server's error and description (U2)", async () => {
    writeSettings();
    oauth.authorizeBehaviour = "error";
    const r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("access_denied (The user declined the request)");
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^claw: login failed/);
    expect(oauth.tokenRequests).toHaveLength(0);
  });

  it("listens on the configured callback port when it is free", async () => {
    const port = await freePort();
    writeSettings({ callbackPort: port });
    const r = await login().result;
    expect(r.code).toBe(0);
    expect(oauth.authorizeRequests[0]?.get("redirect_uri")).toBe(`http://127.0.0.1:${port}/callback`);
  });

  it("falls back to another loopback port when the configured one is busy (U3)", async () => {
    const busy: Server = createServer((_req, res) => res.end("not claw"));
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as AddressInfo).port;
    try {
      writeSettings({ callbackPort: port });
      const r = await login().result;
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`callback port ${port} is busy; listening on port \\d+ instead`));
      const redirect = oauth.authorizeRequests[0]?.get("redirect_uri") ?? "";
      expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(redirect).not.toContain(`:${port}/`);
      expect(oauth.tokenRequests[0]?.params.redirect_uri).toBe(redirect);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  it("times out when nothing comes back, and closes the listener", async () => {
    writeSettings();
    const r = await login({ CLAW_LOGIN_TIMEOUT_MS: "400" }, "ignore").result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("login timed out");
    expect(oauth.tokenRequests).toHaveLength(0);
    const redirect = /redirect_uri=([^&\s]+)/.exec(r.stderr)?.[1] ?? "";
    await expect(fetch(new URL(decodeURIComponent(redirect)))).rejects.toThrow();
  });

  it("fails with 400 from the token endpoint: run claw login again, nothing saved (U4)", async () => {
    writeSettings();
    oauth.tokenFaults.push({
      status: 400,
      body: { error: "invalid_grant", error_description: "code expired" },
    });
    const r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("invalid_grant: code expired");
    expect(r.stderr).toContain("run `claw login` to try again");
    expect(oauth.tokenRequests).toHaveLength(1);
    expect(existsSync(credsPath())).toBe(false);
  });

  it("retries a 500 from the token endpoint, then gives up clearly without writing (U4)", async () => {
    writeSettings();
    oauth.tokenFaults.push({ status: 500 }, { status: 500 }, { status: 500 });
    const r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 500 \(3 attempts\); try again later/);
    expect(oauth.tokenRequests).toHaveLength(3);
    expect(existsSync(credsPath())).toBe(false);
  });

  it("succeeds when the token endpoint recovers after a 500", async () => {
    writeSettings();
    oauth.tokenFaults.push({ status: 500 });
    const r = await login().result;
    expect(r.code).toBe(0);
    expect(oauth.tokenRequests.map((t) => t.status)).toEqual([500, 200]);
  });

  it("times out a hanging token endpoint and retries", async () => {
    writeSettings();
    oauth.tokenFaults.push({ hang: true }, { hang: true }, { hang: true });
    const r = await login({ CLAW_OAUTH_TIMEOUT_MS: "300" }).result;
    expect(r.code).toBe(1);
    // Counted by claw, not the mock: under load an aborted attempt may never reach the server.
    expect(r.stderr).toMatch(/did not answer within 300 ms \(3 attempts\); try again later/);
    expect(existsSync(credsPath())).toBe(false);
  });

  it("explains exactly which setting is missing and where", async () => {
    let r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no OAuth server configured`);
    expect(r.stderr).toContain(join(sandbox.configHome, "settings.json"));
    const { tokenUrl: _t, ...partial } = oauth.settings();
    mkdirSync(join(sandbox.workspace, ".claude"), { recursive: true });
    const projectFile = join(sandbox.workspace, ".claude", "settings.json");
    writeFileSync(projectFile, JSON.stringify({ oauth: partial }));
    r = await login().result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("oauth.tokenUrl is missing");
    expect(r.stderr).toContain(projectFile);
  });

  it("replaces a corrupt credentials file only after backing it up, keeping nothing silent (U7)", async () => {
    writeSettings();
    writeFileSync(credsPath(), "{truncated", { mode: 0o600 });
    const r = await login().result;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/was unreadable .*the old file is at .*credentials\.json\.corrupt-/);
    const backups = readdirSync(sandbox.configHome).filter((n) => n.startsWith("credentials.json.corrupt-"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(sandbox.configHome, backups[0] as string), "utf8")).toBe("{truncated");
    expect(oauth.isValidAccessToken(readCreds().oauth.accessToken)).toBe(true);
  });

  it("writes 0600 in a new 0700 directory under umask 000 (U8)", async () => {
    rmSync(sandbox.configHome, { recursive: true, force: true });
    mkdirSync(join(sandbox.workspace, ".claude"), { recursive: true });
    writeFileSync(
      join(sandbox.workspace, ".claude", "settings.json"),
      JSON.stringify({ oauth: oauth.settings() }),
    );
    const old = process.umask(0);
    let r: Awaited<ReturnType<typeof runClaw>>;
    try {
      r = await login().result;
    } finally {
      process.umask(old);
    }
    expect(r.code).toBe(0);
    expect(statSync(credsPath()).mode & 0o777).toBe(0o600);
    expect(statSync(sandbox.configHome).mode & 0o777).toBe(0o700);
  });
});

/** Starts `claw login` with a live stdin and waits for it to print the authorization URL. */
async function startInteractiveLogin(env: Record<string, string> = {}) {
  const browser = writeBrowserScript(sandbox.root, "ignore");
  const child = spawn(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), "login"], {
    cwd: sandbox.workspace,
    env: cleanEnv(sandbox, { BROWSER: browser.path, ...env }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(stderr);
      if (match) resolve(match[1] as string);
    });
    child.on("close", () => reject(new Error(`claw exited early: ${stderr}`)));
  });
  return { child, url, done, output: () => ({ stdout, stderr }) };
}

describe("claw login with a pasted redirect", () => {
  it("accepts the redirect URL pasted into the terminal", async () => {
    writeSettings();
    const run = await startInteractiveLogin();
    const res = await fetch(run.url, { redirect: "manual" });
    run.child.stdin.write("\n");
    run.child.stdin.write(`${res.headers.get("location")}\n`);
    expect(await run.done).toBe(0);
    expect(run.output().stdout).toContain("Logged in;");
    expect(oauth.isValidAccessToken(readCreds().oauth.accessToken)).toBe(true);
    expectNoSecrets(run.output().stdout + run.output().stderr);
  });

  it("accepts a bare code after telling the user a garbled paste was not usable", async () => {
    writeSettings();
    const run = await startInteractiveLogin();
    const res = await fetch(run.url, { redirect: "manual" });
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code");
    run.child.stdin.write("not a code\n");
    run.child.stdin.write(`${code}\n`);
    expect(await run.done).toBe(0);
    expect(run.output().stderr).toContain("does not look like an authorization code");
    expect(oauth.tokenRequests).toHaveLength(1);
  });

  it("ends on Ctrl-C, closing the listener, with nothing saved", async () => {
    writeSettings();
    const run = await startInteractiveLogin();
    run.child.kill("SIGINT");
    expect(await run.done).toBe(130);
    expect(run.output().stderr).toContain("login cancelled");
    const redirect = new URL(run.url).searchParams.get("redirect_uri") ?? "";
    await expect(fetch(redirect)).rejects.toThrow();
    expect(existsSync(credsPath())).toBe(false);
  });
});

describe("claw logout", () => {
  it("removes only the saved login, keeps other keys, and is idempotent (U10)", async () => {
    const other = { apiKeyHelper: "/bin/helper", custom: { nested: [1, 2, 3] } };
    writeFileSync(
      credsPath(),
      JSON.stringify({
        ...other,
        oauth: { accessToken: "at_x", refreshToken: "rt_x", expiresAt: 1, scopes: [] },
      }),
      { mode: 0o600 },
    );
    const settingsFile = join(sandbox.configHome, "settings.json");
    writeFileSync(settingsFile, '{"model": "m"}');
    let r = await runClaw(["logout"], { sandbox });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Logged out: removed the saved login from ${credsPath()}\n`);
    expect(readCreds()).toEqual(other);
    expect(readFileSync(settingsFile, "utf8")).toBe('{"model": "m"}');
    expect(r.stdout + r.stderr).not.toContain("at_x");
    r = await runClaw(["logout"], { sandbox });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Not logged in");
    expect(readCreds()).toEqual(other);
  });

  it("works with no credentials file (or config directory) at all and creates nothing", async () => {
    rmSync(sandbox.configHome, { recursive: true });
    const r = await runClaw(["logout"], { sandbox });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("nothing changed");
    expect(existsSync(sandbox.configHome)).toBe(false);
  });

  it("fixes a world-readable credentials file with a warning", async () => {
    writeFileSync(credsPath(), JSON.stringify({ oauth: { accessToken: "at_x" } }));
    chmodSync(credsPath(), 0o644);
    const r = await runClaw(["logout"], { sandbox });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("readable by other users");
    expect(statSync(credsPath()).mode & 0o777).toBe(0o600);
  });

  it("refuses to touch a corrupt file, reporting where its backup is", async () => {
    writeFileSync(credsPath(), "[oops", { mode: 0o600 });
    const r = await runClaw(["logout"], { sandbox });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^claw: .*credentials\.json is unreadable .*corrupt-.*\n$/);
    expect(readFileSync(credsPath(), "utf8")).toBe("[oops");
  });
});
