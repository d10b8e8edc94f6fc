// The authorization request URL and the interpretation of what comes back: the loopback callback's query,
// or a redirect URL / bare code pasted into the terminal when the browser runs elsewhere (SSH, containers).
import { timingSafeEqual } from "node:crypto";
import type { OAuthConfig } from "./oauth-config.js";

export function loopbackRedirectUri(port: number): string {
  return `http://127.0.0.1:${port}/callback`;
}

export interface AuthorizationRequest {
  config: Pick<OAuthConfig, "authorizeUrl" | "clientId" | "scopes">;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

export function buildAuthorizationUrl(request: AuthorizationRequest): string {
  const url = new URL(request.config.authorizeUrl);
  const params = url.searchParams;
  params.set("response_type", "code");
  params.set("client_id", request.config.clientId);
  params.set("redirect_uri", request.redirectUri);
  if (request.config.scopes.length > 0) params.set("scope", request.config.scopes.join(" "));
  params.set("state", request.state);
  params.set("code_challenge", request.codeChallenge);
  params.set("code_challenge_method", "S256");
  return url.href;
}

export type CallbackOutcome =
  | { kind: "code"; code: string }
  /** The authorization server refused (access_denied etc.); description is cleaned for the terminal. */
  | { kind: "denied"; error: string; description: string | undefined }
  /** Not a valid answer to this login attempt (no code, no state, wrong state). */
  | { kind: "invalid"; reason: string };

/** Makes server-provided text safe for one terminal line. */
export function cleanServerText(text: string, max = 300): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function sameState(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Interprets the query of a redirect to the callback against the state this login sent. */
export function interpretCallback(params: URLSearchParams, expectedState: string): CallbackOutcome {
  const state = params.get("state");
  const error = params.get("error");
  if (error !== null) {
    if (state !== null && !sameState(state, expectedState))
      return { kind: "invalid", reason: "state mismatch (the response is not for this login attempt)" };
    const description = params.get("error_description");
    return {
      kind: "denied",
      error: cleanServerText(error, 80),
      description: description ? cleanServerText(description) : undefined,
    };
  }
  const code = params.get("code");
  if (!code) return { kind: "invalid", reason: "the response has no authorization code" };
  if (state === null) return { kind: "invalid", reason: "the response has no state parameter" };
  if (!sameState(state, expectedState))
    return { kind: "invalid", reason: "state mismatch (the response is not for this login attempt)" };
  return { kind: "code", code };
}

/**
 * Interprets a line pasted into the terminal: the full redirect URL, its query string, `code#state`, or a bare
 * code (PKCE still binds a bare code to this login). Returns undefined for an empty line.
 */
export function interpretPastedInput(line: string, expectedState: string): CallbackOutcome | undefined {
  const text = line.trim();
  if (text === "") return undefined;
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { kind: "invalid", reason: "that is not a valid URL" };
    }
    return interpretCallback(url.searchParams, expectedState);
  }
  if (text.startsWith("?") || /(^|&)(code|error)=/.test(text)) {
    return interpretCallback(new URLSearchParams(text.replace(/^\?/, "")), expectedState);
  }
  const hash = text.indexOf("#");
  if (hash > 0) {
    const params = new URLSearchParams({ code: text.slice(0, hash), state: text.slice(hash + 1) });
    return interpretCallback(params, expectedState);
  }
  if (!/^[\x21-\x7e]+$/.test(text))
    return { kind: "invalid", reason: "that does not look like an authorization code" };
  return { kind: "code", code: text };
}
