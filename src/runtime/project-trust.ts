// What a project folder would run on its own (hooks in its settings files, its MCP servers), so that an
// untrusted folder can leave exactly those out and the trust question can name them.
import type { LoadedSettings } from "../config/settings.js";
import type { Settings } from "../config/settings-schema.js";
import { type LoadedMcpConfig, loadMcpConfig, type McpServerEntry } from "../mcp/config.js";
import type { CliOptions } from "./options.js";

export interface ProjectHook {
  event: string;
  command: string;
  /** The settings file that defines it. */
  source: string;
}

export interface ProjectCode {
  /** Hooks from the project's .claude/settings.json and .claude/settings.local.json. */
  hooks: ProjectHook[];
  /** Project/local MCP servers that are not approved in the user's own settings. */
  servers: McpServerEntry[];
}

/** Hook commands whose group came from a project or local settings file (found through `sources`). */
function projectHooks(loaded: LoadedSettings): ProjectHook[] {
  const s = loaded.settings;
  if (s.disableAllHooks || !s.hooks) return [];
  const repoFiles = new Set(
    loaded.files.filter((f) => f.scope === "project" || f.scope === "local").map((f) => f.path),
  );
  const out: ProjectHook[] = [];
  for (const [event, groups] of Object.entries(s.hooks)) {
    groups.forEach((group, index) => {
      const source = loaded.sources[`hooks.${event}[${index}]`];
      if (source === undefined || !repoFiles.has(source)) return;
      for (const hook of group.hooks ?? []) out.push({ event, command: hook.command, source });
    });
  }
  return out;
}

/**
 * Whether the user's own settings approve a project .mcp.json server (Claude Code's enableAllProjectMcpServers
 * and enabledMcpjsonServers). Only the user's settings count: a repository cannot approve its own servers.
 */
function approvedByUser(entry: McpServerEntry, userSettings: Settings | undefined): boolean {
  if (!entry.source.endsWith(".mcp.json") || !userSettings) return false;
  if (userSettings.enableAllProjectMcpServers === true) return true;
  return (userSettings.enabledMcpjsonServers ?? []).includes(entry.name);
}

/** The MCP servers an untrusted folder must not start: project/local scope, unless the user approved them. */
function untrustedServers(servers: McpServerEntry[], loaded: LoadedSettings): McpServerEntry[] {
  return servers.filter(
    (entry) =>
      (entry.scope === "project" || entry.scope === "local") &&
      !approvedByUser(entry, loaded.userOnly?.settings),
  );
}

export interface ProjectCodeOptions {
  cwd: string;
  configHome: string;
  settings: LoadedSettings;
  /** --mcp-config / --strict-mcp-config / --settings, as given (they only add user-chosen servers). */
  mcpConfig?: string[];
  strict?: boolean;
  flagSettings?: string;
  env?: NodeJS.ProcessEnv;
  /** --setting-sources: files outside it define no servers. */
  settingSources?: CliOptions["settingSources"];
}

/** A run's ProjectCodeOptions: where it runs, plus the MCP and settings flags it was given. */
export function projectCodeOptions(
  flags: Pick<CliOptions, "mcpConfig" | "strictMcpConfig" | "settings" | "settingSources">,
  where: { cwd: string; configHome: string; settings: LoadedSettings; env: NodeJS.ProcessEnv },
): ProjectCodeOptions {
  return {
    ...where,
    mcpConfig: flags.mcpConfig,
    strict: flags.strictMcpConfig,
    flagSettings: flags.settings,
    settingSources: flags.settingSources,
  };
}

/** Reads the MCP configuration once; both the filter and the question use it. */
export function loadProjectMcp(options: ProjectCodeOptions): LoadedMcpConfig {
  return loadMcpConfig({
    cwd: options.cwd,
    configHome: options.configHome,
    mcpConfig: options.mcpConfig,
    strict: options.strict,
    flagSettings: options.flagSettings,
    env: options.env,
    settingSources: options.settingSources,
  });
}

export function findProjectCode(options: ProjectCodeOptions, mcp = loadProjectMcp(options)): ProjectCode {
  return { hooks: projectHooks(options.settings), servers: untrustedServers(mcp.servers, options.settings) };
}

export function hasProjectCode(code: ProjectCode): boolean {
  return code.hooks.length > 0 || code.servers.length > 0;
}

/** How a server would be started, for the trust question: the command line, or the URL it connects to. */
export function describeServer(entry: McpServerEntry): string {
  const config = entry.config;
  if (!config) return `${entry.name} (not usable: ${entry.error ?? "invalid"})`;
  if (config.type === "stdio") return `${entry.name}: ${[config.command, ...config.args].join(" ")}`;
  if (config.type === "sdk") return `${entry.name}: served by the embedding application`;
  return `${entry.name}: ${config.url}`;
}

/**
 * The one notice an untrusted folder gets: what was left out and how to allow it. `distrust` says why a
 * scripted run (-p) left them out; the REPL's folders are allowed with /trust.
 */
export function skippedNotice(code: ProjectCode, distrust?: string, loosening: string[] = []): string {
  const parts: string[] = [];
  const events = [...new Set(code.hooks.map((h) => h.event))];
  if (events.length > 0) parts.push(`hooks (${events.join(", ")})`);
  if (code.servers.length > 0) parts.push(`MCP servers (${code.servers.map((s) => s.name).join(", ")})`);
  if (!distrust)
    return `claw: this folder is not trusted, so its own ${parts.join(" and ")} did not run; type /trust, or restart claw and answer y, to allow them.`;
  const left = [
    ...(parts.length > 0 ? [`its own ${parts.join(" and ")} did not run`] : []),
    ...(loosening.length > 0 ? [`its permissions (${loosening.join(", ")}) were ignored`] : []),
  ];
  return `claw: ${distrust} and this folder is not trusted, so ${left.join(" and ")}; trust it in the REPL to allow them.`;
}
