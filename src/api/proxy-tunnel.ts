// Https through an http proxy: each connection starts with CONNECT host:port, then TLS runs inside the tunnel,
// so the proxy sees only where the connection goes, never the request or its credentials. Loaded only when a
// proxy is configured.
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { proxyAuthorization } from "../util/proxy.js";

export const request = https.request;

type Callback = (error: Error | null, socket?: Duplex) => void;

class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  // Node's Agent accepts a connection handed over later through the callback.
  override createConnection(
    options: tls.ConnectionOptions & { host?: string; port?: number },
    callback: Callback,
  ) {
    const target = `${options.host ?? "localhost"}:${options.port ?? 443}`;
    const connect = http.request({
      host: this.proxy.hostname,
      port: this.proxy.port || 80,
      method: "CONNECT",
      path: target,
      headers: { host: target, ...proxyAuthorization(this.proxy) },
      agent: false,
    });
    connect.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        callback(
          new Error(`the proxy ${this.proxy.host} refused the tunnel to ${target} (HTTP ${res.statusCode})`),
        );
        return;
      }
      // SNI carries host names only, never an IP address.
      const host = options.host ?? "";
      const servername = options.servername || (isIP(host) ? undefined : host);
      callback(null, tls.connect({ ...options, socket, servername }));
    });
    connect.once("error", (error) => callback(error));
    connect.end();
    return undefined as unknown as Duplex;
  }
}

export function createTunnelAgent(proxy: URL, options: https.AgentOptions): https.Agent {
  return new TunnelAgent(proxy, options);
}
