// --json-schema (the Agent SDK's outputFormat): the StructuredOutput tool whose input schema is the caller's
// schema. The model ends its task by calling it; the validated input is the run's structured_output.
import { z } from "zod";
import { STRUCTURED_OUTPUT_TOOL } from "./structured-output-name.js";
import type { Tool } from "./types.js";

export { STRUCTURED_OUTPUT_INSTRUCTION, STRUCTURED_OUTPUT_TOOL } from "./structured-output-name.js";

/** The schema as a validator, or a one-line reason it cannot be used (not an object schema, unsupported keywords). */
export function structuredOutputValidator(
  schema: Record<string, unknown>,
): { ok: true; validator: z.ZodType } | { ok: false; error: string } {
  if (schema.type !== "object") {
    return {
      ok: false,
      error:
        '--json-schema needs an object schema ({"type":"object",...}): the answer is a tool call\'s input',
    };
  }
  try {
    return { ok: true, validator: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (error) {
    return {
      ok: false,
      error: `--json-schema: claw cannot validate this schema (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

export function createStructuredOutputTool(schema: Record<string, unknown>, validator: z.ZodType): Tool {
  const { $schema: _, ...inputSchema } = schema;
  return {
    name: STRUCTURED_OUTPUT_TOOL,
    description:
      "Returns the task's final answer as structured data. Call it exactly once, at the end, with input matching the schema.",
    kind: "read",
    inputSchema,
    parse(input) {
      const result = validator.safeParse(input);
      if (result.success) return { ok: true, value: input };
      const problems = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
      return { ok: false, error: `the output does not match the schema: ${problems.join("; ")}` };
    },
    summary: () => STRUCTURED_OUTPUT_TOOL,
    async execute(input) {
      return {
        content: "Structured output provided successfully.",
        display: "structured output",
        details: { structured_output: input },
      };
    },
  };
}
