// The loopback listener that receives the authorization server's redirect during `claw login`.
// Binds 127.0.0.1 only; answers 404 to anything but /callback; settles on the first /callback request.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type CallbackOutcome, interpretCallback, loopbackRedirectUri } from "../auth/authorize-url.js";

export interface CallbackListener {
  port: number;
  redirectUri: string;
  /** Settles with the outcome of the first request to /callback. */
  outcome: Promise<CallbackOutcome>;
  close(): Promise<void>;
}

export interface CallbackListenerOptions {
  /** From settings `oauth.callbackPort`; undefined → an ephemeral port. */
  preferredPort: number | undefined;
  expectedState: string;
  /** One-line notices for the terminal (e.g. the port fallback). */
  notice: (message: string) => void;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family: sans-serif; margin: 3em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    connection: "close",
  });
  res.end(html);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host: "127.0.0.1", exclusive: true });
  });
}

export async function startCallbackListener(options: CallbackListenerOptions): Promise<CallbackListener> {
  let settle: (outcome: CallbackOutcome) => void = () => {};
  const outcome = new Promise<CallbackOutcome>((resolve) => {
    settle = resolve;
  });
  let settled = false;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== "/callback") {
      page(res, 404, "Not found", "This address only receives the sign-in redirect for claw.");
      return;
    }
    if (settled) {
      page(res, 410, "Sign-in already finished", "This sign-in attempt is over; return to the terminal.");
      return;
    }
    const result = interpretCallback(url.searchParams, options.expectedState);
    if (result.kind === "code") {
      page(res, 200, "Signed in to claw", "You can close this window and return to the terminal.");
    } else if (result.kind === "denied") {
      page(res, 400, "Sign-in failed", result.description ?? result.error);
    } else {
      page(res, 400, "Sign-in failed", `${result.reason}. Run claw login again.`);
    }
    settled = true;
    settle(result);
  });

  let port: number;
  const preferred = options.preferredPort;
  try {
    port = await listen(server, preferred ?? 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (preferred === undefined) throw error;
    port = await listen(server, 0);
    options.notice(
      `callback port ${preferred} is ${code === "EADDRINUSE" ? "busy" : `unavailable (${code ?? "error"})`}; listening on port ${port} instead`,
    );
  }

  return {
    port,
    redirectUri: loopbackRedirectUri(port),
    outcome,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
