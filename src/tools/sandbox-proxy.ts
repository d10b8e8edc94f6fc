// The sandbox's only way out: an HTTP proxy on a Unix socket that forwards requests (plain HTTP) and CONNECT
// tunnels (HTTPS and anything else) to allowed hosts, and answers every other host at once with a 403 that
// says how to allow it.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";

export interface SandboxProxy {
  readonly socketPath: string;
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
  socketPath: string;
  allowedDomains: readonly string[];
}): Promise<SandboxProxy> {
  const sockets = new Set<Socket>();
  const allowed = (host: string) => hostAllowed(host, options.allowedDomains);

  const server = createServer((req, res) => forwardRequest(req, res, allowed));
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = parseAuthority(req.url ?? "");
    if (!target || !allowed(target.host)) {
      const body = blockedMessage(target?.host ?? String(req.url));
      client.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    sockets.add(client);
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once("error", () => {
      if (client.writable && upstream.connecting)
        client.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n");
      drop();
    });
    client.once("error", drop);
    upstream.once("close", () => sockets.delete(upstream));
    client.once("close", () => sockets.delete(client));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // claw must not stay alive for an idle proxy.
  server.unref();
  return {
    socketPath: options.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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
function forwardRequest(req: IncomingMessage, res: ServerResponse, allowed: (host: string) => boolean): void {
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
  const upstream = httpRequest(
    { host, port: Number(url.port || 80), method: req.method, path: `${url.pathname}${url.search}`, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end(`claw sandbox: could not reach ${host}: ${error.message}\n`);
  });
  req.pipe(upstream);
}
