// Validates one settings file against the schema piece by piece: a wrong-typed value is dropped with a warning
// naming the file and key, and everything else in the file is still used.
import { z } from "zod";
import { isRecord } from "../util/is-record.js";
import { childPath } from "./settings-merge.js";
import { KNOWN_FOREIGN_KEYS, STRICT_OBJECT_PATHS, settingsSchema } from "./settings-schema.js";

interface ValidateContext {
  source: string;
  warnings: string[];
}

type Checked = { ok: true; value: unknown } | { ok: false };

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable)
    current = current.unwrap() as z.ZodType;
  return current;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid value";
  const where = issue.path.length > 0 ? ` (at ${issue.path.map(String).join(".")})` : "";
  return `${issue.message.replace(/^Invalid input: /, "")}${where}`;
}

function reject(path: string, error: z.ZodError, ctx: ValidateContext): Checked {
  ctx.warnings.push(`claw: settings: ${ctx.source}: "${path}" ignored: ${firstIssue(error)}`);
  return { ok: false };
}

/**
 * Checks `value` against `schema`. When it fails and the schema is a container (object, record, array),
 * repairs it by dropping only the bad members, then re-checks (so missing required fields still reject).
 */
function check(schema: z.ZodType, value: unknown, path: string, ctx: ValidateContext): Checked {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const inner = unwrap(schema);
  let repaired: unknown;
  if (inner instanceof z.ZodObject && isRecord(value)) {
    const out: Record<string, unknown> = {};
    const shape = inner.shape as Record<string, z.ZodType>;
    for (const [key, member] of Object.entries(value)) {
      const memberSchema = shape[key];
      if (!memberSchema) {
        out[key] = member;
        continue;
      }
      const result = check(memberSchema, member, childPath(path, key), ctx);
      if (result.ok && result.value !== undefined) out[key] = result.value;
    }
    repaired = out;
  } else if (inner instanceof z.ZodRecord && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const result = check(inner.valueType as z.ZodType, member, childPath(path, key), ctx);
      if (result.ok) out[key] = result.value;
    }
    repaired = out;
  } else if (inner instanceof z.ZodArray && Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((member, index) => {
      const result = check(inner.element as z.ZodType, member, childPath(path, index), ctx);
      if (result.ok) out.push(result.value);
    });
    repaired = out;
  } else {
    return reject(path, parsed.error, ctx);
  }
  const again = schema.safeParse(repaired);
  if (again.success) return { ok: true, value: again.data };
  return reject(path, again.error, ctx);
}

export interface ValidatedSettings {
  settings: Record<string, unknown>;
  /** Keys nobody knows: kept in `settings`, reported once by the caller. */
  unknownKeys: string[];
}

/** Validates a parsed settings document. `source` names the file in warnings. */
export function validateSettingsDocument(
  raw: unknown,
  source: string,
  warnings: string[],
): ValidatedSettings {
  const ctx: ValidateContext = { source, warnings };
  if (!isRecord(raw)) {
    warnings.push(`claw: settings: ${source} must contain a JSON object ({...}); skipped it`);
    return { settings: {}, unknownKeys: [] };
  }
  const unknownKeys: string[] = [];
  const shape = settingsSchema.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(raw)) {
    if (!(key in shape) && !KNOWN_FOREIGN_KEYS.has(key)) unknownKeys.push(key);
  }
  for (const [path, schema] of STRICT_OBJECT_PATHS) {
    const member = raw[path];
    if (!isRecord(member)) continue;
    for (const key of Object.keys(member)) if (!(key in schema.shape)) unknownKeys.push(childPath(path, key));
  }
  const result = check(settingsSchema, raw, "", ctx);
  return { settings: result.ok ? (result.value as Record<string, unknown>) : {}, unknownKeys };
}
