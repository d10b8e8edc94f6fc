// The Agent SDK front end (`--input-format stream-json --output-format stream-json`): reads user lines and
// control requests from stdin, runs each user line as a turn of one session through the runtime's agent, and
// writes Claude Code's stream-json messages. Control requests are served while a turn runs.
import { randomUUID } from "node:crypto";
import type { RunSummary } from "../agent/events.js";
import { resolveModel } from "../api/models.js";
import { StartupAuthError } from "../api/startup-auth.js";
import { parsePermissionMode } from "../policy/permissions.js";
import type { CliOptions } from "../runtime/options.js";
import { createRuntime, type Runtime, RuntimeError } from "../runtime/runtime.js";
import { parseSlashCommand } from "../runtime/slash-commands.js";
import {
  eventMessage,
  hookMessage,
  initMessage,
  type JsonMessage,
  resultMessage,
} from "../runtime/stream-json.js";
import { ControlChannel } from "./control-channel.js";
import {
  type InitializeParams,
  initializeResponse,
  readInitializeParams,
  type SessionDescription,
  sdkPermissionModeName,
} from "./initialize.js";
import { jsonLineWriter, readLines } from "./line-io.js";
import { ControlChannelMcpTransport } from "./mcp-transport.js";
import { createSdkPermissionPrompt } from "./permission-prompt.js";
import { type HostControlRequest, type HostUserMessage, parseHostLine } from "./wire.js";

export async function runSdkServer(options: CliOptions): Promise<number> {
  const server = new SdkServer(options, jsonLineWriter(process.stdout));
  return server.run();
}

class SdkServer {
  private readonly channel: ControlChannel;
  private readonly queue: HostUserMessage[] = [];
  private runtime: Promise<Runtime | undefined> | undefined;
  private turn: AbortController | undefined;
  private pumping = false;
  private inputEnded = false;
  private lastResultWasError = false;
  private startupFailed = false;
  private readonly controls = new Set<Promise<void>>();
  private finish: ((code: number) => void) | undefined;
  private finishing = false;

