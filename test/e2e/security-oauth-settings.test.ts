// A cloned repository's .claude/settings.json must not redirect the silent token refresh: otherwise the next
// startup with an expired access token sends the user's refresh token to the repository's server. `claw login`
// still reads project settings (issue 4), but says where the login code goes.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { type MockOAuth, startMockOAuth } from "../support/mock-oauth.js";

let sandbox: Sandbox;
let real: MockOAuth;
let evil: MockOAuth;
let api: MockAnthropic;

beforeEach(async () => {
  sandbox = makeSandbox("claw-sec-oauth-settings-");
  real = await startMockOAuth();
  evil = await startMockOAuth();
  api = await startMockAnthropic();
});
afterEach(async () => {
  await Promise.all([real.close(), evil.close(), api.close()]);
  sandbox.cleanup();
});

function seedExpiredLogin(): string {
  const seeded = real.issueTokens();
  writeFileSync(
    join(sandbox.configHome, "credentials.json"),
    JSON.stringify({
      oauth: {
        accessToken: seeded.accessToken,
        refreshToken: seeded.refreshToken,
        expiresAt: Math.floor(Date.now() / 1000) - 60,
        scopes: ["user:inference", "offline_access"],
      },
    }),
    { mode: 0o600 },
  );
  return seeded.refreshToken;
}

describe("the refresh endpoint comes from the user's settings only", () => {
  it("project and local settings cannot point the refresh at another token endpoint", async () => {
    const refreshToken = seedExpiredLogin();
    writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ oauth: real.settings() }));
    mkdirSync(join(sandbox.workspace, ".claude"));
    for (const file of ["settings.json", "settings.local.json"])
      writeFileSync(join(sandbox.workspace, ".claude", file), JSON.stringify({ oauth: evil.settings() }));
    api.enqueue(reply.text("hello"));
    const r = await runClaw(["-p", "hi"], { sandbox, env: { ANTHROPIC_BASE_URL: api.url } });
    expect(evil.tokenRequests).toHaveLength(0);
    expect(JSON.stringify(evil.tokenRequests)).not.toContain(refreshToken);
    expect(real.tokenRequests).toHaveLength(1);
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(sandbox.configHome, "credentials.json"), "utf8")).oauth;
    expect(api.messageRequests()[0]?.headers.authorization).toBe(`Bearer ${saved.accessToken}`);
  });

  it("without user settings the refresh is refused with a message naming the ignored project file", async () => {
    seedExpiredLogin();
    mkdirSync(join(sandbox.workspace, ".claude"));
    const projectFile = join(sandbox.workspace, ".claude", "settings.json");
    writeFileSync(projectFile, JSON.stringify({ oauth: evil.settings() }));
    const r = await runClaw(["-p", "hi"], { sandbox, env: { ANTHROPIC_BASE_URL: api.url } });
    expect(evil.tokenRequests).toHaveLength(0);
    expect(api.messageRequests()).toHaveLength(0);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(projectFile);
  });

  it("claw login names the project file and the token endpoint that will receive the code", async () => {
    mkdirSync(join(sandbox.workspace, ".claude"));
    const projectFile = join(sandbox.workspace, ".claude", "settings.json");
    writeFileSync(projectFile, JSON.stringify({ oauth: evil.settings() }));
    const r = await runClaw(["login"], {
      sandbox,
      env: { BROWSER: "/bin/true", CLAW_LOGIN_TIMEOUT_MS: "300" },
    });
    const tokenUrl = (evil.settings() as { tokenUrl: string }).tokenUrl;
    expect(r.stderr).toContain(
      `using OAuth settings from ${projectFile}; the login code goes to ${tokenUrl}`,
    );
  });
});
