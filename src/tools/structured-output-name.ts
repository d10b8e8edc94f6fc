// The StructuredOutput tool's name and instruction, without its validator (zod): the loop and subagents
// name the tool on every run, the validator is loaded only with --json-schema.
export const STRUCTURED_OUTPUT_TOOL = "StructuredOutput";

/** What the model is told once (system prompt), and again when it answers without the call. */
export const STRUCTURED_OUTPUT_INSTRUCTION = `This task needs a structured answer: when you have it, call the ${STRUCTURED_OUTPUT_TOOL} tool once with the final answer as its input (it must match the tool's schema). That call ends the task; do not answer in plain text instead.`;
