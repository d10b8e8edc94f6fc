// A runtime is one conversation ready to run: the agent with its tools, gate, hooks and session, plus what
// front ends show about it. The CLI's print mode, the REPL, the Agent SDK protocol and ACP all build it here.
import type { Agent } from "../agent/agent.js";
import type { AgentEvent } from "../agent/events.js";
import type { HookLifecycleEvent } from "../agent/hook-lifecycle.js";
import { createSessionRecorder } from "../agent/session-recorder.js";
import type { AuthSource } from "../api/auth-source.js";
import type { Usage } from "../api/types.js";
import type { InstructionFile } from "../config/instructions.js";
import type { LoadedSettings } from "../config/settings.js";
import type { McpServerEntry } from "../mcp/config.js";
import type { McpManager } from "../mcp/manager.js";
import type { AskPermission, PermissionMode } from "../policy/permission-types.js";
import type { ClawPermissionGate } from "../policy/permissions.js";
import type { FileCheckpoints } from "../session/checkpoints/file-checkpoints.js";
import type { SessionRecord } from "../session/session-records.js";
import { killAllBackgroundShells } from "../tools/shell-cleanup.js";
import {
  buildPrompt,
  chooseMode,
  chooseModel,
  createAgent,
  createCheckpoints,
  createHooks,
  type EditorAccess,
  type HostHooks,
  openSession,
  readSettings,
  runPlace,
  scratchDirFor,
  startMcp,
} from "./assembly.js";
import { type ConversationControls, conversationControls } from "./conversation-controls.js";
import { type RuntimeDelegation, setupDelegation } from "./delegation-setup.js";
import { chooseFallbackModel, chooseMainAgent, setupStructuredOutput } from "./embedding-setup.js";
import { buildGate, buildWorkspace, gateRules, offeredBuiltins } from "./gate-setup.js";
import type { CliOptions } from "./options.js";
import { setupProviders } from "./provider-setup.js";
import { type SandboxSetup, setupSandbox } from "./sandbox-setup.js";

export { RuntimeError } from "./assembly.js";

export type SessionEndReason = "clear" | "logout" | "prompt_input_exit" | "other";

export interface Runtime extends ConversationControls {
  agent: Agent;
  sessionId: string;
  sessionPath: string;
  cwd: string;
  configHome: string;
  /** The mode the runtime started in (the gate's `mode` is the current one). */
  permissionMode: PermissionMode;
  gate: ClawPermissionGate;
  /** The OS sandbox for commands (settings `sandbox`): its state, for `/sandbox`. */
  sandbox: SandboxSetup;
  settings: LoadedSettings;
  instructions: InstructionFile[];
  /** The Anthropic API's credentials; undefined while no request has needed them (Bedrock, Vertex, OpenAI). */
  readonly auth: AuthSource | undefined;
  /** Which credential is in use, named as Claude Code's init line names it ("none" for other providers). */
  readonly apiKeySource: string;
  /** One line on the current model's provider: region/project/endpoint and where its credentials come from. */
  describeProvider(): Promise<string>;
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
  /** Subagents and skills of this session (the init line, /agents, /skills, `/<skill>` prompts). */
  delegation: RuntimeDelegation;
  /** Appends the event's record to the session file (flushed before returning). */
  record(event: AgentEvent): void;
  /** Appends a record no agent event produces. */
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
   * untrusted folder): only the user's own hooks and servers run. undefined (print mode, scripted): see print-trust.ts.
   */
  projectTrusted?: boolean;
  /** Hooks an embedding host answers itself (the Agent SDK's initialize `hooks`), beside the settings' hooks. */
  hostHooks?: HostHooks;
  /** Told when each hook starts and finishes (stream-json --include-hook-events). */
  onHookEvent?: (event: HookLifecycleEvent) => void;
  /** MCP servers an embedding host adds: its in-process ones (Agent SDK) or the editor's (ACP session/new). */
  extraMcpServers?: McpServerEntry[];
  /** The working directory (default: the process's); an ACP session names its own. */
  cwd?: string;
  /** The text an editor holds for a file, unsaved changes included; Read shows it instead of the disk's. */
  editorText?: (absolutePath: string) => Promise<string | undefined>;
  /** The editor saves files for Write and Edit (its buffers stay in step); false when it refused one. */
  editorWrite?: (absolutePath: string, text: string) => Promise<boolean>;
  /** The editor runs foreground Bash commands in its terminals. */
  editorTerminal?: EditorAccess["editorTerminal"];
}

