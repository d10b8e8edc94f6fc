import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { codeChallengeFor, createPkcePair, createState } from "../../../src/auth/pkce.js";

describe("PKCE", () => {
  it("matches the RFC 7636 appendix B test vector", async () => {
    // The verifier is base64url of the appendix's 32 octets.
    const octets = [
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
      191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const verifier = Buffer.from(octets).toString("base64url");
    expect(verifier).toBe("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    expect(await codeChallengeFor(verifier)).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes a fresh 43-char base64url verifier (32 bytes) with its S256 challenge", async () => {
    const a = await createPkcePair();
    const b = await createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.verifier, "base64url")).toHaveLength(32);
    expect(a.method).toBe("S256");
    expect(a.challenge).toBe(createHash("sha256").update(a.verifier).digest("base64url"));
    expect(a.verifier).not.toBe(b.verifier);
  });

  it("makes a fresh state of 32 random bytes", async () => {
    const a = await createState();
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(a).not.toBe(await createState());
  });
});
