// The one proxy stack: with HTTPS_PROXY / HTTP_PROXY / NO_PROXY set, every request claw makes — the model API,
// claw login's token requests, WebFetch — goes through undici's ProxyAgent, which tunnels each target with
// CONNECT (the proxy sees where a connection goes, never the request or its credentials). undici is loaded
// only when a proxy applies; without one, fetch is the global fetch and the API uses node:http directly.
import { proxyFor } from "./proxy.js";

/** undici's Dispatcher, kept opaque so callers need no undici types. */
export type ProxyDispatcher = object;

const dispatchers = new Map<string, ProxyDispatcher>();

export async function loadUndici() {
  const mod = await import("undici/index.js");
  // CommonJS module: its exports sit on `default` when bundled, on the namespace when run from source.
  return (mod as unknown as { default?: typeof mod }).default ?? mod;
}

/** The shared ProxyAgent for `proxy` (credentials in its URL become Proxy-Authorization). */
export async function proxyDispatcher(proxy: URL): Promise<ProxyDispatcher> {
  const undici = await loadUndici();
  let dispatcher = dispatchers.get(proxy.href);
  if (!dispatcher) {
    dispatcher = new undici.ProxyAgent(proxy.href);
    dispatchers.set(proxy.href, dispatcher);
  }
  return dispatcher;
}

/** fetch that honours the proxy variables, which Node's own fetch ignores. */
export async function proxiedFetch(
  input: URL | string,
  init: RequestInit = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Response> {
  const url = new URL(String(input));
  const proxy = proxyFor(url, env);
  if (!proxy) return fetch(url, init);
  const undici = await loadUndici();
  const options = { ...init, dispatcher: await proxyDispatcher(proxy) } as unknown as Parameters<
    typeof undici.fetch
  >[1];
  return (await undici.fetch(url, options)) as unknown as Response;
}

/** "Proxy response (407) !== 200 when HTTP Tunneling" → 407: a proxy that refused the CONNECT. */
export function refusedTunnelStatus(error: unknown): number | undefined {
  const match = /Proxy response \((\d+)\)/.exec(error instanceof Error ? error.message : String(error));
  return match ? Number(match[1]) : undefined;
}
