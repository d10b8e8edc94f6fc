// Tool names and input schemas from MCP servers, made safe for the Messages API: names sanitised to
// [a-zA-Z0-9_-]{1,64}; schemas the API would reject (a 400 for the whole request) are refused here.
import { createHash } from "node:crypto";

const MAX_NAME = 64;

function sanitizeNamePart(part: string): string {
  const clean = part.replace(/[^a-zA-Z0-9_-]/g, "_");
  return clean === "" ? "_" : clean;
}

/** `mcp__<server>__<tool>`, sanitised; names longer than 64 keep a hash suffix so they stay distinct. */
export function mcpToolName(server: string, tool: string): string {
  const name = `mcp__${sanitizeNamePart(server)}__${sanitizeNamePart(tool)}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash("sha256").update(`${server}\0${tool}`).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9)}_${hash}`;
}

/** Returns the schema to offer, or why it cannot be offered. */
export function checkInputSchema(
  schema: unknown,
): { ok: true; schema: Record<string, unknown> } | { ok: false; reason: string } {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return { ok: false, reason: "the input schema is not a JSON object" };
  const record = schema as Record<string, unknown>;
  if (record.type !== "object")
    return {
      ok: false,
      reason: `the input schema's top-level type is ${JSON.stringify(record.type)}, not "object"`,
    };
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (key in record) return { ok: false, reason: `the input schema uses a top-level ${key}` };
  }
  if (
    "properties" in record &&
    (typeof record.properties !== "object" || record.properties === null || Array.isArray(record.properties))
  )
    return { ok: false, reason: 'the input schema\'s "properties" is not an object' };
  if (
    "required" in record &&
    !(Array.isArray(record.required) && record.required.every((r) => typeof r === "string"))
  )
    return { ok: false, reason: 'the input schema\'s "required" is not a list of names' };
  try {
    // Cycles or BigInts would break the request body later.
    const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
    return { ok: true, schema: copy };
  } catch {
    return { ok: false, reason: "the input schema cannot be serialised as JSON" };
  }
}
