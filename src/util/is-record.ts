// The one type guard for "a JSON object": parsed files, wire events and records are checked with it.

/** A plain object (not null, not an array), so its keys can be read as `unknown`. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
