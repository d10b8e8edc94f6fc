import { describe, expect, it } from "vitest";
import {
  buildAuthorizationUrl,
  cleanServerText,
  interpretCallback,
  interpretPastedInput,
  loopbackRedirectUri,
} from "../../../src/auth/authorize-url.js";

const STATE = "s".repeat(43);

describe("authorization URL", () => {
  it("carries every parameter of a PKCE authorization code request", () => {
    const url = new URL(
      buildAuthorizationUrl({
        config: {
          authorizeUrl: "https://auth.example/authorize?tenant=a",
          clientId: "cli",
          scopes: ["a", "b:c"],
        },
        redirectUri: loopbackRedirectUri(5555),
        state: STATE,
        codeChallenge: "challenge",
      }),
    );
    expect(url.origin + url.pathname).toBe("https://auth.example/authorize");
    const q = url.searchParams;
    expect(q.get("tenant")).toBe("a");
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("cli");
    expect(q.get("redirect_uri")).toBe("http://127.0.0.1:5555/callback");
    expect(q.get("scope")).toBe("a b:c");
    expect(q.get("state")).toBe(STATE);
    expect(q.get("code_challenge")).toBe("challenge");
    expect(q.get("code_challenge_method")).toBe("S256");
  });

  it("omits scope when none is configured", () => {
    const url = buildAuthorizationUrl({
      config: { authorizeUrl: "https://a.example/x", clientId: "c", scopes: [] },
      redirectUri: loopbackRedirectUri(1),
      state: STATE,
      codeChallenge: "c",
    });
    expect(new URL(url).searchParams.has("scope")).toBe(false);
  });
});

describe("callback interpretation", () => {
  const q = (s: string) => new URLSearchParams(s);
  it("accepts a code with the expected state", () => {
    expect(interpretCallback(q(`code=abc&state=${STATE}`), STATE)).toEqual({ kind: "code", code: "abc" });
  });
  it("rejects a state mismatch, a missing state and a missing code", () => {
    expect(interpretCallback(q(`code=abc&state=${STATE}x`), STATE).kind).toBe("invalid");
    expect(interpretCallback(q("code=abc"), STATE).kind).toBe("invalid");
    expect(interpretCallback(q(`state=${STATE}`), STATE).kind).toBe("invalid");
  });
  it("reports a server error with its description, cleaned of control characters", () => {
    const outcome = interpretCallback(
      q(`error=access_denied&error_description=${encodeURIComponent("no\u001b[31m way")}&state=${STATE}`),
      STATE,
    );
    expect(outcome).toEqual({ kind: "denied", error: "access_denied", description: "no [31m way" });
  });
  it("treats an error carrying someone else's state as invalid", () => {
    expect(interpretCallback(q("error=access_denied&state=other"), STATE).kind).toBe("invalid");
  });
  it("cleans and caps server text", () => {
    expect(cleanServerText("a\nb\tc")).toBe("a b c");
    expect(cleanServerText("x".repeat(500))).toHaveLength(301);
  });
});

describe("pasted input", () => {
  it("accepts the full redirect URL, a query string, code#state and a bare code", () => {
    expect(interpretPastedInput(`http://127.0.0.1:9/callback?code=k1&state=${STATE}`, STATE)).toEqual({
      kind: "code",
      code: "k1",
    });
    expect(interpretPastedInput(`?code=k2&state=${STATE}`, STATE)).toEqual({ kind: "code", code: "k2" });
    expect(interpretPastedInput(`k3#${STATE}`, STATE)).toEqual({ kind: "code", code: "k3" });
    expect(interpretPastedInput("  k4  ", STATE)).toEqual({ kind: "code", code: "k4" });
  });
  it("ignores empty lines and refuses wrong state or garbage", () => {
    expect(interpretPastedInput("   ", STATE)).toBeUndefined();
    expect(interpretPastedInput(`http://127.0.0.1:9/callback?code=k&state=nope`, STATE)?.kind).toBe(
      "invalid",
    );
    expect(interpretPastedInput("k#nope", STATE)?.kind).toBe("invalid");
    expect(interpretPastedInput("two words", STATE)?.kind).toBe("invalid");
  });
  it("passes a pasted error through", () => {
    expect(
      interpretPastedInput(`http://127.0.0.1:9/callback?error=access_denied&state=${STATE}`, STATE)?.kind,
    ).toBe("denied");
  });
});
