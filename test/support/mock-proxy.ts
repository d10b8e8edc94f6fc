// A forward HTTP proxy on 127.0.0.1 for the proxy tests: CONNECT tunnels (for https targets) and absolute-form
// requests (for http targets), each logged. With `auth`, requests without that Proxy-Authorization get 407.
//
//   const proxy = await startMockProxy();
//   ... run claw with HTTPS_PROXY=proxy.url ...
//   expect(proxy.connects).toEqual(["127.0.0.1:4321"]);
import { createServer, type IncomingHttpHeaders, request } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

export interface MockProxy {
  url: string;
  /** Targets of CONNECT requests that were tunnelled, in order. */
  connects: string[];
  /** Absolute URLs of plain requests that were forwarded. */
  forwarded: string[];
  /** Headers of every request the proxy received (CONNECT or plain). */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startMockProxy(options: { auth?: string } = {}): Promise<MockProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const expected = options.auth ? `Basic ${Buffer.from(options.auth).toString("base64")}` : undefined;
  const allowed = (h: IncomingHttpHeaders) => !expected || h["proxy-authorization"] === expected;

  const server = createServer((req, res) => {
    headers.push(req.headers);
    if (!allowed(req.headers)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="mock"' }).end();
      return;
    }
    const target = new URL(req.url ?? "");
    forwarded.push(target.href);
    const { "proxy-authorization": _credentials, ...upstreamHeaders } = req.headers;
    const upstream = request(target, { method: req.method, headers: upstreamHeaders }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connect", (req, client: Socket) => {
    headers.push(req.headers);
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (!allowed(req.headers)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="mock"\r\n\r\n',
      );
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    connects.push(req.url ?? "");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
