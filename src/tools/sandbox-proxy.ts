// The sandbox's only way out: an HTTP proxy (on a Unix socket, or on a loopback port where the sandbox has no
// network namespace of its own to bridge a socket into, as on macOS) that forwards requests (plain HTTP) and CONNECT
// tunnels (HTTPS and anything else) to allowed hosts, and answers every other host at once with a 403 that
// says how to allow it. Behind a corporate proxy (claw's own HTTPS_PROXY / HTTP_PROXY / NO_PROXY) it goes
// through that proxy, as claw's own requests do.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { proxyAuthorization, proxyFor } from "../util/proxy.js";
import type { ProxyEndpoint } from "./sandbox-shared.js";

export interface SandboxProxy {
  /** Where it listens: the socket path, or the port on 127.0.0.1 (the one picked when asked for port 0). */
  readonly endpoint: ProxyEndpoint;
  close(): Promise<void>;
}

/** True when `host` is one of `domains` or below one (`example.com` covers `api.example.com`; `*.` is accepted). */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return domains.some((entry) => {
    const domain = entry.toLowerCase().replace(/^\*\./, "");
    return name === domain || name.endsWith(`.${domain}`);
  });
}

function blockedMessage(host: string): string {
  return `claw sandbox: network access to ${host} is blocked. To allow it, add "WebFetch(domain:${host})" to permissions.allow or "${host}" to sandbox.network.allowedDomains in settings.\n`;
}

export async function startSandboxProxy(options: {
  /** A Unix socket path, or a port on 127.0.0.1 (0: any free one). */
  listen: ProxyEndpoint;
  allowedDomains: readonly string[];
  /** Where claw's own proxy settings come from (default process.env). */
  env?: NodeJS.ProcessEnv;
}): Promise<SandboxProxy> {
  const sockets = new Set<Duplex>();
  const allowed = (host: string) => hostAllowed(host, options.allowedDomains);
  const env = options.env ?? process.env;

  const server = createServer((req, res) => forwardRequest(req, res, allowed, env));
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = parseAuthority(req.url ?? "");
    if (!target || !allowed(target.host)) {
      const body = blockedMessage(target?.host ?? String(req.url));
      client.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    let upstream: Duplex | undefined;
    const fail = () => {
      if (!upstream && client.writable) client.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n");
      else client.destroy();
      upstream?.destroy();
    };
    client.once("error", fail);
    openTunnel(target, env, (error, socket) => {
      if (error || !socket) return fail();
      upstream = socket;
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.once("error", fail);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.write(head);
      socket.pipe(client);
      client.pipe(socket);
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const done = () => {
      server.off("error", reject);
      resolve();
    };
    const listen = options.listen;
    if ("socketPath" in listen) server.listen(listen.socketPath, done);
    else server.listen(listen.port, "127.0.0.1", done);
  });
  const endpoint: ProxyEndpoint =
    "socketPath" in options.listen
      ? { socketPath: options.listen.socketPath }
      : { port: (server.address() as AddressInfo).port };
  // claw must not stay alive for an idle proxy.
  server.unref();
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A raw connection to host:port, through claw's own proxy (CONNECT) when one applies to that host. */
function openTunnel(
  target: { host: string; port: number },
  env: NodeJS.ProcessEnv,
  done: (error: Error | null, socket?: Duplex) => void,
): void {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  let upstream: URL | undefined;
  try {
    upstream = proxyFor(new URL(`https://${host}:${target.port}`), env);
  } catch (error) {
    done(error as Error);
    return;
  }
  if (!upstream) {
    const socket = connect(target.port, target.host);
    socket.once("connect", () => done(null, socket));
    socket.once("error", (error) => done(error));
    return;
  }
  const authority = `${host}:${target.port}`;
  const tunnel = httpRequest({
    host: upstream.hostname,
    port: upstream.port || 80,
    method: "CONNECT",
    path: authority,
    headers: { host: authority, ...proxyAuthorization(upstream) },
    agent: false,
  });
  tunnel.once("connect", (res, socket) => {
    if (res.statusCode === 200) return done(null, socket);
    socket.destroy();
    done(new Error(`the proxy refused the tunnel (HTTP ${res.statusCode})`));
  });
  tunnel.once("error", (error) => done(error));
  tunnel.end();
}

function parseAuthority(authority: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(`http://${authority}`);
    const port = Number(url.port || 443);
    return url.hostname ? { host: url.hostname.replace(/^\[|\]$/g, ""), port } : undefined;
  } catch {
    return undefined;
  }
}

/** A plain-HTTP proxy request (absolute URL): forwarded without the proxy's own headers. */
function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: (host: string) => boolean,
  env: NodeJS.ProcessEnv,
): void {
  let url: URL;
  try {
    url = new URL(req.url ?? "");
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("claw sandbox: expected a proxy request\n");
    return;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol !== "http:" || !allowed(host)) {
    res.writeHead(403, { "Content-Type": "text/plain" }).end(blockedMessage(host));
    return;
  }
  const headers = { ...req.headers };
  delete headers["proxy-connection"];
  delete headers["proxy-authorization"];
  let via: URL | undefined;
  try {
    via = proxyFor(url, env);
  } catch {
    via = undefined;
  }
  // Through claw's own proxy the request keeps its absolute URL, as a proxy expects.
  const where = via
    ? {
        host: via.hostname,
        port: Number(via.port || 80),
        path: url.href,
        headers: { ...headers, ...proxyAuthorization(via) },
      }
    : { host, port: Number(url.port || 80), path: `${url.pathname}${url.search}`, headers };
  const upstream = httpRequest({ ...where, method: req.method }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end(`claw sandbox: could not reach ${host}: ${error.message}\n`);
  });
  req.pipe(upstream);
}
