// What the embedding flags add to a runtime: --fallback-model's model id and --json-schema's StructuredOutput
// tool with the loop's settings for it. A value claw cannot use stops the run before it starts.
import type { StructuredOutputConfig } from "../agent/final-reply.js";
import { resolveModel } from "../api/models.js";
import type { Tool } from "../tools/types.js";
import { RuntimeError } from "./assembly.js";
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
