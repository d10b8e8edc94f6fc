// Starts every configured MCP server in parallel and offers their tools as claw Tools named
// mcp__<server>__<tool>. The SDK is loaded only when at least one server is configured.
import type { Tool, ToolResult } from "../tools/types.js";
import { isClawOwnEnvName } from "../util/sensitive-env.js";
import {
  errorText,
  type LoadMcpConfigOptions,
  loadMcpConfig,
  type McpScope,
  type McpServerEntry,
} from "./config.js";
import { McpConnection, type McpServerStatus, type RemoteTool } from "./connection.js";
import { defaultMaxChars, mapCallResult } from "./result.js";
import { checkInputSchema, mcpToolName } from "./schema.js";

export interface StartMcpOptions extends Partial<LoadMcpConfigOptions> {
  cwd: string;
  configHome: string;
  /** Already-loaded entries (skips reading config files). */
  servers?: McpServerEntry[];
  env?: NodeJS.ProcessEnv;
  /** Defaults: MCP_TIMEOUT, else 30 s; MCP_TOOL_TIMEOUT, else 10 min. */
  startupTimeoutMs?: number;
  toolTimeoutMs?: number;
  clientVersion?: string;
  /** Runtime problems (a server that died) for the user. */
  onNotice?: (message: string) => void;
  /** Aborting gives up on servers still connecting (the REPL closing before they are ready). */
  signal?: AbortSignal;
}

export interface McpServerInfo {
  name: string;
  scope: McpScope;
  source: string;
  type: "stdio" | "http" | "sse" | "sdk" | "unknown";
  status: McpServerStatus;
  error?: string;
  /** The end of a stdio server's stderr, when it failed. */
  stderrTail?: string;
  /** The names offered to the model. */
  tools: string[];
  skippedTools: Array<{ name: string; reason: string }>;
}

export interface McpManager {
  /** Tools of the servers that started; stable for the session (calls reconnect a server that died). */
  readonly tools: Tool[];
  /** Config problems and skipped tools, one line each, for the user. */
  readonly warnings: string[];
  status(): McpServerInfo[];
  /** For stream-json's init line. */
  initServers(): Array<{ name: string; status: McpServerStatus }>;
  /**
   * Restarts one server (e.g. one that timed out at startup). Tools it offers now that were not offered
   * before are appended to `tools` and returned in `added` (give them to the agent with addTools()).
   */
  reconnect(
    name: string,
    options?: { startupTimeoutMs?: number },
  ): Promise<{ info: McpServerInfo; added: Tool[]; warnings: string[] } | undefined>;
  close(): Promise<void>;
}

const DESCRIPTION_LIMIT = 2048;

function envNumber(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * The environment handed to stdio servers: the user's, minus claw's own credentials and config. Unlike a
 * model-run command, a server the user configured keeps other tokens (GITHUB_TOKEN etc.) it may rely on.
 */
function serverBaseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isClawOwnEnvName(key)) continue;
    out[key] = value;
  }
  return out;
}

