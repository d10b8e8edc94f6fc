// Assembles a runtime from the command line: settings, auth, provider, tools, permission gate, system prompt,
// session and the agent. Shared by print mode and the REPL so both behave the same.
import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Agent } from "../agent/agent.js";
import { createAskModel } from "../agent/ask-model.js";
import { createCompactor } from "../agent/compaction.js";
import type { AgentEvent } from "../agent/events.js";
import { createHookRunner } from "../agent/hooks.js";
import type { AskPermission, PermissionMode } from "../agent/permission-types.js";
import { type ClawPermissionGate, createPermissionGate, parsePermissionMode } from "../agent/permissions.js";
import { createSessionRecorder } from "../agent/session-recorder.js";
import { createAnthropicProvider } from "../api/anthropic-provider.js";
import type { AuthSource } from "../api/auth-source.js";
import { contextWindow, maxOutputTokens, resolveModel, smallFastModel } from "../api/models.js";
import { costFor } from "../api/pricing.js";
import { resolveStartupAuth } from "../api/startup-auth.js";
import type { Usage } from "../api/types.js";
import { type InstructionFile, loadInstructionFiles } from "../config/instructions.js";
import { type LoadedSettings, loadSettings, reportSettingsWarnings } from "../config/settings.js";
import { buildSystemPrompt } from "../config/system-prompt.js";
import type { McpServerEntry } from "../mcp/config.js";
import type { McpManager } from "../mcp/manager.js";
import { FileCheckpoints } from "../session/checkpoints/file-checkpoints.js";
import { openSessionForRun } from "../session/open-session.js";
import type { SessionRecord } from "../session/session-records.js";
import type { SessionStore } from "../session/session-store.js";
import { killAllBackgroundShells } from "../tools/background-shells.js";
import { builtinTools } from "../tools/registry.js";
import { createToolSessionState } from "../tools/session-state.js";
import { todosFromHistory } from "../tools/todo-write.js";
import type { Tool } from "../tools/types.js";
import { createWorkspaceGuard } from "../tools/workspace.js";
import { configHome } from "../util/config-home.js";
import { privateScratchDir } from "../util/private-dir.js";
import { oauthConfigFromSettings } from "./oauth-settings.js";
import type { CliOptions } from "./options.js";
import {
  findProjectCode,
  hasProjectCode,
  loadProjectMcp,
  projectCodeOptions,
  skippedNotice,
} from "./project-trust.js";

/** A startup problem the user can fix (bad flag value, missing session): printed as one line, exit 1. */
export class RuntimeError extends Error {}

export type SessionEndReason = "clear" | "logout" | "prompt_input_exit" | "other";

export interface Runtime {
  agent: Agent;
  sessionId: string;
  sessionPath: string;
  cwd: string;
  configHome: string;
  permissionMode: PermissionMode;
  gate: ClawPermissionGate;
  settings: LoadedSettings;
  instructions: InstructionFile[];
  auth: AuthSource;
  /** Which credential is in use, named as Claude Code's init line names it. */
  apiKeySource: string;
  readonly mcp: McpManager | undefined;
  /** True while MCP servers started in the background are still connecting. */
  mcpStarting(): boolean;
  /** Usage recorded in the session before this run (a resumed session), per model. */
  previousUsage: Record<string, Usage>;
  /** The one-line result summaries of a resumed session's tool calls, by tool_use_id (for the REPL's replay). */
  previousToolDisplays: Record<string, string>;
  mcpServers(): Array<{ name: string; status: string }>;
  /** The session's file checkpoints (/rewind, `claw rewind`, rewind_files); undefined when the session is not saved. */
  checkpoints: FileCheckpoints | undefined;
  /** Appends the event's record to the session file (flushed before returning). */
  record(event: AgentEvent): void;
  /** Appends a record no agent event produces (model or permission-mode changes made in the REPL). */
  appendRecord(record: SessionRecord): void;
  /** Flushes and stops everything; `reason` is what SessionEnd hooks are told. */
  close(reason?: SessionEndReason): Promise<void>;
}

export interface RuntimeExtras {
  askPermission?: AskPermission;
  /** What SessionStart hooks are told (default: "resume" for -c/-r, else "startup"); the REPL's /clear says "clear". */
  sessionStartSource?: "startup" | "resume" | "clear" | "compact";
  /** Do not wait for MCP servers: their tools join the agent when they have connected (the REPL). */
  mcpInBackground?: boolean;
  /** One-line warnings for the user; default stderr. */
  warn?: (message: string) => void;
  /**
   * Whether the user trusts this project folder to run its own hooks and MCP servers. false (the REPL in an
   * untrusted folder): only the user's own hooks and servers run. undefined (print mode, scripted) = trusted.
   */
  projectTrusted?: boolean;
}

