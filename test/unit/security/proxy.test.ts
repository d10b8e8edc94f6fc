// Which proxy a request uses: HTTPS_PROXY / HTTP_PROXY by target scheme (either case), NO_PROXY matching.
import { describe, expect, it } from "vitest";
import { bypassesProxy, ProxyConfigError, proxyAuthorization, proxyFor } from "../../../src/util/proxy.js";

const https = new URL("https://api.anthropic.com/v1/messages");
const http = new URL("http://gateway.internal:8080/v1/messages");

describe("proxyFor", () => {
  it("picks HTTPS_PROXY for https targets and HTTP_PROXY for http ones, upper or lower case", () => {
    const env = { HTTPS_PROXY: "http://secure:3128", http_proxy: "http://plain:3128" };
    expect(proxyFor(https, env)?.host).toBe("secure:3128");
    expect(proxyFor(http, env)?.host).toBe("plain:3128");
    expect(proxyFor(https, {})).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: "  " })).toBeUndefined();
  });

  it("accepts host:port without a scheme, refuses what is not an http proxy URL", () => {
    expect(proxyFor(https, { HTTPS_PROXY: "proxy.corp:8080" })?.href).toBe("http://proxy.corp:8080/");
    expect(() => proxyFor(https, { HTTPS_PROXY: "socks5://proxy:1080" })).toThrow(ProxyConfigError);
    expect(() => proxyFor(https, { HTTPS_PROXY: "http://[oops" })).toThrow(/not a URL/);
  });

  it("is skipped for hosts NO_PROXY lists", () => {
    expect(proxyFor(https, { HTTPS_PROXY: "http://p:1", NO_PROXY: "anthropic.com" })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: "http://p:1", no_proxy: "*" })).toBeUndefined();
  });
});

describe("bypassesProxy", () => {
  it.each([
    ["api.anthropic.com", true],
    [".anthropic.com", true],
    ["*.anthropic.com", true],
    ["anthropic.com:443", true],
    ["anthropic.com:8443", false],
    ["thropic.com", false],
    ["other.com, api.anthropic.com", true],
    ["other.com example.org", false],
    ["", false],
  ])("NO_PROXY=%j → %s for api.anthropic.com", (noProxy, bypass) => {
    expect(bypassesProxy(https, noProxy)).toBe(bypass);
  });

  it("matches IP addresses and ports on plain http targets", () => {
    const local = new URL("http://127.0.0.1:4000/v1/messages");
    expect(bypassesProxy(local, "127.0.0.1")).toBe(true);
    expect(bypassesProxy(local, "127.0.0.1:4000")).toBe(true);
    expect(bypassesProxy(local, "127.0.0.1:80")).toBe(false);
    expect(bypassesProxy(new URL("http://[::1]:4000/"), "::1")).toBe(true);
    expect(bypassesProxy(new URL("http://[::1]:4000/"), "[::1]:4000")).toBe(true);
    expect(bypassesProxy(new URL("http://[::1]:4000/"), "[::1]:5000")).toBe(false);
  });
});

describe("proxyAuthorization", () => {
  it("turns URL credentials into a Basic header, decoding escapes; none without credentials", () => {
    expect(proxyAuthorization(new URL("http://al%40ice:p%3Ass@p:1"))).toEqual({
      "proxy-authorization": `Basic ${Buffer.from("al@ice:p:ss").toString("base64")}`,
    });
    expect(proxyAuthorization(new URL("http://p:1"))).toEqual({});
  });
});