  constructor(
    private readonly options: CliOptions,
    private readonly write: (message: JsonMessage) => void,
  ) {
    this.channel = new ControlChannel(write);
  }

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => {
      this.finish = resolve;
    });
    const stop = () => {
      this.queue.length = 0;
      this.turn?.abort();
      this.endOfInput();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    // The host went away: nothing can be delivered, so stop like an interrupt.
    process.stdout.on("error", stop);
    readLines(process.stdin, { line: (text) => this.onLine(text), end: () => this.endOfInput() });
    return done.finally(() => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    });
  }

  private onLine(text: string): void {
    const line = parseHostLine(text);
    switch (line.kind) {
      case "user":
        this.queue.push(line);
        void this.startRuntime();
        this.pump();
        break;
      case "control_request":
        this.track(this.onControl(line));
        break;
      case "control_response":
        this.channel.settle(line.requestId, line);
        break;
      case "environment":
        Object.assign(process.env, line.variables);
        break;
      case "invalid":
        process.stderr.write(`claw: ignored an input line: ${line.reason}\n`);
        break;
      default:
        break;
    }
  }

  private track(work: Promise<void>): void {
    this.controls.add(work);
    void work.finally(() => {
      this.controls.delete(work);
      this.maybeFinish();
    });
  }

  private async onControl(request: HostControlRequest): Promise<void> {
    const { requestId, subtype } = request;
    try {
      if (subtype === "initialize") {
        const runtime = await this.startRuntime(readInitializeParams(request.request));
        if (!runtime) this.channel.respondError(requestId, "claw could not start (see stderr)");
        else this.channel.respond(requestId, initializeResponse(describe(runtime)));
        return;
      }
      if (subtype === "interrupt") {
        this.turn?.abort();
        this.channel.respond(requestId);
        return;
      }
      const runtime = await this.startRuntime();
      if (!runtime) {
        this.channel.respondError(requestId, "claw could not start (see stderr)");
        return;
      }
      const answer = await this.control(runtime, subtype, request.request);
      if (typeof answer === "string") this.channel.respondError(requestId, answer);
      else this.channel.respond(requestId, answer);
    } catch (error) {
      this.channel.respondError(requestId, error instanceof Error ? error.message : String(error));
    }
  }

  /** Serves one control request once the runtime exists: the success payload, or an error line. */
  private async control(
    runtime: Runtime,
    subtype: string,
    request: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined | string> {
    switch (subtype) {
      case "set_permission_mode": {
        const parsed = parsePermissionMode(String(request.mode ?? ""));
        if (!parsed.ok) return parsed.error;
        runtime.setPermissionMode(parsed.mode);
        this.write({
          type: "system",
          subtype: "status",
          status: null,
          permissionMode: sdkPermissionModeName(parsed.mode),
          uuid: randomUUID(),
          session_id: runtime.sessionId,
        });
        return { mode: request.mode };
      }
      case "set_model": {
        const wanted =
          typeof request.model === "string" && request.model !== "default" ? request.model : undefined;
        // "default" (or none) goes back to what the session would choose without a model override.
        const model = resolveModel({
          flag: wanted ?? this.options.model,
          env: process.env,
          settingsModel: runtime.settings.settings.model,
        });
        runtime.setModel(model);
        return undefined;
      }
      case "set_max_thinking_tokens":
        // claw requests no extended thinking, so there is no budget to change.
        return undefined;
      case "mcp_status":
        return {
          mcpServers: (runtime.mcp?.status() ?? []).map((server) => ({
            name: server.name,
            status: server.status,
            ...(server.error ? { error: server.error } : {}),
          })),
        };
      case "rewind_files":
        return this.rewindFiles(runtime, request);
      default:
        return `Unsupported control request subtype: ${subtype}`;
    }
  }

  /** rewind_files: the files back to just before the user message with that uuid (or what would change). */
  private async rewindFiles(
    runtime: Runtime,
    request: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    if (!runtime.checkpoints)
      return { canRewind: false, error: "this session is not saved, so it has no checkpoints" };
    const id = typeof request.user_message_id === "string" ? request.user_message_id : "";
    const outcome = await runtime.checkpoints.rewind(id, { dryRun: request.dry_run === true });
    if (!outcome.ok) return { canRewind: false, error: outcome.error };
    const changed = outcome.outcome
      ? [...outcome.outcome.restored, ...outcome.outcome.removed]
      : [...outcome.restore, ...outcome.remove];
    return { canRewind: true, filesChanged: changed };
  }

  /** Builds the runtime once, from the first initialize (or the first user line when none came). */
  private startRuntime(init?: InitializeParams): Promise<Runtime | undefined> {
    if (this.runtime) {
      if (init) process.stderr.write("claw: an initialize request after the first prompt changes nothing\n");
      return this.runtime;
    }
    this.runtime = this.createRuntime(init).catch((error: unknown) => {
      if (!(error instanceof StartupAuthError || error instanceof RuntimeError)) throw error;
      process.stderr.write(`claw: ${error.message}\n`);
      this.startupFailed = true;
      this.queue.length = 0;
      return undefined;
    });
    return this.runtime;
  }

  private createRuntime(init: InitializeParams | undefined): Promise<Runtime> {
    const channel = this.channel;
    const options: CliOptions = {
      ...this.options,
      // The SDK's `agents` option arrives here, in --agents' JSON shape; --agents on argv wins.
      agents: this.options.agents ?? (init?.agents ? JSON.stringify(init.agents) : undefined),
      systemPrompt: init?.systemPrompt ?? this.options.systemPrompt,
      jsonSchema: this.options.jsonSchema ?? init?.jsonSchema,
      appendSystemPrompt: init?.appendSystemPrompt ?? this.options.appendSystemPrompt,
    };
    return createRuntime(options, {
      askPermission:
        this.options.permissionPromptTool === "stdio"
          ? createSdkPermissionPrompt({ channel, interruptTurn: () => this.turn?.abort() })
          : undefined,
      onHookEvent: this.options.includeHookEvents ? (event) => this.write(hookMessage(event)) : undefined,
      hostHooks: init?.hooks
        ? {
            hooks: init.hooks,
            call: (callbackId, input, signal) =>
              channel.request(
                { subtype: "hook_callback", callback_id: callbackId, input, tool_use_id: input.tool_use_id },
                signal,
              ),
          }
        : undefined,
      extraMcpServers: (init?.sdkMcpServers ?? []).map((name) => ({
        name,
        scope: "flag",
        source: "the embedding application",
        config: { type: "sdk", transport: () => new ControlChannelMcpTransport(channel, name) },
      })),
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      try {
        for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.runTurn(next);
      } finally {
        this.pumping = false;
        this.maybeFinish();
      }
    })();
  }

  private async runTurn(message: HostUserMessage): Promise<void> {
    const runtime = await this.startRuntime();
    if (!runtime) return;
    const startedAt = Date.now();
    const controller = new AbortController();
    this.turn = controller;
    const sessionId = runtime.sessionId;
    this.write(
      initMessage({
        sessionId,
        cwd: runtime.cwd,
        model: runtime.agent.model,
        permissionMode: sdkPermissionModeName(runtime.gate.mode),
        tools: runtime.agent.toolList.map((tool) => tool.name),
        mcpServers: runtime.mcpServers(),
        apiKeySource: runtime.apiKeySource,
        version: this.options.version,
        slashCommands: runtime.delegation.skills.map((skill) => skill.name),
        agents: runtime.delegation.agents.map((agent) => agent.name),
      }),
    );
    // The prompt's uuid is also its checkpoint id: rewind_files names it.
    const promptId = message.uuid ?? randomUUID();
    if (this.options.replayUserMessages) {
      this.write({
        type: "user",
        message: message.raw.message,
        session_id: sessionId,
        parent_tool_use_id: null,
        uuid: promptId,
        isReplay: true,
      });
    }
    let summary: RunSummary | undefined;
    const ctx = { sessionId, includePartialMessages: this.options.includePartialMessages };
    const input = await skillInput(runtime, message.content);
    for await (const event of runtime.agent.run(input, { signal: controller.signal, promptId })) {
      runtime.record(event);
      if (event.type === "done") summary = event.summary;
      else {
        const line = eventMessage(event, ctx);
        if (line) this.write(line);
      }
    }
    this.turn = undefined;
    if (!summary) return;
    if (controller.signal.aborted) {
      this.write({
        type: "user",
        message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user]" }] },
        parent_tool_use_id: null,
        session_id: sessionId,
        uuid: randomUUID(),
      });
    }
    this.write(resultMessage(summary, { sessionId, startedAt }));
    this.lastResultWasError = summary.isError;
  }

  private endOfInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    // Whatever the host did not answer yet can no longer be answered.
    this.channel.close("the host closed its end of the connection");
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.finishing) return;
    const stillWorking = this.pumping || this.queue.length > 0 || this.controls.size > 0;
    if (!this.startupFailed && (!this.inputEnded || stillWorking)) return;
    this.finishing = true;
    this.turn?.abort();
    void (async () => {
      const runtime = await this.runtime;
      await runtime?.close();
      this.finish?.(this.startupFailed || this.lastResultWasError ? 1 : 0);
    })();
  }
}

/** A user line "/<skill> args" runs the skill, as in print mode and the REPL; anything else goes as it is. */
async function skillInput(runtime: Runtime, content: HostUserMessage["content"]) {
  const slash = typeof content === "string" ? parseSlashCommand(content) : undefined;
  const prompt = slash && (await runtime.delegation.skillPrompt(slash.name, slash.args));
  return prompt ?? content;
}

function describe(runtime: Runtime): SessionDescription {
  return {
    model: runtime.agent.model,
    apiKeySource: runtime.apiKeySource,
    // What a user line "/<name> args" runs here: the skills (see runTurn).
    commands: runtime.delegation.skills.map((skill) => ({
      name: skill.name,
      description: skill.description,
      argumentHint: "",
    })),
    agents: runtime.delegation.agents.map((agent) => ({
      name: agent.name,
      description: agent.description,
      ...(agent.model ? { model: agent.model } : {}),
    })),
  };
}
