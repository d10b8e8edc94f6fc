import { Agent } from "../agent/agent.js";
import { createAskModel } from "../agent/ask-model.js";
import { createCompactor } from "../agent/compaction.js";
import type { StructuredOutputConfig } from "../agent/final-reply.js";
import type { HookLifecycleEvent } from "../agent/hook-lifecycle.js";
import { createHookRunner, type HookRunner } from "../agent/hooks.js";
import type { AuthSource } from "../api/auth-source.js";
import { withFallbackModel } from "../api/fallback-provider.js";
import { contextWindow, maxOutputTokens, resolveModel } from "../api/models.js";
import type { ProviderRouter } from "../api/provider-selection.js";
import { resolveStartupAuth } from "../api/startup-auth.js";
import type { Message, Usage } from "../api/types.js";
import { importDecider } from "../config/import-approvals.js";
import { type InstructionFile, loadInstructionFiles } from "../config/instructions.js";
import { type LoadedSettings, loadSettings, reportSettingsWarnings } from "../config/settings.js";
import type { Settings } from "../config/settings-schema.js";
import { buildSystemPrompt } from "../config/system-prompt.js";
import type { McpServerEntry } from "../mcp/config.js";
import type { McpManager } from "../mcp/manager.js";
import type { AskPermission, PermissionMode } from "../policy/permission-types.js";
import { type ClawPermissionGate, parsePermissionMode } from "../policy/permissions.js";
import { FileCheckpoints } from "../session/checkpoints/file-checkpoints.js";
import { openSessionForRun } from "../session/open-session.js";
import type { SessionStore } from "../session/session-store.js";
import { createToolSessionState } from "../tools/session-state.js";
import { todosFromHistory } from "../tools/todo-history.js";
import type { ShellSandbox, Tool, ToolContext, WorkspaceGuard } from "../tools/types.js";

/** What an editor lends the tools (ACP): its buffers for Read and Edit, its saves for Write and Edit, its terminals for Bash. */
export type EditorAccess = Pick<ToolContext, "editorText" | "editorWrite" | "editorTerminal">;

import { configHome } from "../util/config-home.js";
import { privateScratchDir } from "../util/private-dir.js";
import type { RuntimeDelegation } from "./delegation-setup.js";
import { oauthConfigFromSettings } from "./oauth-settings.js";
import type { CliOptions } from "./options.js";
import { announceProjectTrust, scriptedDistrust } from "./print-trust.js";
import { findProjectCode, loadProjectMcp, projectCodeOptions } from "./project-trust.js";

/** A startup problem the user can fix (bad flag value, missing session): printed as one line, exit 1. */
export class RuntimeError extends Error {}

type Warn = (message: string) => void;

/** Where and for whom the runtime runs; fixed for its lifetime. */
export interface RunPlace {
  cwd: string;
  configHome: string;
  env: NodeJS.ProcessEnv;
  warn: Warn;
}

export function runPlace(warn: Warn | undefined, cwd?: string): RunPlace {
  const env = process.env;
  return {
    cwd: cwd ?? process.cwd(),
    configHome: configHome(env),
    env,
    warn: warn ?? ((message) => process.stderr.write(`${message}\n`)),
  };
}

/** Settings, split into what applies as a whole and what may loosen permissions or run project code. */
export interface RunSettings {
  loaded: LoadedSettings;
  merged: Settings;
  /** Mode, allow rules and extra directories: only from a trusted folder (deny/ask rules always apply). */
  loosening: Settings["permissions"];
  /** Hooks and their env: the project's only when trusted. */
  hookSource: Pick<Settings, "hooks" | "env">;
  trusted: boolean;
  /**
   * A run without the REPL's trust question (-p, SDK, ACP): when trusted, what the project adds is named on
   * stderr; when not, `distrust` says why (CLAW_UNTRUSTED_PROJECT, trustProjectsInPrintMode).
   */
  scripted?: { distrust?: string };
}

