// The Agent SDK's `initialize` request: what the host asks for (prompt, hooks, in-process MCP servers,
// structured output) and the answer describing this session (commands, models, account, pid).
import { isRecord } from "../util/is-record.js";

export interface InitializeParams {
  /** Replaces claw's own instructions; the SDK's default [""] keeps them. */
  systemPrompt?: string;
  appendSystemPrompt?: string;
  /** event → [{matcher, hookCallbackIds}] */
  hooks?: Record<string, unknown>;
  sdkMcpServers: string[];
  jsonSchema?: Record<string, unknown>;
  agents?: Record<string, unknown>;
}

export function readInitializeParams(request: Record<string, unknown>): InitializeParams {
  const params: InitializeParams = { sdkMcpServers: [] };
  if (Array.isArray(request.systemPrompt)) {
    const text = request.systemPrompt.filter((part) => typeof part === "string").join("\n\n");
    if (text.trim()) params.systemPrompt = text;
  } else if (typeof request.systemPrompt === "string" && request.systemPrompt.trim()) {
    params.systemPrompt = request.systemPrompt;
  }
  if (typeof request.appendSystemPrompt === "string" && request.appendSystemPrompt.trim()) {
    params.appendSystemPrompt = request.appendSystemPrompt;
  }
  if (isRecord(request.hooks)) params.hooks = request.hooks;
  if (Array.isArray(request.sdkMcpServers)) {
    params.sdkMcpServers = request.sdkMcpServers.filter((name): name is string => typeof name === "string");
  }
  if (isRecord(request.jsonSchema)) params.jsonSchema = request.jsonSchema;
  if (isRecord(request.agents)) params.agents = request.agents;
  return params;
}

export interface SessionDescription {
  model: string;
  apiKeySource: string;
  commands: Array<{ name: string; description: string; argumentHint: string }>;
  agents: Array<{ name: string; description: string; model?: string }>;
}

export function initializeResponse(session: SessionDescription): Record<string, unknown> {
  return {
    commands: session.commands,
    agents: session.agents,
    output_style: "default",
    available_output_styles: ["default"],
    models: [
      {
        value: "default",
        resolvedModel: session.model,
        displayName: "Default",
        description: `The model this session started with (${session.model})`,
      },
      ...["sonnet", "opus", "haiku"].map((alias) => ({
        value: alias,
        displayName: alias[0]?.toUpperCase() + alias.slice(1),
        description: `The current Claude ${alias} model`,
      })),
    ],
    account: {
      tokenSource: session.apiKeySource === "claw login" ? "claw login" : "none",
      apiKeySource: session.apiKeySource,
      apiProvider: "firstParty",
    },
    pid: process.pid,
  };
}

/** Claude Code's names for claw's permission modes, as the SDK's PermissionMode type spells them. */
export function sdkPermissionModeName(mode: string): string {
  switch (mode) {
    case "read-only":
      return "plan";
    case "workspace-write":
      return "acceptEdits";
    case "danger-full-access":
      return "bypassPermissions";
    default:
      return mode;
  }
}
