// A mock OAuth 2.0 authorization server on 127.0.0.1 for login/refresh tests: an authorize endpoint that
// validates the request and redirects with code + state, and a token endpoint that checks PKCE, burns codes
// after one use, rotates/keeps/omits refresh tokens, and can fail on demand. Every request is logged.
//
// Usage:
//   const oauth = await startMockOAuth();                   // oauth.settings() → the settings.json "oauth" block
//   const browser = writeBrowserScript(dir);                // BROWSER=<browser.path> follows the redirect
//   ... run `claw login` ...; expect(oauth.tokenRequests).toHaveLength(1)
//   oauth.tokenFaults.push({ status: 500 });                // the next token request fails
//   const seeded = oauth.issueTokens();                     // valid tokens to pre-seed credentials.json
//   await oauth.close();
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";

export type RefreshMode = "rotate" | "keep" | "omit";
export type AuthorizeBehaviour = "redirect" | "error" | "wrong-state" | "no-state";
export type TokenFault = { status: number; body?: unknown } | { hang: true };

export interface MockOAuthOptions {
  clientId?: string;
  /** Lifetime of issued access tokens; default 3600 s. */
  expiresIn?: number;
  /** "standard": expires_in + scope string; "variant": expires_at (unix s) + scopes array. */
  responseStyle?: "standard" | "variant";
  /** What a refresh returns: a new refresh token (old one revoked), the same one, or none. Default rotate. */
  refresh?: RefreshMode;
}