/** The REPL's answer (true/false), or "scripted": decided by scriptedDistrust once the settings are read. */
export type TrustDecision = boolean | "scripted";

export async function readSettings(
  place: RunPlace,
  options: CliOptions,
  decision: TrustDecision,
): Promise<RunSettings> {
  const loaded = await loadSettings({
    cwd: place.cwd,
    configHome: place.configHome,
    flagSettings: options.settings,
    env: place.env,
    settingSources: options.settingSources,
  });
  // A file that cannot be read or parsed may hold deny rules: starting without them would fail open.
  const unusable = loaded.unusable?.[0];
  if (unusable)
    throw new RuntimeError(
      `${unusable.replace(/^claw: /, "").replace(/; skipped it.*$/, "")}: claw does not start without its deny and ask rules; fix or remove the file`,
    );
  reportSettingsWarnings(loaded.warnings, (line) => place.warn(line.trimEnd()));
  const merged = loaded.settings;
  const userOnly = loaded.userOnly?.settings ?? {};
  const distrust = decision === "scripted" ? scriptedDistrust(place, loaded) : undefined;
  const trusted = decision === "scripted" ? distrust === undefined : decision;
  const source = trusted ? merged : userOnly;
  return {
    loaded,
    merged,
    loosening: source.permissions,
    hookSource: { hooks: source.hooks, env: source.env },
    trusted,
    scripted: decision === "scripted" ? { distrust } : undefined,
  };
}

export function chooseMode(place: RunPlace, options: CliOptions, settings: RunSettings): PermissionMode {
  const text =
    options.permissionMode ??
    place.env.CLAW_PERMISSION_MODE ??
    settings.loosening?.defaultMode ??
    "workspace-write";
  const mode = parsePermissionMode(text);
  if (!mode.ok) throw new RuntimeError(mode.error);
  return mode.mode;
}

export function chooseModel(place: RunPlace, options: CliOptions, settings: RunSettings): string {
  return resolveModel({ flag: options.model, env: place.env, settingsModel: settings.merged.model });
}

export async function resolveAuth(place: RunPlace, settings: RunSettings): Promise<AuthSource> {
  return resolveStartupAuth({
    env: place.env,
    configHome: place.configHome,
    cwd: place.cwd,
    onWarning: place.warn,
    // Read only when a saved token needs refreshing. The user's own settings only: a cloned project's
    // `oauth` block must not receive the refresh token.
    oauthConfig: async () => oauthConfigFromSettings(settings.loaded, place.configHome, { userOnly: true }),
    loginConfigured: Object.keys(settings.merged.oauth ?? {}).length > 0,
  });
}

export interface OpenedSession {
  store: SessionStore;
  history: Message[];
  lastInputTokens: number;
  usageByModel: Record<string, Usage>;
  toolDisplays: Record<string, string>;
}

export async function openSession(
  place: RunPlace,
  options: CliOptions,
  settings: RunSettings,
  model: string,
): Promise<OpenedSession> {
  const session = await openSessionForRun({
    configHome: place.configHome,
    cwd: place.cwd,
    model,
    clawVersion: options.version,
    continue: options.continue,
    resume: options.resume,
    sessionId: options.sessionId,
    cleanupPeriodDays: settings.merged.cleanupPeriodDays,
    onWarning: place.warn,
    persist: options.sessionPersistence,
    fork: options.forkSession,
  });
  if (!session.ok) throw new RuntimeError(session.message);
  return {
    store: session.store,
    history: session.history,
    lastInputTokens: session.lastInputTokens,
    usageByModel: session.usageByModel,
    toolDisplays: session.resumed?.toolDisplays ?? {},
  };
}

/** MCP servers start connecting now (in the background); the promise settles with the manager or undefined. */
export interface McpStartup {
  manager: Promise<McpManager | undefined>;
  /** Gives up on servers still connecting (exit or /clear during startup). */
  cancel(): void;
}

