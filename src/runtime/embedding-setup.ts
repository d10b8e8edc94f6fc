// What the embedding flags add to a runtime: --fallback-model's model id and --json-schema's StructuredOutput
// tool with the loop's settings for it. A value claw cannot use stops the run before it starts.
import type { StructuredOutputConfig } from "../agent/final-reply.js";
import { resolveModel } from "../api/models.js";
import { loadAgents } from "../config/agents.js";
import type { Tool } from "../tools/types.js";
import { type RunPlace, RuntimeError } from "./assembly.js";
import type { CliOptions } from "./options.js";

/** --fallback-model as a model id; the main model itself cannot be its own fallback. */
export function chooseFallbackModel(options: CliOptions, model: string): string | undefined {
  if (!options.fallbackModel) return undefined;
  const fallback = resolveModel({ flag: options.fallbackModel, env: {} });
  if (fallback === model)
    throw new RuntimeError(
      `--fallback-model ${options.fallbackModel} is the main model (${model}); name a different model`,
    );
  return fallback;
}

export interface StructuredOutputSetup {
  tool: Tool;
  /** Added to the system prompt. */
  instruction: string;
  config: StructuredOutputConfig;
}

export async function setupStructuredOutput(
  options: CliOptions,
  env: NodeJS.ProcessEnv,
): Promise<StructuredOutputSetup | undefined> {
  if (!options.jsonSchema) return undefined;
  // The validator needs zod, which a run without --json-schema never loads.
  const {
    createStructuredOutputTool,
    STRUCTURED_OUTPUT_INSTRUCTION,
    STRUCTURED_OUTPUT_TOOL,
    structuredOutputValidator,
  } = await import("../tools/structured-output.js");
  const checked = structuredOutputValidator(options.jsonSchema);
  if (!checked.ok) throw new RuntimeError(checked.error);
  const retries = Number(env.CLAW_MAX_STRUCTURED_OUTPUT_RETRIES);
  return {
    tool: createStructuredOutputTool(options.jsonSchema, checked.validator),
    instruction: STRUCTURED_OUTPUT_INSTRUCTION,
    config: {
      toolName: STRUCTURED_OUTPUT_TOOL,
      instruction: STRUCTURED_OUTPUT_INSTRUCTION,
      maxRetries: Number.isInteger(retries) && retries >= 0 ? retries : 3,
    },
  };
}

export interface MainAgent {
  /** The options with the agent's prompt and model filled in where the command line left them open. */
  options: CliOptions;
  /** Keeps the tools the agent may use (all of them without --agent, or when it lists none). */
  narrowTools<T extends { name: string }>(tools: T[]): T[];
}

/** --agent <name>: the agent's definition (.claude/agents, the user's agents, --agents or the SDK's agents). */
export async function chooseMainAgent(place: RunPlace, options: CliOptions): Promise<MainAgent> {
  if (!options.agent) return { options, narrowTools: (tools) => tools };
  const catalog = await loadAgents({
    cwd: place.cwd,
    configHome: place.configHome,
    flagJson: options.agents,
  });
  const agent = catalog.agents.find((a) => a.name === options.agent);
  if (!agent) {
    throw new RuntimeError(
      `--agent ${options.agent}: there is no such agent (defined: ${catalog.agents.map((a) => a.name).join(", ")})`,
    );
  }
  const ownModel = agent.model && agent.model !== "inherit" ? agent.model : undefined;
  const allowed = agent.tools && new Set(agent.tools.map((name) => name.replace(/\(.*\)$/s, "").trim()));
  return {
    options: {
      ...options,
      model: options.model ?? ownModel,
      systemPrompt: options.systemPrompt ?? agent.prompt,
      // A read-only agent (Explore) changes nothing as the main conversation either.
      permissionMode: options.permissionMode ?? (agent.readOnly ? "read-only" : undefined),
    },
    narrowTools: (tools) => (allowed ? tools.filter((tool) => allowed.has(tool.name)) : tools),
  };
}
