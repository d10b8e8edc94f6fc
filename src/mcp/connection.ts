// One MCP server: connect (bounded by the startup timeout), list its tools, call them, notice when it
// dies and reconnect on the next use. Never throws out of connect(); failures become a status + reason.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";
import { errorText, type McpServerConfig, type McpServerEntry } from "./config.js";
import type { ClawStdioTransport } from "./stdio-transport.js";

export type McpServerStatus = "pending" | "connected" | "failed";

export interface RemoteTool {
  name: string;
  description: string;
  inputSchema: unknown;
  annotations?: Record<string, unknown>;
}

export interface ConnectionOptions {
  cwd: string;
  /** Environment for stdio servers before the server's own `env` is applied. */
  baseEnv: Record<string, string>;
  startupTimeoutMs: number;
  toolTimeoutMs: number;
  /** Called when a connected server goes away (for a notice). */
  onLost?: (name: string, reason: string) => void;
  clientVersion: string;
}

const ListToolsLoose = z.object({ tools: z.array(z.unknown()), nextCursor: z.string().optional() }).loose();
const CallResultLoose = z.object({}).loose();
/** Reconnects after a failure are spaced out so a crash-looping server is not respawned per call. */
const RECONNECT_BACKOFF_MS = [0, 1000, 5000, 30_000];

export class McpConnection {
  status: McpServerStatus = "pending";
  error: string | undefined;
  tools: RemoteTool[] = [];
  serverInfo: { name: string; version: string } | undefined;
  private client: Client | undefined;
  private transport: Transport | undefined;
  private connecting: Promise<void> | undefined;
  private failures = 0;
  private lastAttempt = 0;
  private closing = false;

  constructor(
    readonly entry: McpServerEntry,
    private readonly options: ConnectionOptions,
  ) {
    if (entry.error) {
      this.status = "failed";
      this.error = entry.error;
    }
  }

  get name(): string {
    return this.entry.name;
  }

