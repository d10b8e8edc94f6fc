// Assembles subagents and skills for a session: discovers agents and skills, builds the Agent and Skill tools,
// the subagent runner (sharing the session's provider, gate, hooks and tools) and the skill-aware gate.
import type { Provider } from "../api/types.js";
import { type AgentDefinition, loadAgents } from "../config/agents.js";
import { collectEnvironment, type EnvironmentInfo, renderEnvironment } from "../config/environment.js";
import { loadSkills, type SkillDefinition } from "../config/skills.js";
import type { AskPermission, PermissionGate, PermissionMode } from "../policy/permission-types.js";
import type { Tool } from "../tools/types.js";
import type { Agent } from "./agent.js";
import { offerAgentTool, offerSkillTool } from "./delegation-tools.js";
import type { AgentHooks } from "./hook-types.js";
import { ActiveSkills, skillAwareGate, skillListingBudget, skillPromptByHand } from "./skills-active.js";
import { createSubagentRunner, type SubagentRunnerDeps } from "./subagent-runner.js";
import { createTranscriptOpener, type SubagentTranscriptOptions } from "./subagent-transcript.js";
import type { CostFunction, ModelLimits } from "./usage-tracker.js";

export interface DelegationOptions {
  cwd: string;
  configHome: string;
  env: NodeJS.ProcessEnv;
  /** --agents '<json>'. */
  agentsJson?: string;
  provider: Provider;
  gate: PermissionGate & { isToolDenied(toolName: string): boolean };
  /** A gate holding only these allow rules, in the given mode (the active skills' allowed-tools). */
  rulesGate(allow: string[], mode: PermissionMode): PermissionGate;
  /** The model the session starts with (sizes the skill listing). */
  model: string;
  /** The session's agent, read when a subagent starts: /model and MCP servers change its model and tools. */
  parent(): Agent;
  askPermission?: AskPermission;
  hooks?: AgentHooks;
  costFor: CostFunction;
  limits: ModelLimits;
  maxTurns?: number;
  /** Where subagent transcripts go (beside the session file); none when absent. */
  transcripts?: SubagentTranscriptOptions;
  warn(message: string): void;
}

export interface Delegation {
  agents: AgentDefinition[];
  skills: SkillDefinition[];
  /** Agent (unless denied) and Skill (when there are skills), to offer the model. */
  tools: Tool[];
  /** The session's gate plus the active skills' allowed-tools. */
  gate: PermissionGate;
  /** For AgentConfig.onRunStart: skills activated in the last run end. */
  onRunStart(): void;
  /** The prompt for `/<skill> [args]` typed by the user, or undefined when no skill has that name. */
  skillPrompt(name: string, args: string): Promise<string | undefined>;
}

export async function createDelegation(options: DelegationOptions): Promise<Delegation> {
  const [agentCatalog, skillCatalog] = await Promise.all([
    loadAgents({ cwd: options.cwd, configHome: options.configHome, flagJson: options.agentsJson }),
    loadSkills({ cwd: options.cwd, configHome: options.configHome }),
  ]);
  for (const warning of [...agentCatalog.warnings, ...skillCatalog.warnings])
    options.warn(`claw: ${warning}`);
  const { agents } = agentCatalog;
  const { skills } = skillCatalog;

  const active = new ActiveSkills();
  const gate = skillAwareGate(options.gate, active, (allow) => options.rulesGate(allow, "default"));
  const tools: Tool[] = [];
  if (!options.gate.isToolDenied("Agent")) {
    const runner = createSubagentRunner(runnerDeps(options, gate));
    tools.push(offerAgentTool(agents, runner));
  }
  if (skills.length > 0 && !options.gate.isToolDenied("Skill")) {
    const budgetChars = skillListingBudget(options.limits(options.model).contextWindow, options.env);
    tools.push(offerSkillTool(skills, active, budgetChars));
  }
  return {
    agents,
    skills,
    tools,
    gate,
    onRunStart: () => active.startRun(),
    async skillPrompt(name, args) {
      const skill = skills.find((s) => s.name.toLowerCase() === name.toLowerCase());
      return skill ? skillPromptByHand(skill, args, active) : undefined;
    },
  };
}

function runnerDeps(options: DelegationOptions, gate: PermissionGate): SubagentRunnerDeps {
  // Git status and the like are asked once; the model line follows the subagent's model.
  let environment: Promise<EnvironmentInfo> | undefined;
  const transcripts = options.transcripts ? createTranscriptOpener(options.transcripts) : undefined;
  return {
    provider: options.provider,
    parentModel: () => options.parent().model,
    parentTools: () => options.parent().toolList,
    toolContext: () => options.parent().toolContext,
    gate,
    askPermission: options.askPermission,
    hooks: options.hooks,
    costFor: options.costFor,
    limits: options.limits,
    maxTurns: options.maxTurns,
    async environment(model) {
      environment ??= collectEnvironment({ cwd: options.cwd, model });
      return renderEnvironment({ ...(await environment), model });
    },
    openTranscript: transcripts,
  };
}
