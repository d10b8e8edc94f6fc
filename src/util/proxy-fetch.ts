// fetch that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which Node's own fetch ignores. Without a proxy for
// the URL it is the global fetch; with one, undici's fetch through a ProxyAgent (undici is loaded only then).
import { proxyFor } from "./proxy.js";

type ProxyDispatcher = object;
const dispatchers = new Map<string, ProxyDispatcher>();

export async function proxiedFetch(
  input: URL | string,
  init: RequestInit = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Response> {
  const url = new URL(String(input));
  const proxy = proxyFor(url, env);
  if (!proxy) return fetch(url, init);
  const mod = await import("undici");
  // CommonJS module: its exports sit on `default` when bundled, on the namespace when run from source.
  const undici = (mod as unknown as { default?: typeof mod }).default ?? mod;
  let dispatcher = dispatchers.get(proxy.href);
  if (!dispatcher) {
    // Credentials in the proxy URL become Proxy-Authorization; undici tunnels every target with CONNECT.
    dispatcher = new undici.ProxyAgent(proxy.href);
    dispatchers.set(proxy.href, dispatcher);
  }
  const options = { ...init, dispatcher } as unknown as Parameters<typeof undici.fetch>[1];
  return (await undici.fetch(url, options)) as unknown as Response;
}