  connect(): Promise<void> {
    if (!this.entry.config) return Promise.resolve();
    this.connecting ??= this.doConnect(this.entry.config).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(config: McpServerConfig): Promise<void> {
    this.lastAttempt = Date.now();
    this.status = "pending";
    this.error = undefined;
    let transport: Transport | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The SDK (the slow import) loads while a stdio server is already starting.
      const sdk = import("@modelcontextprotocol/sdk/client/index.js");
      transport = await this.makeTransport(config);
      this.transport = transport;
      if (this.closing) throw new Error("closed");
      const early = config.type === "stdio" ? transport.start() : undefined;
      early?.catch(() => undefined);
      const { Client } = await sdk;
      await early;
      const client = new Client({ name: "claw", version: this.options.clientVersion }, { capabilities: {} });
      const timeoutMs = this.options.startupTimeoutMs;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`did not finish starting within ${timeoutMs} ms (MCP_TIMEOUT)`)),
          timeoutMs,
        );
      });
      await Promise.race([this.handshake(client, transport, timeoutMs), timedOut]);
      if (this.closing) throw new Error("closed");
      this.client = client;
      this.status = "connected";
      this.failures = 0;
      const previousOnClose = transport.onclose;
      transport.onclose = () => {
        previousOnClose?.();
        this.onTransportClosed(transport as Transport);
      };
    } catch (error) {
      this.failures++;
      this.status = "failed";
      this.error = this.describeFailure(errorText(error), transport);
      if (transport) this.rememberStderr(transport);
      if (this.transport === transport) this.transport = undefined;
      await transport?.close().catch(() => undefined);
    } finally {
      clearTimeout(timer);
    }
  }

  private async handshake(client: Client, transport: Transport, timeoutMs: number): Promise<void> {
    await client.connect(transport, { timeout: timeoutMs });
    const info = client.getServerVersion();
    if (info) this.serverInfo = { name: info.name, version: info.version };
    const tools: RemoteTool[] = [];
    if (client.getServerCapabilities()?.tools) {
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const params = cursor ? { cursor } : {};
        const result = await client.request({ method: "tools/list", params }, ListToolsLoose, {
          timeout: timeoutMs,
        });
        for (const raw of result.tools) {
          const tool = toRemoteTool(raw);
          if (tool) tools.push(tool);
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    }
    this.tools = tools;
  }

  private async makeTransport(config: McpServerConfig): Promise<Transport> {
    if (config.type === "sdk") return config.transport() as Transport;
    if (config.type === "stdio") {
      const { ClawStdioTransport } = await import("./stdio-transport.js");
      return new ClawStdioTransport({
        command: config.command,
        args: config.args,
        cwd: config.cwd ?? this.options.cwd,
        env: { ...this.options.baseEnv, ...config.env },
      });
    }
    const url = new URL(config.url);
    const requestInit = { headers: config.headers };
    if (config.type === "sse") {
      const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
      // requestInit headers go on the event stream's GET as well as on the POSTs.
      return new SSEClientTransport(url, { requestInit });
    }
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    return new StreamableHTTPClientTransport(url, { requestInit });
  }

  private describeFailure(reason: string, transport: Transport | undefined): string {
    const stdio = transport as ClawStdioTransport | undefined;
    if (!stdio || typeof stdio.stderr !== "function") return oneLine(reason);
    let text = oneLine(reason);
    if (stdio.exitCode !== null) text = `exited with code ${stdio.exitCode} (${text})`;
    else if (stdio.exitSignal) text = `killed by ${stdio.exitSignal} (${text})`;
    if (stdio.garbageLines > 0) text += `; ${stdio.garbageLines} non-JSON line(s) on stdout`;
    const lastLines = stdio.stderr().trim().split("\n").slice(-3).join(" | ");
    if (lastLines) text += `; stderr: ${oneLine(lastLines).slice(-200)}`;
    return text;
  }

  /** The tail of the server's stderr (stdio servers only), for status displays. */
  stderrTail(): string {
    const stdio = this.transport as ClawStdioTransport | undefined;
    return stdio && typeof stdio.stderr === "function" ? stdio.stderr() : (this.lastStderr ?? "");
  }
  private lastStderr: string | undefined;

  private rememberStderr(transport: Transport): void {
    const stdio = transport as ClawStdioTransport;
    if (typeof stdio.stderr === "function") this.lastStderr = stdio.stderr();
  }

  private onTransportClosed(transport: Transport): void {
    if (this.transport !== transport) return;
    const stdio = transport as ClawStdioTransport;
    this.rememberStderr(transport);
    this.client = undefined;
    this.transport = undefined;
    if (this.closing) return;
    this.status = "failed";
    // The first restart after a crash is immediate; repeated failures back off.
    this.failures = 0;
    this.lastAttempt = Date.now();
    const code = typeof stdio.exitCode === "number" ? ` with code ${stdio.exitCode}` : "";
    const signal = stdio.exitSignal ? ` (${stdio.exitSignal})` : "";
    this.error = `the server stopped${code}${signal}; it will be restarted on next use`;
    this.options.onLost?.(this.name, this.error);
  }

  /** Calls a tool, reconnecting first when the server died earlier (with backoff). */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    if (!this.client) {
      if (this.connecting) await this.connecting;
      else {
        const wait = RECONNECT_BACKOFF_MS[Math.min(this.failures, RECONNECT_BACKOFF_MS.length - 1)] ?? 0;
        const since = Date.now() - this.lastAttempt;
        if (since < wait) {
          throw new Error(
            `MCP server "${this.name}" is unavailable (${this.error ?? "not connected"}); retrying in ${Math.ceil((wait - since) / 1000)} s`,
          );
        }
        await this.connect();
      }
    }
    const client = this.client;
    if (!client)
      throw new Error(`MCP server "${this.name}" is unavailable: ${this.error ?? "not connected"}`);
    const timeout = this.options.toolTimeoutMs;
    try {
      return await client.request(
        { method: "tools/call", params: { name: tool, arguments: args } },
        CallResultLoose,
        {
          signal,
          timeout,
        },
      );
    } catch (error) {
      if (signal.aborted) throw new Error("interrupted");
      const message = errorText(error);
      if (/timed out|RequestTimeout|-32001/i.test(message))
        throw new Error(`no answer within ${timeout} ms (MCP_TOOL_TIMEOUT)`);
      if (/connection closed/i.test(message) || !this.client)
        throw new Error(`the MCP server "${this.name}" stopped during the call`);
      throw new Error(message.replace(/^MCP error -?\d+: /, ""));
    }
  }

  /** Closes and connects again (the REPL's /mcp reconnect, or after a startup timeout). */
  async restart(startupTimeoutMs?: number): Promise<void> {
    await this.close();
    if (startupTimeoutMs) this.options.startupTimeoutMs = startupTimeoutMs;
    this.closing = false;
    this.failures = 0;
    await this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    // Closing the transport also ends a handshake in progress.
    await transport?.close().catch(() => undefined);
    if (this.connecting) await this.connecting.catch(() => undefined);
  }
}

function toRemoteTool(raw: unknown): RemoteTool | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  if (typeof t.name !== "string" || t.name === "") return undefined;
  const tool: RemoteTool = {
    name: t.name,
    description: typeof t.description === "string" ? t.description : "",
    inputSchema: t.inputSchema,
  };
  if (typeof t.annotations === "object" && t.annotations !== null)
    tool.annotations = t.annotations as Record<string, unknown>;
  return tool;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
