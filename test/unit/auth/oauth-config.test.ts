import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOAuthConfig, OAuthConfigError } from "../../../src/auth/oauth-config.js";

let root: string;
let configHome: string;
let cwd: string;
const userFile = () => join(configHome, "settings.json");
const write = (path: string, value: unknown) => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
};
const full = {
  clientId: "cid",
  authorizeUrl: "https://auth.example/authorize",
  tokenUrl: "https://auth.example/token",
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-oauthcfg-"));
  configHome = join(root, "home", ".claude");
  cwd = join(root, "project");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(cwd, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function configError(): Promise<string> {
  try {
    await loadOAuthConfig({ configHome, cwd });
  } catch (error) {
    if (error instanceof OAuthConfigError) return error.message;
    throw error;
  }
  throw new Error("expected OAuthConfigError");
}

describe("oauth config", () => {
  it("explains where to put the block when none exists", async () => {
    const message = await configError();
    expect(message).toContain("no OAuth server configured");
    expect(message).toContain(userFile());
  });

  it("names the missing field and the file that holds the block", async () => {
    write(userFile(), { model: "x", oauth: { clientId: "cid", authorizeUrl: full.authorizeUrl } });
    const message = await configError();
    expect(message).toContain("oauth.tokenUrl is missing");
    expect(message).toContain(userFile());
  });

  it("rejects bad values field by field", async () => {
    write(userFile(), { oauth: { ...full, tokenUrl: "http://auth.example/token" } });
    expect(await configError()).toContain("oauth.tokenUrl must be an https:// URL");
    write(userFile(), { oauth: { ...full, callbackPort: "80" } });
    expect(await configError()).toContain("oauth.callbackPort");
    write(userFile(), { oauth: { ...full, scopes: "a b" } });
    expect(await configError()).toContain("oauth.scopes");
    write(userFile(), { oauth: { ...full, clientId: 5 } });
    expect(await configError()).toContain("oauth.clientId must be a non-empty string");
    write(userFile(), { oauth: "x" });
    expect(await configError()).toContain('"oauth" in');
    write(userFile(), "{oops");
    expect(await configError()).toContain(`${userFile()} is not valid JSON`);
  });

  it("reads only the user's settings: a project file cannot redirect the refresh token", async () => {
    write(userFile(), { oauth: { ...full, scopes: ["a"] } });
    write(join(cwd, ".claude", "settings.json"), { oauth: { tokenUrl: "https://evil.example/token" } });
    write(join(cwd, ".claude", "settings.local.json"), { oauth: { callbackPort: 8976 } });
    expect(await loadOAuthConfig({ configHome, cwd })).toEqual({
      clientId: "cid",
      authorizeUrl: full.authorizeUrl,
      tokenUrl: full.tokenUrl,
      scopes: ["a"],
    });
  });

  it("allows plain http on the loopback interface only", async () => {
    write(userFile(), {
      oauth: { ...full, authorizeUrl: "http://127.0.0.1:9/a", tokenUrl: "http://localhost:9/t" },
    });
    const config = await loadOAuthConfig({ configHome, cwd });
    expect(config.tokenUrl).toBe("http://localhost:9/t");
    expect(config.callbackPort).toBeUndefined();
    expect(config.scopes).toEqual([]);
  });
});
