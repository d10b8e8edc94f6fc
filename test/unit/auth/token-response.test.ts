import { describe, expect, it } from "vitest";
import { parseTokenResponse, TokenResponseError } from "../../../src/auth/token-response.js";

const NOW = 1_800_000_000;

describe("token response parsing", () => {
  it("reads the RFC 6749 shape", () => {
    expect(
      parseTokenResponse(
        { access_token: "a", token_type: "Bearer", expires_in: 3600, refresh_token: "r", scope: "x  y" },
        NOW,
      ),
    ).toEqual({ accessToken: "a", refreshToken: "r", expiresAt: NOW + 3600, scopes: ["x", "y"] });
  });

  it("reads expires_at (seconds or milliseconds) and a scopes array", () => {
    expect(parseTokenResponse({ access_token: "a", expires_at: NOW + 10, scopes: ["s"] }, NOW)).toEqual({
      accessToken: "a",
      refreshToken: undefined,
      expiresAt: NOW + 10,
      scopes: ["s"],
    });
    expect(parseTokenResponse({ access_token: "a", expires_at: (NOW + 10) * 1000 }, NOW).expiresAt).toBe(
      NOW + 10,
    );
  });

  it("accepts expires_in as a numeric string and leaves unknowns undefined", () => {
    const t = parseTokenResponse({ access_token: "a", token_type: "bearer", expires_in: "60" }, NOW);
    expect(t.expiresAt).toBe(NOW + 60);
    expect(t.scopes).toBeUndefined();
    expect(parseTokenResponse({ access_token: "a" }, NOW).expiresAt).toBeUndefined();
  });

  it("rejects responses that cannot be used", () => {
    expect(() => parseTokenResponse({ token_type: "Bearer" }, NOW)).toThrow(TokenResponseError);
    expect(() => parseTokenResponse([], NOW)).toThrow(TokenResponseError);
    expect(() => parseTokenResponse({ access_token: "a", token_type: "DPoP" }, NOW)).toThrow(/Bearer only/);
    expect(() => parseTokenResponse({ access_token: "a", expires_in: "soon" }, NOW)).toThrow(/non-numeric/);
    expect(() => parseTokenResponse({ access_token: "a", scopes: "x" }, NOW)).toThrow(/scopes/);
  });
});