export function startMcp(
  place: RunPlace,
  options: CliOptions,
  settings: RunSettings,
  extraServers: McpServerEntry[] = [],
): McpStartup {
  const { cwd, configHome: home, env, warn } = place;
  const config = loadProjectMcp(
    projectCodeOptions(options, { cwd, configHome: home, settings: settings.loaded, env }),
  );
  for (const warning of config.warnings) warn(`claw: ${warning}`);
  // An untrusted folder keeps everything it defines except what would run its own commands.
  const code = findProjectCode({ cwd, configHome: home, settings: settings.loaded }, config);
  const skipped = settings.trusted ? undefined : code;
  announceProjectTrust(place, settings, code);
  const skippedServers = new Set(skipped?.servers.map((entry) => entry.name));
  const servers = [...config.servers.filter((entry) => !skippedServers.has(entry.name)), ...extraServers];
  const abort = new AbortController();
  // No servers: the MCP client code (and the SDK) is not loaded at all.
  if (servers.length === 0) return { manager: Promise.resolve(undefined), cancel: () => abort.abort() };
  const manager = (async () => {
    const { startMcpServers } = await import("../mcp/manager.js");
    const started = await startMcpServers({
      cwd,
      configHome: home,
      servers,
      clientVersion: options.version,
      onNotice: warn,
      signal: abort.signal,
    });
    if (!abort.signal.aborted) for (const warning of started.warnings) warn(`claw: ${warning}`);
    return started;
  })().catch((error: unknown) => {
    warn(`claw: MCP servers could not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  return { manager, cancel: () => abort.abort() };
}

export async function buildPrompt(
  place: RunPlace,
  options: CliOptions,
  model: string,
  tools: Tool[],
  isReadDenied: (path: string) => boolean = () => false,
  /** The user's own settings' "approvedImports" (a project cannot approve imports for itself). */
  approvedImports: readonly string[] = [],
): Promise<{ system: string[]; instructions: InstructionFile[] }> {
  const instructions = loadInstructionFiles({
    cwd: place.cwd,
    configHome: place.configHome,
    isImportDenied: isReadDenied,
    importDecision: importDecider(place, approvedImports),
    onSkippedImport: (path, from, why) =>
      place.warn(`claw: not importing ${path} (named in ${from}): ${why}`),
    settingSources: options.settingSources,
  });
  const system = await buildSystemPrompt({
    cwd: place.cwd,
    model,
    instructions,
    appendSystemPrompt: options.appendSystemPrompt,
    systemPromptOverride: options.systemPrompt,
    toolNames: tools.map((t) => t.name),
  });
  return { system, instructions };
}

/** Hooks from settings (Claude Code's format), or undefined when none are configured or all are disabled. */
export function createHooks(
  place: RunPlace,
  settings: RunSettings,
  store: SessionStore,
  sandbox: ShellSandbox | undefined,
  host?: HostHooks,
  onHookEvent?: (event: HookLifecycleEvent) => void,
): HookRunner | undefined {
  // disableAllHooks switches off the settings' hooks; an embedding host's own callbacks still run.
  if (settings.merged.disableAllHooks && !host) return undefined;
  const hooks = createHookRunner({
    hooks: settings.merged.disableAllHooks ? undefined : settings.hookSource.hooks,
    callbackHooks: host?.hooks,
    callHook: host?.call,
    cwd: place.cwd,
    sessionId: store.id,
    transcriptPath: store.path,
    env: settings.hookSource.env ?? {},
    sandbox,
    onHookEvent,
  });
  return hooks.configured ? hooks : undefined;
}

/** Hooks an embedding host answers itself (the Agent SDK's initialize `hooks`). */
export interface HostHooks {
  hooks: unknown;
  call: (callbackId: string, input: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>;
}

/** The session's file checkpoints; undefined when the session is not saved (nothing to rewind from). */
export function createCheckpoints(place: RunPlace, store: SessionStore): FileCheckpoints | undefined {
  if (!store.persistent) return undefined;
  return new FileCheckpoints({
    configHome: place.configHome,
    cwd: place.cwd,
    sessionId: store.id,
    sessionPath: store.path,
    sink: store,
    warn: place.warn,
  });
}

export interface AgentParts {
  place: RunPlace;
  options: CliOptions;
  settings: RunSettings;
  /** Routes each model to its provider, and prices its usage. */
  provider: ProviderRouter;
  /** The model for side requests (WebFetch summaries). */
  smallFastModel: string;
  model: string;
  /** --fallback-model, resolved: a request the model cannot serve goes there instead. */
  fallbackModel: string | undefined;
  /** --json-schema: the run ends with the StructuredOutput call. */
  structuredOutput: StructuredOutputConfig | undefined;
  system: string[];
  tools: Tool[];
  gate: ClawPermissionGate;
  workspace: WorkspaceGuard;
  scratchDir: string;
  session: OpenedSession;
  hooks: HookRunner | undefined;
  askPermission: AskPermission | undefined;
  checkpoints: FileCheckpoints | undefined;
  /** The OS sandbox for Bash and background shells, when it is on and works here. */
  shellSandbox: ShellSandbox | undefined;
  /** Subagents, skills and web search (delegation-setup.ts). */
  delegation: RuntimeDelegation;
  /** The editor's buffers, writes and terminals, when claw runs inside one (ACP). */
  editor: EditorAccess;
}

export function createAgent(parts: AgentParts): Agent {
  const { place, settings, provider, session, gate } = parts;
  const store = session.store;
  let agent: Agent;
  const mainProvider = withFallbackModel(provider, parts.fallbackModel);
  const compactor = createCompactor({
    provider,
    // The current model, not the startup one: /model changes the window and the summariser.
    model: () => agent.model,
    contextWindow,
    enabled: settings.merged.autoCompact !== false,
    onUsage: (m, usage) => {
      agent.usage.add(m, usage);
      store.append({ type: "usage", model: m, usage, purpose: "compaction" });
    },
  });
  agent = new Agent(
    {
      provider: mainProvider,
      model: parts.model,
      system: parts.system,
      tools: parts.tools,
      gate: parts.delegation.gate,
      toolContext: {
        ...parts.delegation.toolContextExtras,
        cwd: place.cwd,
        workspace: parts.workspace,
        env: settings.merged.env ?? {},
        scratchDir: parts.scratchDir,
        session: { ...createToolSessionState(), todos: todosFromHistory(session.history) },
        isReadDenied: (path) => gate.isReadDenied(path),
        ...(parts.shellSandbox ? { shellSandbox: parts.shellSandbox } : {}),
        ...parts.editor,
        askModel: createAskModel({
          provider,
          model: parts.smallFastModel,
          onUsage: (m, usage) => {
            agent.usage.add(m, usage);
            store.append({ type: "usage", model: m, usage, purpose: "web_fetch" });
          },
        }),
      },
      costFor: (m, usage) => provider.costFor(m, usage),
      limits: (m) => ({ contextWindow: contextWindow(m), maxOutputTokens: maxOutputTokens(m, place.env) }),
      askPermission: parts.askPermission,
      compactor,
      maxTurns: parts.options.maxTurns,
      maxBudgetUsd: parts.options.maxBudgetUsd,
      hooks: parts.hooks,
      checkpoints: parts.checkpoints,
      onRunStart: () => {
        parts.delegation.onRunStart();
        mainProvider.startPrompt();
      },
      structuredOutput: parts.structuredOutput,
    },
    session.history,
  );
  agent.lastInputTokens = session.lastInputTokens;
  return agent;
}

export function scratchDirFor(store: SessionStore): string {
  return privateScratchDir(store.id);
}

export function apiKeySourceName(auth: AuthSource): string {
  if (auth.origins.includes("ANTHROPIC_API_KEY")) return "ANTHROPIC_API_KEY";
  if (auth.origins.includes("ANTHROPIC_AUTH_TOKEN")) return "ANTHROPIC_AUTH_TOKEN";
  return "claw login";
}
