// HTTPS_PROXY / HTTP_PROXY / NO_PROXY end to end: the built CLI talks to an https mock API (self-signed test
// certificate, trusted through NODE_EXTRA_CA_CERTS) through a mock forward proxy on 127.0.0.1.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply, startMockAnthropic, TEST_CA_PATH } from "../support/mock-anthropic.js";
import { startMockOAuth, waitForBrowserExit, writeBrowserScript } from "../support/mock-oauth.js";
import { type MockProxy, startMockProxy } from "../support/mock-proxy.js";

const KEY = "sk-ant-proxy-test-key";
const e2e = setupMockApi({ tls: true });
let proxy: MockProxy;

beforeEach(async () => {
  proxy = await startMockProxy();
});
afterEach(async () => {
  await proxy.close();
});

function claw(env: Record<string, string | undefined>, args = ["-p", "hi"]) {
  return runClaw(args, {
    sandbox: e2e.sandbox,
    env: {
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: e2e.mock.url,
      NODE_EXTRA_CA_CERTS: TEST_CA_PATH,
      CLAW_RETRY_BASE_MS: "1",
      ...env,
    },
  });
}

const apiHost = () => new URL(e2e.mock.url).host;

describe("HTTPS_PROXY", () => {
  it("tunnels https through the proxy, which never sees the request or the key; turns share one tunnel", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Glob", input: { pattern: "*" } }),
      reply.text("through the tunnel"),
    );
    const r = await claw({ HTTPS_PROXY: proxy.url });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("through the tunnel\n");
    expect(proxy.connects).toEqual([apiHost()]);
    expect(proxy.forwarded).toEqual([]);
    expect(JSON.stringify(proxy.headers)).not.toContain(KEY);
    // The API got both requests, with the key, over the one tunnelled connection.
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0]?.headers["x-api-key"]).toBe(KEY);
    expect(new Set(requests.map((q) => q.connection)).size).toBe(1);
  });

  it("reads the lower-case https_proxy too, and sends credentials in the URL as Proxy-Authorization", async () => {
    await proxy.close();
    proxy = await startMockProxy({ auth: "alice:s3cret" });
    e2e.mock.enqueue(reply.text("authorised"));
    const url = new URL(proxy.url);
    const r = await claw({ https_proxy: `http://alice:s3cret@${url.host}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("authorised\n");
    expect(proxy.connects).toEqual([apiHost()]);
  });

  it("a proxy that refuses the tunnel ends in one line naming the proxy and the settings to check", async () => {
    await proxy.close();
    proxy = await startMockProxy({ auth: "alice:s3cret" });
    const r = await claw({ HTTPS_PROXY: proxy.url, CLAW_MAX_ATTEMPTS: "2" });
    expect(r.code).toBe(1);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
    const last = r.stderr.trim().split("\n").at(-1) ?? "";
    expect(last).toMatch(/^claw: .*through the proxy 127\.0\.0\.1:\d+.*HTTP 407/);
    expect(last).toContain("HTTPS_PROXY");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("NO_PROXY that names the API host connects directly", async () => {
    e2e.mock.enqueue(reply.text("direct"));
    const r = await claw({ HTTPS_PROXY: proxy.url, NO_PROXY: "example.com, 127.0.0.1" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("direct\n");
    expect(proxy.connects).toEqual([]);
  });

  it("a proxy setting that is not a URL is reported before anything is sent", async () => {
    const r = await claw({ HTTPS_PROXY: "http://[not a host" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^claw: the proxy setting "http:\/\/\[not a host" is not a URL/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });
});

describe("HTTP_PROXY", () => {
  it("tunnels plain-http API requests through the proxy too (one proxy stack for every request)", async () => {
    const plain = await startMockAnthropic();
    try {
      plain.enqueue(reply.text("via the proxy"));
      const r = await claw({ ANTHROPIC_BASE_URL: plain.url, HTTP_PROXY: proxy.url, HTTPS_PROXY: undefined });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("via the proxy\n");
      expect(proxy.connects).toEqual([new URL(plain.url).host]);
      expect(proxy.forwarded).toEqual([]);
      expect(plain.messageRequests()[0]?.headers.host).toBe(new URL(plain.url).host);
    } finally {
      await plain.close();
    }
  });
});

describe("WebFetch and claw login through the proxy", () => {
  it("WebFetch fetches an http page through HTTP_PROXY (the API, https, goes direct)", async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body><p>Proxied page says 42.</p></body></html>");
    });
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/notes`;
    try {
      e2e.mock.enqueue(
        reply.toolUse({ name: "WebFetch", input: { url: pageUrl, prompt: "What number?" } }),
        reply.text("SMALL: 42"),
        reply.text("It says 42."),
      );
      const r = await claw({ HTTP_PROXY: proxy.url }, ["-p", "read the page", "--allowedTools", "WebFetch"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("It says 42.\n");
      // undici tunnels plain http too.
      expect(proxy.connects).toEqual([new URL(pageUrl).host]);
      expect(JSON.stringify(e2e.mock.messageRequests()[1]?.body.messages)).toContain("Proxied page says 42.");
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it("claw login sends its token request through HTTP_PROXY", async () => {
    const oauth = await startMockOAuth();
    try {
      writeFileSync(
        join(e2e.sandbox.configHome, "settings.json"),
        JSON.stringify({ oauth: oauth.settings() }),
      );
      const browser = writeBrowserScript(e2e.sandbox.root);
      const r = await claw({ HTTP_PROXY: proxy.url, BROWSER: browser.path }, ["login"]);
      await waitForBrowserExit(browser.log);
      expect(r.code, r.stderr).toBe(0);
      expect(oauth.tokenRequests).toHaveLength(1);
      expect(proxy.connects).toEqual([new URL(oauth.tokenUrl).host]);
    } finally {
      await oauth.close();
    }
  });
});
