// Which HTTP proxy a request goes through: HTTPS_PROXY for https targets, HTTP_PROXY for http ones (either
// case, as curl reads them), none when NO_PROXY lists the host. Https targets are tunnelled (CONNECT), so the
// proxy never sees the request or its credentials.

export class ProxyConfigError extends Error {}

function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value?.trim() ? value.trim() : undefined;
}

/** NO_PROXY entries: "*", host names (a leading "." or "*." matches subdomains too), IPs, each with an optional port. */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    const { name, port: entryPort } = parseEntry(entry);
    if (entryPort && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** "host", "host:port", "[v6]:port", a bare IPv6 address; a leading "." or "*." is dropped. */
function parseEntry(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? "", port: bracketed[2] };
  if ((entry.match(/:/g) ?? []).length > 1) return { name: entry };
  const [name = "", port] = entry.split(":");
  return { name: name.replace(/^\*?\./, ""), port };
}

/** The proxy URL for a request to `target`, or undefined for a direct connection. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const setting = target.protocol === "https:" ? pick(env, "HTTPS_PROXY") : pick(env, "HTTP_PROXY");
  if (!setting || bypassesProxy(target, pick(env, "NO_PROXY"))) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(setting) ? setting : `http://${setting}`);
  } catch {
    throw new ProxyConfigError(
      `the proxy setting "${setting}" is not a URL; use e.g. http://proxy.example.com:3128`,
    );
  }
  if (proxy.protocol !== "http:") {
    throw new ProxyConfigError(
      `proxies are reached over http:// only (got ${proxy.protocol}//${proxy.host}); https targets are still encrypted end to end`,
    );
  }
  return proxy;
}

/** The Proxy-Authorization header for credentials in the proxy URL (http://user:pass@host:port). */
export function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { "proxy-authorization": `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}` };
}
