// `claw login` security end to end: the callback listener is bound to 127.0.0.1 only (seen from the
// browser's side in /proc/net), a forged callback with the wrong state never reaches the token endpoint,
// and the browser launcher gets neither claw's credentials nor the PKCE verifier.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";
import { type MockOAuth, startMockOAuth } from "../support/mock-oauth.js";

let sandbox: Sandbox;
let oauth: MockOAuth;

beforeEach(async () => {
  sandbox = makeSandbox("claw-sec-oauth-");
  oauth = await startMockOAuth();
});
afterEach(async () => {
  await oauth.close();
  sandbox.cleanup();
});

/**
 * A browser that records the listening sockets on the callback port and its own environment/argv, optionally
 * sends a forged callback first, then follows the real redirect.
 */
function writeInspectingBrowser(forgeFirst: boolean): { path: string; log: string } {
  const log = join(sandbox.root, "inspect.json");
  const script = join(sandbox.root, "inspect.mjs");
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from "node:fs";
const url = new URL(process.argv[2]);
const port = Number(new URL(url.searchParams.get("redirect_uri")).port);
const listeners = [];
for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
  let text = "";
  try { text = readFileSync(file, "utf8"); } catch { continue; }
  for (const line of text.trim().split("\\n").slice(1)) {
    const [, local, , state] = line.trim().split(/\\s+/);
    const [addr, hexPort] = local.split(":");
    if (state === "0A" && Number.parseInt(hexPort, 16) === port) listeners.push(addr);
  }
}
const result = { port, listeners, argv: process.argv.slice(2), env: process.env };
if (${forgeFirst}) {
  const forged = await fetch("http://127.0.0.1:" + port + "/callback?code=forged-code&state=not-the-state");
  result.forgedStatus = forged.status;
} else {
  const first = await fetch(url, { redirect: "manual" });
  const cb = await fetch(first.headers.get("location"));
  result.callbackStatus = cb.status;
}
writeFileSync(${JSON.stringify(log)}, JSON.stringify(result));
`,
  );
  const wrapper = join(sandbox.root, "inspect.sh");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { path: wrapper, log };
}

async function readLog(path: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

const settings = () =>
  writeFileSync(join(sandbox.configHome, "settings.json"), JSON.stringify({ oauth: oauth.settings() }));

describe("claw login: listener and launcher", () => {
  it("listens on 127.0.0.1 only and hands the browser no secret", async () => {
    settings();
    const browser = writeInspectingBrowser(false);
    const r = await runClaw(["login"], {
      sandbox,
      env: {
        BROWSER: browser.path,
        ANTHROPIC_API_KEY: "sk-ant-api03-LAUNCHERLEAK",
        ANTHROPIC_AUTH_TOKEN: "sk-ant-oat01-LAUNCHERLEAK",
      },
    });
    expect(r.code).toBe(0);
    const seen = await readLog(browser.log);
    expect(seen.callbackStatus).toBe(200);
    // 0100007F is 127.0.0.1 in /proc/net/tcp; a wildcard or IPv6 listener would show up as another address.
    expect(seen.listeners).toEqual(["0100007F"]);
    const launcher = JSON.stringify({ argv: seen.argv, env: seen.env });
    expect(launcher).not.toContain("LAUNCHERLEAK");
    const verifier = oauth.tokenRequests[0]?.params.code_verifier ?? "";
    expect(verifier).not.toBe("");
    expect(launcher).not.toContain(verifier);
    const saved = JSON.parse(readFileSync(join(sandbox.configHome, "credentials.json"), "utf8")).oauth;
    for (const secret of [verifier, saved.accessToken, saved.refreshToken, "forged-code"]) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it("a forged callback with the wrong state ends the login without a token request", async () => {
    settings();
    const browser = writeInspectingBrowser(true);
    const r = await runClaw(["login"], { sandbox, env: { BROWSER: browser.path } });
    const seen = await readLog(browser.log);
    expect(seen.forgedStatus).toBe(400);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("state mismatch");
    expect(oauth.tokenRequests).toHaveLength(0);
    expect(existsSync(join(sandbox.configHome, "credentials.json"))).toBe(false);
    expect(r.stderr).not.toContain("forged-code");
  });
});
