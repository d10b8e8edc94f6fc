// The runtime's subagents, skills and web search: agents and skills discovered for this place, the Agent and
// Skill tools, the gate that honours active skills, and the WebSearch side request on the session's provider.
import type { Agent } from "../agent/agent.js";
import { createDelegation, type Delegation } from "../agent/delegation.js";
import type { HookRunner } from "../agent/hooks.js";
import { createWebSearch } from "../agent/web-search-request.js";
import { contextWindow, maxOutputTokens } from "../api/models.js";
import type { ProviderRouter } from "../api/provider-selection.js";
import type { AskPermission } from "../policy/permission-types.js";
import { type ClawPermissionGate, createPermissionGate } from "../policy/permissions.js";
import type { SessionStore } from "../session/session-store.js";
import type { ToolContext, WorkspaceGuard } from "../tools/types.js";
import type { RunPlace } from "./assembly.js";
import type { CliOptions } from "./options.js";

export interface RuntimeDelegation extends Delegation {
  /** Added to the agent's tool context: WebSearch's side request (absent when the provider has none). */
  toolContextExtras: Pick<ToolContext, "webSearch">;
}

export interface DelegationParts {
  /** Routes each model to its provider, and prices its usage. */
  provider: ProviderRouter;
  gate: ClawPermissionGate;
  workspace: WorkspaceGuard;
  hooks: HookRunner | undefined;
  askPermission: AskPermission | undefined;
  store: SessionStore;
  model: string;
  /** The session's agent; created after this, read only when a tool runs. */
  agent(): Agent;
}

export async function setupDelegation(
  place: RunPlace,
  options: CliOptions,
  parts: DelegationParts,
): Promise<RuntimeDelegation> {
  const { provider, store, workspace } = parts;
  const limits = (m: string) => ({
    contextWindow: contextWindow(m),
    maxOutputTokens: maxOutputTokens(m, place.env),
  });
  const delegation = await createDelegation({
    cwd: place.cwd,
    configHome: place.configHome,
    env: place.env,
    agentsJson: options.agents,
    provider,
    gate: parts.gate,
    rulesGate: (allow, mode) => createPermissionGate({ mode, rules: { allow }, workspace, cwd: place.cwd }),
    model: parts.model,
    parent: parts.agent,
    askPermission: parts.askPermission,
    hooks: parts.hooks,
    costFor: (m, usage) => provider.costFor(m, usage),
    limits,
    maxTurns: options.maxTurns,
    transcripts: store.persistent
      ? {
          sessionPath: store.path,
          sessionId: store.id,
          cwd: place.cwd,
          model: () => parts.agent().model,
          clawVersion: options.version,
          onWarning: place.warn,
        }
      : undefined,
    warn: place.warn,
  });
  const webSearch = createWebSearch({
    provider,
    model: () => parts.agent().model,
    onUsage: (m, usage) => {
      parts.agent().usage.add(m, usage);
      store.append({ type: "usage", model: m, usage, purpose: "web_search" });
    },
  });
  return { ...delegation, toolContextExtras: webSearch ? { webSearch } : {} };
}
