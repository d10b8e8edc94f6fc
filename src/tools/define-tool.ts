// Builds a Tool from a zod object schema: the JSON schema the API accepts, and validation whose
// messages tell the model exactly which field to fix.
import { z } from "zod";
import type { PreconditionContext, Tool, ToolContext, ToolKind, ToolResult } from "./types.js";

export interface ToolSpec<S extends z.ZodObject> {
  name: string;
  description: string;
  kind: ToolKind;
  schema: S;
  execute(input: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
  paths?(input: z.infer<S>): string[];
  summary?(input: z.infer<S>): string;
  check?(input: z.infer<S>, ctx: PreconditionContext): Promise<string | undefined>;
}

export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): Tool<z.infer<S>> {
  // Built when first read: a tool offered from the manifest (the CLI) never needs it, nor does a valid call.
  let inputSchema: Record<string, unknown> | undefined;
  const tool: Tool<z.infer<S>> = {
    name: spec.name,
    description: spec.description,
    kind: spec.kind,
    get inputSchema() {
      inputSchema ??= toApiSchema(spec.schema);
      return inputSchema;
    },
    parse(input: unknown) {
      const result = spec.schema.safeParse(input, { reportInput: true });
      if (result.success) return { ok: true, value: result.data };
      return { ok: false, error: formatIssues(result.error.issues, tool.inputSchema) };
    },
    execute: (input, ctx) => spec.execute(input, ctx),
  };
  if (spec.paths) tool.paths = spec.paths;
  if (spec.summary) tool.summary = spec.summary;
  if (spec.check) tool.check = spec.check;
  return tool;
}

/** The object schema offered to the model: no `$schema` key, no noise bounds from `.int()`. */
function toApiSchema(schema: z.ZodObject): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  delete json.$schema;
  stripSafeIntegerBounds(json);
  return json;
}

function stripSafeIntegerBounds(node: unknown): void {
  if (!node || typeof node !== "object") return;
  const record = node as Record<string, unknown>;
  if (record.maximum === Number.MAX_SAFE_INTEGER) delete record.maximum;
  if (record.minimum === Number.MIN_SAFE_INTEGER) delete record.minimum;
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) value.forEach(stripSafeIntegerBounds);
    else stripSafeIntegerBounds(value);
  }
}

type Issue = z.core.$ZodIssue;

/** One line per problem, e.g. "file_path is required (string)"; the caller prefixes the tool name. */
function formatIssues(issues: readonly Issue[], inputSchema: Record<string, unknown>): string {
  const lines = issues.slice(0, 5).map((issue) => formatIssue(issue, inputSchema));
  return [...new Set(lines)].join("; ");
}

function formatIssue(issue: Issue, inputSchema: Record<string, unknown>): string {
  const field = issue.path.map(String).join(".");
  switch (issue.code) {
    case "invalid_type": {
      if (issue.path.length === 0)
        return `the input must be a JSON object with fields ${fieldList(inputSchema)}`;
      const received = (issue as { input?: unknown }).input;
      if (received === undefined)
        return `${field} is required (${issue.expected === "int" ? "integer" : issue.expected})`;
      return `${field} must be ${article(issue.expected)} (got ${describeValue(received)})`;
    }
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}; allowed fields: ${fieldList(inputSchema)}`;
    case "too_small":
      return `${field} must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : ""}`;
    case "too_big":
      return `${field} must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : ""}`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return field ? `${field}: ${issue.message}` : issue.message;
  }
}

function fieldList(inputSchema: Record<string, unknown>): string {
  const properties = inputSchema.properties;
  if (!properties || typeof properties !== "object") return "(none)";
  return Object.keys(properties).join(", ");
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ""}`.trim();
}