export async function createRuntime(given: CliOptions, extras: RuntimeExtras): Promise<Runtime> {
  const place = runPlace(extras.warn, extras.cwd);
  // --agent: the main conversation runs as that agent (its prompt, model and tools).
  const { options, narrowTools } = await chooseMainAgent(place, given);
  const settings = await readSettings(place, options, extras.projectTrusted ?? "scripted");
  const mode = chooseMode(place, options, settings);
  const model = chooseModel(place, options, settings);
  const fallbackModel = chooseFallbackModel(options, model);
  // Credentials and the session come first: when either fails, nothing has been started that must be stopped.
  const providers = await setupProviders(place, settings, model);
  const session = await openSession(place, options, settings, model);
  const store = session.store;
  // MCP servers connect while the rest is prepared.
  const mcpStartup = startMcp(place, options, settings, extras.extraMcpServers);
  const workspace = buildWorkspace(place, options, settings);
  const scratchDir = scratchDirFor(store);
  const checkpoints = createCheckpoints(place, store);
  const rules = gateRules(options, settings, scratchDir);
  let gate: ClawPermissionGate | undefined;
  // The sandbox follows the gate's current mode and Read deny rules; the gate asks it where Bash runs.
  const sandbox = await setupSandbox(place, settings, {
    rules,
    workspace,
    scratchDir,
    gate: () => gate,
    mode,
  });
  gate = buildGate(place, rules, mode, workspace, sandbox.gate, settings.merged.env ?? {});
  const builtins = narrowTools(offeredBuiltins(place, options, gate));
  const { system, instructions } = await buildPrompt(
    place,
    options,
    model,
    builtins,
    (path) => gate.isReadDenied(path),
    settings.loaded.userOnly?.settings.approvedImports,
  );
  // Print mode waits for the servers (the first request needs their tools); the REPL shows its prompt at once
  // and adds their tools when they are ready.
  let mcp = extras.mcpInBackground ? undefined : await mcpStartup.manager;
  const offered = (tool: { name: string }) => !gate.isToolDenied(tool.name);
  const hooks = createHooks(place, settings, store, sandbox.shell, extras.hostHooks, extras.onHookEvent);
  let agent: Agent | undefined;
  const delegation = await setupDelegation(place, options, {
    provider: providers.router,
    gate,
    workspace,
    hooks,
    askPermission: extras.askPermission,
    store,
    model,
    agent: () => {
      if (!agent) throw new Error("the agent is not ready yet");
      return agent;
    },
  });
  // --tools narrows the delegation tools (Agent, Skill) like the other built-ins.
  const delegated = delegation.tools.filter((tool) => !options.tools || options.tools.includes(tool.name));
  const tools = narrowTools([...builtins, ...delegated, ...(mcp?.tools ?? []).filter(offered)]);
  const structured = await setupStructuredOutput(options, place.env);
  if (structured) {
    tools.push(structured.tool);
    system.push(structured.instruction);
  }
  if (hooks) {
    const started = await hooks.sessionStart(
      extras.sessionStartSource ?? (options.continue || options.resume ? "resume" : "startup"),
    );
    if (started.additionalContext) system.push(started.additionalContext);
  }
  agent = createAgent({
    place,
    options,
    settings,
    provider: providers.router,
    smallFastModel: providers.smallFastModel,
    model,
    fallbackModel,
    structuredOutput: structured?.config,
    system,
    tools,
    gate,
    workspace,
    scratchDir,
    session,
    hooks,
    askPermission: extras.askPermission,
    checkpoints,
    shellSandbox: sandbox.shell,
    delegation,
    editor: {
      editorText: extras.editorText,
      editorWrite: extras.editorWrite,
      editorTerminal: extras.editorTerminal,
    },
  });
  const ready = agent;

  let mcpSettled = !extras.mcpInBackground;
  if (extras.mcpInBackground) {
    void mcpStartup.manager.then((started) => {
      mcpSettled = true;
      mcp = started;
      if (started) ready.addTools(started.tools.filter(offered));
    });
  }

  const appendRecord = (record: SessionRecord) => store.append(record);
  return {
    ...conversationControls(ready, gate, appendRecord, store.path),
    agent: ready,
    sessionId: store.id,
    sessionPath: store.path,
    cwd: place.cwd,
    configHome: place.configHome,
    permissionMode: mode,
    gate,
    sandbox,
    settings: settings.loaded,
    instructions,
    get auth() {
      return providers.auth();
    },
    get apiKeySource() {
      return providers.apiKeySource();
    },
    describeProvider: () => providers.describe(agent.model),
    get mcp() {
      return mcp;
    },
    mcpStarting: () => !mcpSettled,
    previousUsage: session.usageByModel,
    previousToolDisplays: session.toolDisplays,
    mcpServers: () => mcp?.initServers() ?? [],
    checkpoints,
    delegation,
    record: createSessionRecorder(store),
    appendRecord,
    async close(reason = "other") {
      if (hooks) await hooks.sessionEnd(reason);
      killAllBackgroundShells();
      await sandbox.close();
      // The last prompt's "after" checkpoint is written before the session file closes.
      await checkpoints?.close();
      store.close();
      mcpStartup.cancel();
      await (await mcpStartup.manager)?.close();
    },
  };
}
