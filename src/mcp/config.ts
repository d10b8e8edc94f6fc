// MCP server configuration: reads Claude Code's files (.mcp.json, settings mcpServers, --mcp-config),
// validates each entry and expands ${VAR} / ${VAR:-default}. No SDK here: this stays cheap to import.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type SettingSource, settingsFileCandidates } from "../config/settings.js";
import { isRecord } from "../util/is-record.js";

export type McpTransportType = "stdio" | "http" | "sse";
export type McpScope = "local" | "project" | "user" | "flag" | "settings";

export interface StdioServerConfig {
  type: "stdio";
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}
export interface RemoteServerConfig {
  type: "http" | "sse";
  url: string;
  headers: Record<string, string>;
}
/** A server the embedding host runs in its own process (the Agent SDK's sdkMcpServers), reached over its channel. */
export interface HostedServerConfig {
  type: "sdk";
  /** Opens a transport to the host's server; typed loosely so this module stays free of the MCP SDK. */
  transport: () => unknown;
}
export type McpServerConfig = StdioServerConfig | RemoteServerConfig | HostedServerConfig;

/** One configured server: either usable (`config`) or broken with a one-line reason (`error`). */
export interface McpServerEntry {
  name: string;
  scope: McpScope;
  /** Where it came from (a file path, or "--mcp-config"). */
  source: string;
  config?: McpServerConfig;
  error?: string;
}

export interface LoadMcpConfigOptions {
  cwd: string;
  configHome: string;
  /** Values of --mcp-config: file paths or inline JSON. */
  mcpConfig?: string[];
  /** --strict-mcp-config: only the --mcp-config servers. */
  strict?: boolean;
  /** mcpServers of --settings (or any extra settings layer), applied above the files. */
  extraServers?: Record<string, unknown>;
  /** The raw --settings value (file or inline JSON): its mcpServers apply above the files. */
  flagSettings?: string;
  /** --setting-sources: which files' servers to load (default all); --mcp-config applies regardless. */
  settingSources?: readonly SettingSource[];
  /** Names from settings `disabledMcpjsonServers`: project .mcp.json servers to leave out. */
  disabledProjectServers?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedMcpConfig {
  servers: McpServerEntry[];
  /** Problems with whole files (unreadable JSON, etc.): one line each. */
  warnings: string[];
}

/**
 * The files that can hold servers, in increasing precedence (Claude Code: local > project > user). Settings
 * files come from the settings loader (project files at the project root); .mcp.json sits beside them.
 */
export function mcpConfigFiles(cwd: string, configHome: string): Array<{ scope: McpScope; path: string }> {
  const settings = settingsFileCandidates({ cwd, configHome });
  const user = settings.find((f) => f.scope === "user")?.path ?? join(configHome, "settings.json");
  const project = settings.find((f) => f.scope === "project")?.path ?? join(cwd, ".claude", "settings.json");
  const local =
    settings.find((f) => f.scope === "local")?.path ?? join(cwd, ".claude", "settings.local.json");
  return [
    { scope: "user", path: user },
    { scope: "project", path: project },
    { scope: "project", path: join(dirname(dirname(project)), ".mcp.json") },
    { scope: "local", path: local },
  ];
}

/** claw's own credentials and config: never expanded into a server from a file that came with the repository. */
const CLAW_OWN_VAR = /^(ANTHROPIC_|CLAUDE_CODE_|CLAW_)|^CLAUDE_CONFIG_(HOME|DIR)$/;

export function loadMcpConfig(options: LoadMcpConfigOptions): LoadedMcpConfig {
  const env = options.env ?? process.env;
  // A cloned .mcp.json could otherwise send ${ANTHROPIC_API_KEY} to its own URL, header or argv.
  const repoEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !CLAW_OWN_VAR.test(key)));
  const warnings: string[] = [];
  const byName = new Map<string, McpServerEntry>();
  const add = (raw: unknown, scope: McpScope, source: string, skip: string[] = []): void => {
    if (raw === undefined) return;
    if (!isRecord(raw)) {
      warnings.push(`${source}: "mcpServers" is not an object; ignored.`);
      return;
    }
    for (const [name, value] of Object.entries(raw)) {
      if (skip.includes(name)) continue;
      const scopeEnv = scope === "project" || scope === "local" ? repoEnv : env;
      byName.set(name, { name, scope, source, ...parseServerConfig(name, value, scopeEnv) });
    }
  };

  if (!options.strict) {
    const chosen = options.settingSources;
    const files = mcpConfigFiles(options.cwd, options.configHome)
      .filter((file) => !chosen || chosen.includes(file.scope as SettingSource))
      .map((file) => ({
        ...file,
        // A broken settings file is already reported by the settings loader: warn here for .mcp.json only.
        json: readJsonFile(file.path, file.path.endsWith(".mcp.json") ? warnings : []),
      }));
    // Settings `disabledMcpjsonServers` (any scope) switches off project .mcp.json servers by name.
    const disabled = new Set(options.disabledProjectServers ?? []);
    for (const file of files) {
      const list = file.path.endsWith(".mcp.json") ? undefined : file.json?.disabledMcpjsonServers;
      if (Array.isArray(list)) for (const name of list) if (typeof name === "string") disabled.add(name);
    }
    for (const file of files) {
      if (file.json === undefined) continue;
      const skip = file.path.endsWith(".mcp.json") ? [...disabled] : [];
      add(file.json.mcpServers, file.scope, file.path, skip);
    }
    add(options.extraServers, "settings", "--settings");
    if (options.flagSettings) {
      const parsed = parseMcpConfigArg(options.flagSettings, options.cwd);
      // A broken --settings value is reported by the settings loader; here it only means no servers.
      if (!("error" in parsed)) add(parsed.servers, "flag", parsed.source);
    }
  }
  for (const value of options.mcpConfig ?? []) {
    const parsed = parseMcpConfigArg(value, options.cwd);
    if ("error" in parsed) {
      warnings.push(parsed.error);
      continue;
    }
    add(parsed.servers, "flag", parsed.source);
  }
  return { servers: [...byName.values()], warnings };
}

