// `claw login` (OAuth authorization code + PKCE through the browser and a loopback callback, or a pasted
// redirect) and `claw logout`. Primitives live in src/auth; this file orchestrates them for the terminal.
import { createInterface } from "node:readline";
import { buildAuthorizationUrl, type CallbackOutcome, interpretPastedInput } from "../auth/authorize-url.js";
import { CredentialsFileError, CredentialsStore } from "../auth/credentials-store.js";
import { OAuthConfigError } from "../auth/oauth-config.js";
import { createPkcePair, createState } from "../auth/pkce.js";
import { exchangeAuthorizationCode, TokenEndpointError } from "../auth/token-client.js";
import type { TokenSet } from "../auth/token-response.js";
import { loadSettings, reportSettingsWarnings } from "../config/settings.js";
import { oauthConfigFromSettings, projectOAuthFiles } from "../runtime/oauth-settings.js";
import type { CliOptions } from "../runtime/options.js";
import { configHome } from "../util/config-home.js";
import { FileLockError } from "../util/file-lock.js";
import { openBrowser } from "./login-browser.js";
import { startCallbackListener } from "./login-callback.js";

const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60_000;

class LoginError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const say = (line: string) => process.stderr.write(`${line}\n`);
const notice = (line: string) => process.stderr.write(`claw: ${line}\n`);

function loginTimeoutMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.CLAW_LOGIN_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_LOGIN_TIMEOUT_MS;
}

function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 120) return `${Math.round(s / 60)} minutes`;
  return `${s} second${s === 1 ? "" : "s"}`;
}

/** Reads pasted lines (redirect URL, query, code#state or bare code) until one is usable or `signal` aborts. */
function readPasted(expectedState: string, signal: AbortSignal): Promise<CallbackOutcome> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    const finish = (outcome: CallbackOutcome) => {
      rl.close();
      resolve(outcome);
    };
    signal.addEventListener("abort", () => rl.close(), { once: true });
    rl.on("line", (line) => {
      const outcome = interpretPastedInput(line, expectedState);
      if (!outcome) return;
      if (outcome.kind === "invalid") {
        notice(`${outcome.reason}; paste the full redirect URL (or the code) and press Enter`);
        return;
      }
      finish(outcome);
    });
    // EOF (no terminal, /dev/null) just leaves the browser callback as the only way in.
  });
}

/** The timeout and Ctrl-C, armed before the URL is shown so an early Ctrl-C is never lost. */
function watchInterruptions(timeoutMs: number): { interrupted: Promise<never>; disarm(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onSigint: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    const message = `login timed out after ${describeDuration(timeoutMs)} without a response; run \`claw login\` to try again`;
    timer = setTimeout(() => reject(new LoginError(message)), timeoutMs);
    onSigint = () => reject(new LoginError("login cancelled", 130));
    process.on("SIGINT", onSigint);
  });
  interrupted.catch(() => {}); // raced below; an interruption after the wait ended is irrelevant
  return {
    interrupted,
    disarm: () => {
      clearTimeout(timer);
      if (onSigint) process.off("SIGINT", onSigint);
    },
  };
}

/** Waits for the callback, a paste, or an interruption; stops reading stdin afterwards. */
async function waitForAuthorization(params: {
  listenerOutcome: Promise<CallbackOutcome>;
  expectedState: string;
  interrupted: Promise<never>;
}): Promise<CallbackOutcome> {
  const stop = new AbortController();
  try {
    return await Promise.race([
      params.listenerOutcome,
      readPasted(params.expectedState, stop.signal),
      params.interrupted,
    ]);
  } finally {
    stop.abort();
  }
}