/** Loads the config, starts servers in parallel and resolves once each has connected or failed (bounded by MCP_TIMEOUT). */
export async function startMcpServers(options: StartMcpOptions): Promise<McpManager> {
  const env = options.env ?? process.env;
  const loaded = options.servers
    ? { servers: options.servers, warnings: [] as string[] }
    : loadMcpConfig({ ...options, env });
  const warnings = [...loaded.warnings];
  const connections = loaded.servers.map(
    (entry) =>
      new McpConnection(entry, {
        cwd: options.cwd,
        baseEnv: serverBaseEnv(env),
        startupTimeoutMs: options.startupTimeoutMs ?? envNumber(env.MCP_TIMEOUT, 30_000),
        toolTimeoutMs: options.toolTimeoutMs ?? envNumber(env.MCP_TOOL_TIMEOUT, 600_000),
        clientVersion: options.clientVersion ?? "0.1.0",
        onLost: (name, reason) => options.onNotice?.(`MCP server "${name}": ${reason}`),
      }),
  );
  const giveUp = () => void Promise.all(connections.map((c) => c.close()));
  options.signal?.addEventListener("abort", giveUp, { once: true });
  if (options.signal?.aborted) giveUp();
  await Promise.all(connections.map((c) => c.connect()));
  options.signal?.removeEventListener("abort", giveUp);

  const maxChars = defaultMaxChars(env);
  const tools: Tool[] = [];
  const offered = new Map<McpConnection, string[]>();
  const skipped = new Map<McpConnection, Array<{ name: string; reason: string }>>();
  const taken = new Set<string>();
  /** Turns a connection's remote tools into Tools (skipping bad schemas); returns the ones not offered before. */
  const offer = (connection: McpConnection, report: string[]): Tool[] => {
    const names = offered.get(connection) ?? [];
    const skips: Array<{ name: string; reason: string }> = [];
    const added: Tool[] = [];
    for (const remote of connection.tools) {
      const checked = checkInputSchema(remote.inputSchema);
      const name = mcpToolName(connection.name, remote.name);
      if (names.includes(name)) continue;
      const reason = !checked.ok
        ? checked.reason
        : taken.has(name)
          ? `its name ${name} is already taken`
          : undefined;
      if (reason || !checked.ok) {
        skips.push({ name: remote.name, reason: reason ?? "invalid" });
        report.push(`MCP server "${connection.name}": tool "${remote.name}" skipped: ${reason}`);
        continue;
      }
      taken.add(name);
      names.push(name);
      added.push(makeTool(connection, remote, name, checked.schema, maxChars));
    }
    offered.set(connection, names);
    skipped.set(connection, skips);
    tools.push(...added);
    return added;
  };
  for (const connection of connections) {
    if (connection.status === "failed") {
      warnings.push(`MCP server "${connection.name}" failed: ${connection.error ?? "unknown error"}`);
    }
    offer(connection, warnings);
  }

  const info = (c: McpConnection): McpServerInfo => {
    const out: McpServerInfo = {
      name: c.name,
      scope: c.entry.scope,
      source: c.entry.source,
      type: c.entry.config?.type ?? "unknown",
      status: c.status,
      tools: offered.get(c) ?? [],
      skippedTools: skipped.get(c) ?? [],
    };
    if (c.error) out.error = c.error;
    const tail = c.status === "failed" ? c.stderrTail() : "";
    if (tail) out.stderrTail = tail;
    return out;
  };

  return {
    tools,
    warnings,
    status: () => connections.map(info),
    initServers: () => connections.map((c) => ({ name: c.name, status: c.status })),
    async reconnect(name, reconnectOptions) {
      const c = connections.find((x) => x.name === name);
      if (!c) return undefined;
      await c.restart(reconnectOptions?.startupTimeoutMs);
      const report: string[] = [];
      const added = offer(c, report);
      return { info: info(c), added, warnings: report };
    },
    async close() {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}

function makeTool(
  connection: McpConnection,
  remote: RemoteTool,
  name: string,
  schema: Record<string, unknown>,
  maxChars: number,
): Tool<Record<string, unknown>> {
  let description = remote.description.trim() || `Tool ${remote.name} from MCP server ${connection.name}.`;
  if (description.length > DESCRIPTION_LIMIT) description = `${description.slice(0, DESCRIPTION_LIMIT)}…`;
  return {
    name,
    description,
    // Hints from a server are not trusted: every MCP call goes through the gate like a command.
    kind: "execute",
    inputSchema: schema,
    parse(input) {
      if (input === undefined || input === null) return { ok: true, value: {} };
      if (typeof input !== "object" || Array.isArray(input))
        return { ok: false, error: "the input must be a JSON object" };
      return { ok: true, value: input as Record<string, unknown> };
    },
    summary(input) {
      const args = JSON.stringify(input);
      return `${connection.name} - ${remote.name}(${args.length > 80 ? `${args.slice(0, 77)}...` : args})`;
    },
    async execute(input, ctx): Promise<ToolResult> {
      try {
        const raw = await connection.call(remote.name, input, ctx.signal);
        return await mapCallResult(raw, { maxChars, toolName: name, scratchDir: ctx.scratchDir });
      } catch (error) {
        const message = `MCP tool ${remote.name} (server "${connection.name}") failed: ${errorText(error)}`;
        return { content: message, display: message, isError: true };
      }
    },
  };
}
