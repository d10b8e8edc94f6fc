// FAULTS.md U9 and U10 end to end. U9: a verbose, debug-logged run on a saved OAuth login (refreshed on the way) never shows
// a token — not on stdout/stderr, not in any file under the config home but credentials.json, not in the
// environment or argv of the commands it runs.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { type MockOAuth, startMockOAuth } from "../support/mock-oauth.js";

let sandbox: Sandbox;
let oauth: MockOAuth;
let api: MockAnthropic;

beforeEach(async () => {
  sandbox = makeSandbox("claw-faults-auth-");
  oauth = await startMockOAuth();
  api = await startMockAnthropic();
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ oauth: oauth.settings() }));
});
afterEach(async () => {
  await api.close();
  await oauth.close();
  sandbox.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("U9: no token in logs, transcripts, child env or argv", () => {
  it("a --verbose stream-json run with debug logging on, refreshing an expired login", async () => {
    const seeded = oauth.issueTokens();
    const now = Math.floor(Date.now() / 1000);
    const expiredAccess = "at_expired_u9_secret_value";
    writeFileSync(
      join(sandbox.configHome, "credentials.json"),
      JSON.stringify({
        oauth: { accessToken: expiredAccess, refreshToken: seeded.refreshToken, expiresAt: now - 60 },
      }),
      { mode: 0o600 },
    );
    // NODE_DEBUG=http is left out on purpose: Node core then prints request headers itself, claw or not.
    // The model runs commands that print the child environment and every process's argv.
    api.enqueue(
      reply.toolUse({
        name: "Bash",
        input: { command: "env; echo ---; ps -eo args; echo ---; cat /proc/$PPID/environ | tr '\\0' '\\n'" },
        id: "toolu_env",
      }),
      reply.text("seen it"),
    );
    const r = await runClaw(
      ["-p", "show me", "--verbose", "--output-format", "stream-json", "--include-partial-messages"],
      {
        sandbox,
        env: {
          ANTHROPIC_BASE_URL: api.url,
          ANTHROPIC_LOG: "debug",
          DEBUG: "*",
          CLAW_PERMISSION_MODE: "bypassPermissions",
        },
      },
    );
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(sandbox.configHome, "credentials.json"), "utf8")).oauth;
    expect(oauth.tokenRequests.map((t) => t.grantType)).toEqual(["refresh_token"]);
    expect(saved.accessToken).not.toBe(expiredAccess);
    // The API really got the refreshed token, so the run did hold it.
    expect(String(api.messageRequests()[0]?.headers.authorization)).toBe(`Bearer ${saved.accessToken}`);
    const secrets = [expiredAccess, seeded.refreshToken, saved.accessToken, saved.refreshToken];

    // What the commands saw (child env, parent env via /proc, argv of every process) went back to the model.
    const toolOutput = JSON.stringify(api.messageRequests()[1]?.body.messages);
    expect(toolOutput).toContain("---");
    const places: Array<[string, string]> = [
      ["stdout", r.stdout],
      ["stderr", r.stderr],
      ["tool output", toolOutput],
      ...filesUnder(sandbox.configHome)
        .filter((f) => !f.endsWith("credentials.json"))
        .map((f): [string, string] => [f, readFileSync(f, "latin1")]),
    ];
    expect(places.some(([name]) => name.endsWith(".jsonl"))).toBe(true); // the session file is checked too
    for (const [name, text] of places) for (const secret of secrets) expect(text, name).not.toContain(secret);
  });
});

describe("U10: logout offline with an expired token", () => {
  it("removes only the credential entry; settings, sessions and MCP config stay byte-identical", async () => {
    // The OAuth server and the API are gone: logout must not need them.
    await oauth.close();
    await api.close();
    const { configHome, workspace } = sandbox;
    const creds = join(configHome, "credentials.json");
    writeFileSync(
      creds,
      JSON.stringify({
        keep: { a: 1 },
        oauth: { accessToken: "at_u10", refreshToken: "rt_u10", expiresAt: 1 },
      }),
      { mode: 0o600 },
    );
    const settings = JSON.stringify(
      { oauth: oauth.settings(), mcpServers: { s: { command: "echo" } } },
      null,
      1,
    );
    writeFileSync(join(configHome, "settings.json"), settings);
    mkdirSync(join(workspace, ".claude"), { recursive: true });
    writeFileSync(join(workspace, ".mcp.json"), '{ "mcpServers": { "p": { "command": "true" } } }\n');
    writeFileSync(join(workspace, ".claude", "settings.local.json"), '{"permissions":{"allow":["Read"]}}');
    const sessionDir = join(configHome, "projects", "some-project");
    mkdirSync(sessionDir, { recursive: true });
    writeFileSync(join(sessionDir, "11111111-2222-4333-8444-555555555555.jsonl"), '{"type":"header"}\n');
    const snapshot = () =>
      new Map(
        [...filesUnder(configHome), ...filesUnder(workspace)]
          .filter((f) => f !== creds)
          .map((f) => [f, readFileSync(f, "latin1")]),
      );
    const before = snapshot();
    for (let i = 0; i < 2; i++) {
      const r = await runClaw(["logout"], { sandbox, env: { ANTHROPIC_BASE_URL: api.url } });
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/at_u10|rt_u10/);
      expect(JSON.parse(readFileSync(creds, "utf8"))).toEqual({ keep: { a: 1 } });
      expect(snapshot()).toEqual(before);
    }
  });
});
