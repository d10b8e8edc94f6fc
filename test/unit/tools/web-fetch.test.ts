// WebFetch against a real HTTP server on 127.0.0.1: HTML → markdown, the small-model answer,
// same-host and cross-host redirects, size and time caps, errors. No other host is ever contacted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWebFetchTool, normalizeUrl, webFetchTool } from "../../../src/tools/web-fetch.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

let server: Server;
let base = "";
const hung: Array<() => void> = [];

const PAGE = `<!doctype html><html><head><title>Install &amp; Use</title><style>body{color:red}</style>
<script>var secret = "do not show";</script></head>
<body><h2>Steps</h2><p>Run <code>npm install claw</code> then <b>enjoy</b>.</p>
<ul><li>one</li><li>two</li></ul><ol start="3"><li>third</li><li>fourth</li></ol><a href="/next">next page</a></body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/page") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
    } else if (path === "/old") {
      res.writeHead(301, { location: "/page" });
      res.end();
    } else if (path === "/away") {
      res.writeHead(302, { location: "https://example.com/elsewhere?x=1" });
      res.end();
    } else if (path === "/loop") {
      res.writeHead(302, { location: "/loop" });
      res.end();
    } else if (path === "/big") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("A".repeat(50_000));
    } else if (path === "/plain") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("just text\n");
    } else if (path === "/png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    } else if (path === "/slow") {
      // Never answers until the test ends.
      hung.push(() => res.end());
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const end of hung) end();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

describe("WebFetch", () => {
  it("converts HTML to markdown and returns it with the prompt when no small model is wired", async () => {
    const result = await run(webFetchTool, { url: `${base}/page`, prompt: "How do I install it?" }, t.ctx);
    expect(result.isError).toBeFalsy();
    const out = text(result);
    expect(out).toContain("# Install & Use");
    expect(out).toContain("## Steps");
    expect(out).toContain("Run `npm install claw` then **enjoy**.");
    expect(out).toMatch(/- one\n- two/);
    expect(out).toMatch(/3\. third\n4\. fourth/);
    expect(out.match(/Install & Use/g)).toHaveLength(1);
    expect(out).not.toContain("do not show");
    expect(out).not.toContain("color:red");
    expect(out).toContain("Use this content to answer: How do I install it?");
  });

  it("answers the prompt with the small model over the page", async () => {
    const asked: string[] = [];
    t.ctx.askModel = async (prompt) => {
      asked.push(prompt);
      return "Run npm install claw.";
    };
    const result = await run(webFetchTool, { url: `${base}/page`, prompt: "How do I install it?" }, t.ctx);
    expect(text(result)).toBe("Run npm install claw.");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("Run `npm install claw`");
    expect(asked[0]).toContain("Request: How do I install it?");
    expect(result.display).toMatch(/^Fetched 127\.0\.0\.1:\d+/);
  });

  it("falls back to the page when the small model fails", async () => {
    t.ctx.askModel = async () => {
      throw new Error("overloaded");
    };
    const result = await run(webFetchTool, { url: `${base}/plain`, prompt: "what?" }, t.ctx);
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain("just text");
    expect(text(result)).toMatch(/small model could not answer \(overloaded\)/);
  });

  it("follows a same-host redirect", async () => {
    const result = await run(webFetchTool, { url: `${base}/old`, prompt: "x" }, t.ctx);
    expect(text(result)).toContain(`Content of ${base}/page`);
  });

  it("reports a cross-host redirect instead of following it", async () => {
    const result = await run(webFetchTool, { url: `${base}/away`, prompt: "x" }, t.ctx);
    expect(result.isError).toBeFalsy();
    expect(text(result)).toMatch(
      /redirected \(HTTP 302\) to a different host: https:\/\/example\.com\/elsewhere\?x=1/,
    );
    expect(text(result)).toMatch(/call WebFetch again/);
    expect(result.details).toEqual({ redirectUrl: "https://example.com/elsewhere?x=1" });
  });

  it("stops after too many redirects", async () => {
    const result = await run(webFetchTool, { url: `${base}/loop`, prompt: "x" }, t.ctx);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/more than 10 redirects/);
  });

  it("caps the download and the markdown", async () => {
    const tool = createWebFetchTool({ maxDownloadBytes: 1000, maxMarkdownChars: 400 });
    const result = await run(tool, { url: `${base}/big`, prompt: "x" }, t.ctx);
    const out = text(result);
    expect(out).toMatch(/larger than 1000 B; only its start was read/);
    expect(out).toMatch(/cut to its first 400 characters/);
    expect(out.match(/A+/)?.[0].length).toBe(400);
  });

  it("gives up after the time cap", async () => {
    const tool = createWebFetchTool({ timeoutMs: 300 });
    const result = await run(tool, { url: `${base}/slow`, prompt: "x" }, t.ctx);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/timed out after 0\.3 s/);
  });

  it("stops when the turn is aborted", async () => {
    const pending = run(webFetchTool, { url: `${base}/slow`, prompt: "x" }, t.ctx);
    setTimeout(() => t.controller.abort(), 50);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/interrupted/);
  });

  it("refuses binary content, HTTP errors and non-http URLs", async () => {
    const png = await run(webFetchTool, { url: `${base}/png`, prompt: "x" }, t.ctx);
    expect(png.isError).toBe(true);
    expect(text(png)).toMatch(/image\/png content/);
    const missing = await run(webFetchTool, { url: `${base}/nope`, prompt: "x" }, t.ctx);
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/HTTP 404/);
    const ftp = await run(webFetchTool, { url: "ftp://127.0.0.1/x", prompt: "x" }, t.ctx);
    expect(text(ftp)).toMatch(/Only http and https/);
    const bad = await run(webFetchTool, { url: "not a url", prompt: "x" }, t.ctx);
    expect(text(bad)).toMatch(/not a valid URL/);
  });
});

describe("normalizeUrl", () => {
  it("upgrades http to https except on loopback", () => {
    expect(String(normalizeUrl("http://example.com/a?b=1"))).toBe("https://example.com/a?b=1");
    expect(String(normalizeUrl("http://127.0.0.1:8080/x"))).toBe("http://127.0.0.1:8080/x");
    expect(String(normalizeUrl("http://localhost/x"))).toBe("http://localhost/x");
    expect(String(normalizeUrl("http://[::1]:9/x"))).toBe("http://[::1]:9/x");
    expect(normalizeUrl("http://user:pw@example.com/")).toMatch(/user name or password/);
  });
});