export interface TokenRequestRecord {
  grantType: string;
  params: Record<string, string>;
  contentType: string | undefined;
  status: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

export interface MockOAuth {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Query parameters of every authorize request. */
  authorizeRequests: URLSearchParams[];
  /** Why authorize requests were refused (empty when all were valid). */
  authorizeErrors: string[];
  tokenRequests: TokenRequestRecord[];
  /** Consumed one per token request before normal processing. */
  tokenFaults: TokenFault[];
  authorizeBehaviour: AuthorizeBehaviour;
  refreshMode: RefreshMode;
  expiresIn: number;
  /** Issues a valid access + refresh token pair (for pre-seeded credentials files). */
  issueTokens(): IssuedTokens;
  isValidAccessToken(token: string): boolean;
  /** The settings.json `oauth` block pointing at this server. */
  settings(extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

const b64url = (buf: Buffer) => buf.toString("base64url");
const token = (prefix: string) => `${prefix}_${b64url(randomBytes(18))}`;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export async function startMockOAuth(options: MockOAuthOptions = {}): Promise<MockOAuth> {
  const clientId = options.clientId ?? "claw-test-client";
  const codes = new Map<
    string,
    { challenge: string; redirectUri: string; clientId: string; scope: string }
  >();
  const accessTokens = new Set<string>();
  const refreshTokens = new Map<string, string>(); // refresh token → scope
  const sockets = new Set<Socket>();

  const issue = (scope: string): IssuedTokens => {
    const pair = { accessToken: token("at"), refreshToken: token("rt") };
    accessTokens.add(pair.accessToken);
    refreshTokens.set(pair.refreshToken, scope);
    return pair;
  };

  const tokenBody = (accessToken: string, refreshToken: string | undefined, scope: string) => {
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer" };
    if (mock.responseStyle === "variant") {
      body.token_type = "bearer";
      body.expires_at = Math.floor(Date.now() / 1000) + mock.expiresIn;
      body.scopes = scope.split(" ").filter(Boolean);
    } else {
      body.expires_in = mock.expiresIn;
      body.scope = scope;
    }
    if (refreshToken) body.refresh_token = refreshToken;
    return body;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/authorize") {
      const q = url.searchParams;
      mock.authorizeRequests.push(q);
      const problems: string[] = [];
      if (q.get("response_type") !== "code") problems.push("response_type must be code");
      if (q.get("client_id") !== clientId) problems.push("unknown client_id");
      const redirectUri = q.get("redirect_uri") ?? "";
      if (!/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirectUri))
        problems.push("redirect_uri not loopback");
      if (q.get("code_challenge_method") !== "S256") problems.push("code_challenge_method must be S256");
      if (!/^[A-Za-z0-9_-]{43}$/.test(q.get("code_challenge") ?? "")) problems.push("bad code_challenge");
      const state = q.get("state");
      if (!state || state.length < 22) problems.push("state missing or too short");
      if (problems.length > 0) {
        mock.authorizeErrors.push(...problems);
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(problems.join("; "));
        return;
      }
      const target = new URL(redirectUri);
      if (mock.authorizeBehaviour === "error") {
        target.searchParams.set("error", "access_denied");
        target.searchParams.set("error_description", "The user declined the request");
        target.searchParams.set("state", state as string);
      } else {
        const code = token("code");
        codes.set(code, {
          challenge: q.get("code_challenge") as string,
          redirectUri,
          clientId,
          scope: q.get("scope") ?? "",
        });
        target.searchParams.set("code", code);
        if (mock.authorizeBehaviour === "wrong-state") target.searchParams.set("state", `${state}x`);
        else if (mock.authorizeBehaviour !== "no-state") target.searchParams.set("state", state as string);
      }
      res.writeHead(302, { location: target.href });
      res.end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/token") {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => {
        raw += d;
      });
      req.on("end", () => {
        const params = Object.fromEntries(new URLSearchParams(raw));
        const record: TokenRequestRecord = {
          grantType: params.grant_type ?? "",
          params,
          contentType: req.headers["content-type"],
          status: 0,
        };
        mock.tokenRequests.push(record);
        const send = (status: number, body: unknown) => {
          record.status = status;
          json(res, status, body);
        };
        const fault = mock.tokenFaults.shift();
        if (fault) {
          if ("hang" in fault) return; // never answers; the client must time out
          return send(fault.status, fault.body ?? { error: "server_error" });
        }
        if (params.client_id !== clientId) return send(401, { error: "invalid_client" });
        if (params.grant_type === "authorization_code") {
          const entry = codes.get(params.code ?? "");
          if (!entry) return send(400, { error: "invalid_grant", error_description: "unknown or used code" });
          codes.delete(params.code ?? ""); // one-time
          if (params.redirect_uri !== entry.redirectUri)
            return send(400, { error: "invalid_grant", error_description: "redirect_uri mismatch" });
          const verifier = params.code_verifier ?? "";
          if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
            return send(400, { error: "invalid_grant", error_description: "bad code_verifier" });
          if (b64url(createHash("sha256").update(verifier).digest()) !== entry.challenge)
            return send(400, { error: "invalid_grant", error_description: "PKCE verification failed" });
          const pair = issue(entry.scope);
          return send(200, tokenBody(pair.accessToken, pair.refreshToken, entry.scope));
        }
        if (params.grant_type === "refresh_token") {
          const old = params.refresh_token ?? "";
          const scope = refreshTokens.get(old);
          if (scope === undefined)
            return send(400, { error: "invalid_grant", error_description: "refresh token revoked" });
          const accessToken = token("at");
          accessTokens.add(accessToken);
          if (mock.refreshMode === "rotate") {
            refreshTokens.delete(old);
            const next = token("rt");
            refreshTokens.set(next, scope);
            return send(200, tokenBody(accessToken, next, scope));
          }
          return send(200, tokenBody(accessToken, mock.refreshMode === "keep" ? old : undefined, scope));
        }
        return send(400, { error: "unsupported_grant_type" });
      });
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const mock: MockOAuth & { responseStyle: "standard" | "variant" } = {
    url: base,
    authorizeUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    clientId,
    authorizeRequests: [],
    authorizeErrors: [],
    tokenRequests: [],
    tokenFaults: [],
    authorizeBehaviour: "redirect",
    refreshMode: options.refresh ?? "rotate",
    expiresIn: options.expiresIn ?? 3600,
    responseStyle: options.responseStyle ?? "standard",
    issueTokens: () => issue("user:inference"),
    isValidAccessToken: (t) => accessTokens.has(t),
    settings: (extra = {}) => ({
      clientId,
      authorizeUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
      scopes: ["user:inference", "offline_access"],
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return mock;
}

export type BrowserMode = "follow" | "probe-then-follow" | "ignore";

/**
 * Writes an executable "browser" for BROWSER=: it GETs the authorize URL without following redirects, then
 * GETs the Location (the loopback callback). "probe-then-follow" first hits /favicon.ico on the callback port.
 * Each step is appended as a JSON line to `<dir>/browser.log`.
 */
/** Where the browser script written into `dir` logs its steps. */
export const browserLogIn = (dir: string): string => join(dir, "browser.log");

export function writeBrowserScript(dir: string, mode: BrowserMode = "follow"): { path: string; log: string } {
  const log = browserLogIn(dir);
  const script = join(dir, "browser.mjs");
  writeFileSync(
    script,
    `import { appendFileSync } from "node:fs";
const log = (entry) => appendFileSync(${JSON.stringify(log)}, JSON.stringify(entry) + "\\n");
const mode = ${JSON.stringify(mode)};
const url = process.argv[2];
log({ step: "argv", count: process.argv.length - 2, url });
if (mode !== "ignore") {
  try {
    const first = await fetch(url, { redirect: "manual" });
    const location = first.headers.get("location");
    log({ step: "authorize", status: first.status, location });
    if (location) {
      if (mode === "probe-then-follow") {
        const probe = await fetch(new URL("/favicon.ico", location));
        log({ step: "probe", status: probe.status });
      }
      const cb = await fetch(location);
      log({ step: "callback", status: cb.status, body: await cb.text() });
    }
  } catch (error) {
    log({ step: "error", message: String(error) });
  }
}
log({ step: "done" });
`,
  );
  const wrapper = join(dir, "browser.sh");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { path: wrapper, log };
}

/**
 * Waits (up to 5 s) until a browser script that has started has also finished, so a test's cleanup does not race
 * its last log write. A browser that never started (no log) is not waited for.
 */
export async function waitForBrowserExit(log: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (!existsSync(log) || readFileSync(log, "utf8").includes('"step":"done"')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