export async function createRuntime(options: CliOptions, extras: RuntimeExtras): Promise<Runtime> {
  const env = process.env;
  const cwd = process.cwd();
  const home = configHome(env);
  const warn = extras.warn ?? ((message: string) => process.stderr.write(`${message}\n`));

  const settings = loadSettings({ cwd, configHome: home, flagSettings: options.settings, env });
  reportSettingsWarnings(settings.warnings, (line) => warn(line.trimEnd()));
  const s = settings.settings;
  // An untrusted folder keeps everything it defines except what would run its own commands.
  const trusted = extras.projectTrusted !== false;
  const userOnly = settings.userOnly?.settings ?? {};

  // What loosens permissions (mode, allow rules, extra directories) counts only from a trusted folder;
  // deny and ask rules only tighten, so the project's always apply.
  const loosening = trusted ? s.permissions : userOnly.permissions;
  const modeText =
    options.permissionMode ?? env.CLAW_PERMISSION_MODE ?? loosening?.defaultMode ?? "workspace-write";
  const mode = parsePermissionMode(modeText);
  if (!mode.ok) throw new RuntimeError(mode.error);

  const model = resolveModel({ flag: options.model, env, settingsModel: s.model });
  // Credentials and the session come first: when either fails, nothing has been started that must be stopped.
  const auth = await resolveStartupAuth({
    env,
    configHome: home,
    cwd,
    onWarning: warn,
    // Read only when a saved token needs refreshing, from the same merged settings as everything else.
    // The user's own settings only: a cloned project's `oauth` block must not receive the refresh token.
    oauthConfig: async () => oauthConfigFromSettings(settings, home, { userOnly: true }),
    loginConfigured: Object.keys(s.oauth ?? {}).length > 0,
  });

  const session = openSessionForRun({
    configHome: home,
    cwd,
    model,
    clawVersion: options.version,
    continue: options.continue,
    resume: options.resume,
    sessionId: options.sessionId,
    cleanupPeriodDays: s.cleanupPeriodDays,
    onWarning: warn,
  });
  if (!session.ok) throw new RuntimeError(session.message);
  const store: SessionStore = session.store;
  // MCP servers start now and connect while the prompt is prepared.
  const mcpConfig = loadProjectMcp(projectCodeOptions(options, { cwd, configHome: home, settings, env }));
  for (const warning of mcpConfig.warnings) warn(`claw: ${warning}`);
  const skipped = trusted ? undefined : findProjectCode({ cwd, configHome: home, settings }, mcpConfig);
  if (skipped && hasProjectCode(skipped)) warn(skippedNotice(skipped));
  const skippedServers = new Set(skipped?.servers.map((entry) => entry.name));
  const servers = mcpConfig.servers.filter((entry) => !skippedServers.has(entry.name));
  // Closing the runtime (exit, /clear) while servers still connect gives up on them instead of waiting.
  const mcpStartup = new AbortController();
  const mcpPromise = startMcp(options, cwd, home, servers, warn, mcpStartup.signal).catch(
    (error: unknown) => {
      warn(`claw: MCP servers could not start: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    },
  );

  for (const dir of options.addDir) {
    if (!isDirectory(resolve(cwd, dir))) warn(`claw: --add-dir ${dir} is not a directory; it adds nothing`);
  }
  const workspace = createWorkspaceGuard(cwd, [
    ...options.addDir,
    ...(loosening?.additionalDirectories ?? []),
  ]);
  const scratchDir = privateScratchDir(store.id);
  // Checkpoint records live in the session file: an unsaved session has nothing to rewind from.
  const checkpoints = store.persistent
    ? new FileCheckpoints({
        configHome: home,
        cwd,
        sessionId: store.id,
        sessionPath: store.path,
        sink: store,
        warn,
      })
    : undefined;
  const gate = createPermissionGate({
    mode: mode.mode,
    rules: {
      // Truncation notices send the model to full outputs saved in the scratch dir: reading them needs no ask.
      allow: [...(loosening?.allow ?? []), ...options.allowedTools, `Read(/${realpathSync(scratchDir)}/**)`],
      ask: s.permissions?.ask ?? [],
      deny: [...(s.permissions?.deny ?? []), ...options.disallowedTools],
    },
    workspace,
    cwd,
  });
  for (const warning of gate.warnings) warn(`claw: ${warning}`);

  const provider = createAnthropicProvider({ auth, env });
  // A tool refused outright by a deny rule is not offered at all (as in Claude Code), so the model never tries it.
  const offered = (tool: Tool) => !gate.isToolDenied(tool.name);
  const builtins = builtinTools().filter(offered);
  const instructions = loadInstructionFiles({ cwd, configHome: home });
  const system = await buildSystemPrompt({
    cwd,
    model,
    instructions,
    appendSystemPrompt: options.appendSystemPrompt,
    systemPromptOverride: options.systemPrompt,
    toolNames: builtins.map((t) => t.name),
  });
  // Print mode waits for the servers (the first request needs their tools); the REPL shows its prompt at once
  // and adds their tools when they are ready.
  let mcp = extras.mcpInBackground ? undefined : await mcpPromise;
  const tools = [...builtins, ...(mcp?.tools ?? []).filter(offered)];

  // Hooks from settings (Claude Code's format); SessionStart output becomes context for the model.
  const hooks = s.disableAllHooks
    ? undefined
    : createHookRunner({
        // Untrusted: the user's own hooks (and --settings), with the user's own env, not the project's.
        hooks: trusted ? s.hooks : userOnly.hooks,
        cwd,
        sessionId: store.id,
        transcriptPath: store.path,
        env: (trusted ? s.env : userOnly.env) ?? {},
      });
  if (hooks?.configured) {
    const started = await hooks.sessionStart(
      extras.sessionStartSource ?? (options.continue || options.resume ? "resume" : "startup"),
    );
    if (started.additionalContext) system.push(started.additionalContext);
  }

  const limits = (m: string) => ({
    contextWindow: contextWindow(m),
    maxOutputTokens: maxOutputTokens(m, env),
  });

  let agent: Agent;
  const compactor = createCompactor({
    provider,
    // The current model, not the startup one: /model in the REPL changes the window and the summariser.
    model: () => agent.model,
    contextWindow,
    enabled: s.autoCompact !== false,
    onUsage: (m, usage) => {
      agent.usage.add(m, usage);
      store.append({ type: "usage", model: m, usage, purpose: "compaction" });
    },
  });
  agent = new Agent(
    {
      provider,
      model,
      system,
      tools,
      gate,
      toolContext: {
        cwd,
        workspace,
        env: s.env ?? {},
        scratchDir,
        session: { ...createToolSessionState(), todos: todosFromHistory(session.history) },
        isReadDenied: (path) => gate.isReadDenied(path),
        askModel: createAskModel({
          provider,
          model: smallFastModel(env),
          onUsage: (m, usage) => {
            agent.usage.add(m, usage);
            store.append({ type: "usage", model: m, usage, purpose: "web_fetch" });
          },
        }),
      },
      costFor,
      limits,
      askPermission: extras.askPermission,
      compactor,
      maxTurns: options.maxTurns,
      hooks: hooks?.configured ? hooks : undefined,
      checkpoints,
    },
    session.history,
  );
  agent.lastInputTokens = session.lastInputTokens;

  let mcpSettled = !extras.mcpInBackground;
  if (extras.mcpInBackground) {
    void mcpPromise.then((started) => {
      mcpSettled = true;
      mcp = started;
      if (started) agent.addTools(started.tools.filter(offered));
    });
  }

  const record = createSessionRecorder(store);
  return {
    agent,
    sessionId: store.id,
    sessionPath: store.path,
    cwd,
    configHome: home,
    permissionMode: mode.mode,
    gate,
    settings,
    instructions,
    auth,
    apiKeySource: apiKeySourceName(auth),
    get mcp() {
      return mcp;
    },
    mcpStarting: () => !mcpSettled,
    previousUsage: session.usageByModel,
    previousToolDisplays: session.resumed?.toolDisplays ?? {},
    mcpServers: () => mcp?.initServers() ?? [],
    checkpoints,
    record,
    appendRecord: (r) => store.append(r),
    async close(reason = "other") {
      if (hooks?.configured) await hooks.sessionEnd(reason);
      killAllBackgroundShells();
      store.close();
      mcpStartup.abort();
      await (await mcpPromise)?.close();
    },
  };
}

function apiKeySourceName(auth: AuthSource): string {
  if (auth.origins.includes("ANTHROPIC_API_KEY")) return "ANTHROPIC_API_KEY";
  if (auth.origins.includes("ANTHROPIC_AUTH_TOKEN")) return "ANTHROPIC_AUTH_TOKEN";
  return "claw login";
}

async function startMcp(
  options: CliOptions,
  cwd: string,
  home: string,
  servers: McpServerEntry[],
  warn: (message: string) => void,
  signal: AbortSignal,
): Promise<McpManager | undefined> {
  const { startMcpServers } = await import("../mcp/manager.js");
  const manager = await startMcpServers({
    cwd,
    configHome: home,
    servers,
    clientVersion: options.version,
    onNotice: warn,
    signal,
  });
  if (!signal.aborted) for (const warning of manager.warnings) warn(`claw: ${warning}`);
  return manager;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