/** A --mcp-config value: inline JSON when it starts with "{", otherwise a file path. */
function parseMcpConfigArg(
  value: string,
  cwd: string,
): { servers: unknown; source: string } | { error: string } {
  const trimmed = value.trim();
  const inline = trimmed.startsWith("{");
  const source = inline ? "--mcp-config" : resolve(cwd, trimmed);
  let text = trimmed;
  if (!inline) {
    try {
      text = readFileSync(source, "utf8");
    } catch {
      return { error: `--mcp-config: cannot read ${source}; pass a JSON file or inline JSON.` };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `--mcp-config: ${source} is not valid JSON (${errorText(error)}).` };
  }
  if (!isRecord(json)) return { error: `--mcp-config: ${source} must be a JSON object with "mcpServers".` };
  return { servers: json.mcpServers ?? {}, source };
}

/** Validates one server entry and expands variables; never throws. */
export function parseServerConfig(
  name: string,
  value: unknown,
  env: NodeJS.ProcessEnv = process.env,
): { config?: McpServerConfig; error?: string } {
  if (!isRecord(value)) return { error: "the entry is not an object" };
  const missing = new Set<string>();
  const x = (s: string): string => expandVars(s, env, missing);
  const rawType = typeof value.type === "string" ? value.type : undefined;
  let type: McpTransportType;
  if (rawType === undefined)
    type = typeof value.url === "string" && value.command === undefined ? "http" : "stdio";
  else if (rawType === "stdio" || rawType === "http" || rawType === "sse") type = rawType;
  else if (rawType === "streamable-http" || rawType === "streamableHttp") type = "http";
  else return { error: `unknown transport type "${rawType}" (use stdio, http or sse)` };

  let config: McpServerConfig;
  if (type === "stdio") {
    if (typeof value.command !== "string" || value.command.trim() === "")
      return { error: 'a stdio server needs a "command"' };
    const args = Array.isArray(value.args) ? value.args : [];
    if (!args.every((a): a is string => typeof a === "string")) return { error: '"args" must be strings' };
    const envMap = stringMap(value.env);
    if (envMap === undefined) return { error: '"env" must map names to strings' };
    config = {
      type,
      command: x(value.command),
      args: args.map(x),
      env: Object.fromEntries(Object.entries(envMap).map(([k, v]) => [k, x(v)])),
    };
    if (typeof value.cwd === "string") config.cwd = x(value.cwd);
  } else {
    if (typeof value.url !== "string" || value.url.trim() === "")
      return { error: `a ${type} server needs a "url"` };
    const headers = stringMap(value.headers);
    if (headers === undefined) return { error: '"headers" must map names to strings' };
    const url = x(value.url);
    try {
      new URL(url);
    } catch {
      if (missing.size === 0) return { error: `"${url}" is not a valid URL` };
    }
    config = { type, url, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, x(v)])) };
  }
  if (missing.size > 0) {
    const names = [...missing].join(", ");
    return {
      error: `missing environment variable${missing.size > 1 ? "s" : ""} ${names} (server "${name}")`,
    };
  }
  return { config };
}

/** Expands ${VAR} and ${VAR:-default}; unset variables without a default are collected in `missing`. */
export function expandVars(text: string, env: NodeJS.ProcessEnv, missing?: Set<string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (whole, name: string, fallback?: string) => {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
      if (fallback !== undefined) return fallback;
      if (value !== undefined) return value;
      missing?.add(name);
      return whole;
    },
  );
}

function readJsonFile(path: string, warnings: string[]): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    warnings.push(`${path}: cannot read (${errorText(error)}).`);
    return undefined;
  }
  if (text.trim() === "") return undefined;
  try {
    const json: unknown = JSON.parse(text);
    if (isRecord(json)) return json;
    warnings.push(`${path}: not a JSON object; its MCP servers are ignored.`);
  } catch (error) {
    warnings.push(`${path}: invalid JSON (${errorText(error)}); its MCP servers are ignored.`);
  }
  return undefined;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else return undefined;
  }
  return out;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
