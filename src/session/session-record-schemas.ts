// The shapes a session file's records must have to be trusted on resume, as zod schemas. A record that fails
// its schema is reported and skipped by the loader (and history repair fixes what skipping leaves behind).
// Objects are loose: fields a later claw adds are kept, never a reason to drop a record.
import { z } from "zod";
import { isRecord } from "../util/is-record.js";
import type { LoadedRecord, SessionHeader, SessionRecord } from "./session-records.js";

const text = z.looseObject({ type: z.literal("text"), text: z.string() });
const image = z.looseObject({
  type: z.literal("image"),
  source: z.looseObject({ type: z.string(), media_type: z.string(), data: z.string() }),
});
const toolUse = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const toolResult = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([text, image]))]),
  is_error: z.boolean().optional(),
});
const thinking = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() });
const block = z.discriminatedUnion("type", [text, image, toolUse, toolResult, thinking]);

const message = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(block)]),
});
const count = z.number().finite().nonnegative();
const usage = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count.optional().default(0),
  cache_read_input_tokens: count.optional().default(0),
});
const stamped = { ts: z.string().optional() };

export const RECORD_SCHEMAS = {
  user: z.looseObject({ type: z.literal("user"), message, uuid: z.string().optional(), ...stamped }),
  tool_results: z.looseObject({
    type: z.literal("tool_results"),
    message,
    displays: z.record(z.string(), z.string()).optional(),
    ...stamped,
  }),
  assistant: z.looseObject({
    type: z.literal("assistant"),
    message: z.looseObject({
      content: z.array(block),
      model: z.string().optional(),
      usage: usage.optional(),
    }),
    ...stamped,
  }),
  model_change: z.looseObject({ type: z.literal("model_change"), model: z.string(), ...stamped }),
  permission_mode_change: z.looseObject({
    type: z.literal("permission_mode_change"),
    mode: z.string(),
    ...stamped,
  }),
  compaction: z.looseObject({
    type: z.literal("compaction"),
    summary: z.string(),
    messagesSummarized: count.optional().default(0),
    tokensBefore: count.optional().default(0),
    tokensAfter: count.optional().default(0),
    filesMentioned: z.array(z.string()).optional().default([]),
    messages: z.array(message),
    ...stamped,
  }),
  usage: z.looseObject({
    type: z.literal("usage"),
    model: z.string(),
    usage,
    purpose: z.enum(["compaction", "web_fetch"]).optional(),
    ...stamped,
  }),
  interrupted: z.looseObject({ type: z.literal("interrupted"), partialText: z.string(), ...stamped }),
  prompt_withdrawn: z.looseObject({ type: z.literal("prompt_withdrawn"), ...stamped }),
  checkpoint: z.looseObject({
    type: z.literal("checkpoint"),
    id: z.string(),
    stage: z.enum(["before", "after"]),
    tree: z.string(),
    files: z.array(z.string()).optional(),
    skipped: z.array(z.string()).optional(),
    rewindOf: z.string().optional(),
    ...stamped,
  }),
  conversation_rewind: z.looseObject({ type: z.literal("conversation_rewind"), to: z.string(), ...stamped }),
} as const;

export type KnownRecordType = keyof typeof RECORD_SCHEMAS;

export function isKnownRecordType(type: string): type is KnownRecordType {
  return Object.hasOwn(RECORD_SCHEMAS, type);
}

export const HEADER_SCHEMA = z.looseObject({
  type: z.literal("header"),
  version: z.number(),
  id: z.string(),
  cwd: z.string(),
  model: z.string().optional().default(""),
  created: z.string().optional().default(""),
  clawVersion: z.string().optional().default(""),
});

export function isHeader(value: unknown): value is SessionHeader {
  return HEADER_SCHEMA.safeParse(value).success;
}

/**
 * Classifies one parsed line. Returns undefined for a known type whose shape is broken (the loader warns and
 * skips it); unknown types come back as `unknown` so replay can skip them. Known records are checked in depth
 * (every content block), so nothing malformed reaches the conversation that is sent to the API.
 */
export function classifyRecord(value: unknown): LoadedRecord | undefined {
  if (!isRecord(value) || typeof value.type !== "string") return undefined;
  if (!isKnownRecordType(value.type)) return { type: "unknown", raw: value };
  const parsed = RECORD_SCHEMAS[value.type].safeParse(value);
  // The schemas mirror the record interfaces above; zod's inferred types are looser (open objects).
  return parsed.success ? (parsed.data as SessionRecord) : undefined;
}