function formatExpiry(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return "the token has no stated expiry";
  const when = new Date(expiresAt * 1000);
  const stamp = `${when.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const minutes = Math.round((expiresAt * 1000 - Date.now()) / 60_000);
  const relative = minutes >= 120 ? `in ${Math.round(minutes / 60)} hours` : `in ${minutes} minutes`;
  return `the token expires ${stamp} (${relative})`;
}

async function login(options: CliOptions): Promise<string> {
  const env = process.env;
  const home = configHome(env);
  const settings = await loadSettings({
    cwd: process.cwd(),
    configHome: home,
    flagSettings: options.settings,
    env,
  });
  reportSettingsWarnings(settings.warnings);
  const config = oauthConfigFromSettings(settings, home);
  const fromProject = projectOAuthFiles(settings);
  // A repository's settings can name the token endpoint, which receives the login code: say so before the browser.
  if (fromProject.length > 0)
    notice(
      `using OAuth settings from ${fromProject.join(" and ")}; the login code goes to ${config.tokenUrl}`,
    );
  const pkce = await createPkcePair();
  const state = await createState();
  const listener = await startCallbackListener({
    preferredPort: config.callbackPort,
    expectedState: state,
    notice,
  });
  const watch = watchInterruptions(loginTimeoutMs(env));
  let outcome: CallbackOutcome;
  try {
    const url = buildAuthorizationUrl({
      config,
      redirectUri: listener.redirectUri,
      state,
      codeChallenge: pkce.challenge,
    });
    say("Sign in through your browser. If it does not open, visit this URL:");
    say("");
    say(`  ${url}`);
    say("");
    say("Waiting for the browser… (or paste the URL you were redirected to, or the code, and press Enter)");
    await openBrowser(url, env, notice);
    outcome = await waitForAuthorization({
      listenerOutcome: listener.outcome,
      expectedState: state,
      interrupted: watch.interrupted,
    });
  } finally {
    watch.disarm();
    await listener.close();
  }
  if (outcome.kind === "denied") {
    throw new LoginError(
      `login failed: the authorization server answered ${outcome.error}${outcome.description ? ` (${outcome.description})` : ""}`,
    );
  }
  if (outcome.kind === "invalid")
    throw new LoginError(`login failed: ${outcome.reason}; run \`claw login\` to try again`);

  let tokens: TokenSet;
  try {
    tokens = await exchangeAuthorizationCode({
      config,
      code: outcome.code,
      redirectUri: listener.redirectUri,
      verifier: pkce.verifier,
      ...(Number(env.CLAW_OAUTH_TIMEOUT_MS) > 0 ? { timeoutMs: Number(env.CLAW_OAUTH_TIMEOUT_MS) } : {}),
    });
  } catch (error) {
    if (error instanceof TokenEndpointError) {
      const next = error.transient ? "try again later" : "run `claw login` to try again";
      throw new LoginError(`login failed: ${error.message}; ${next}`);
    }
    throw error;
  }

  const store = new CredentialsStore(home, { warn: notice });
  const creds = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.expiresAt,
    scopes: tokens.scopes ?? config.scopes,
  };
  await store.withLock(() => store.saveOAuth(creds, { replaceCorrupt: true }));
  if (env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN)
    notice("ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN is set and takes precedence over this login");
  return `Logged in; ${formatExpiry(tokens.expiresAt)}. Saved to ${store.path}`;
}

function failureMessage(error: unknown): string | undefined {
  if (error instanceof LoginError) return error.message;
  if (error instanceof OAuthConfigError) return `cannot log in: ${error.message}`;
  if (error instanceof CredentialsFileError || error instanceof FileLockError) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && error instanceof Error) return `login failed: ${error.message}`;
  return undefined;
}

export async function runLogin(options: CliOptions): Promise<number> {
  try {
    process.stdout.write(`${await login(options)}\n`);
    return 0;
  } catch (error) {
    const message = failureMessage(error);
    if (message === undefined) throw error;
    process.stderr.write(`claw: ${message}\n`);
    return error instanceof LoginError ? error.exitCode : 1;
  } finally {
    // The paste reader may have touched stdin; let the process exit.
    process.stdin.destroy();
  }
}

export async function runLogout(_options: CliOptions): Promise<number> {
  const store = new CredentialsStore(configHome(process.env), { warn: notice });
  try {
    const removed = (await store.exists()) && (await store.withLock(() => store.removeOAuth()));
    process.stdout.write(
      removed
        ? `Logged out: removed the saved login from ${store.path}\n`
        : `Not logged in: no saved login in ${store.path}; nothing changed\n`,
    );
    return 0;
  } catch (error) {
    const message = failureMessage(error);
    if (message === undefined) throw error;
    process.stderr.write(`claw: ${message}\n`);
    return 1;
  }
}
