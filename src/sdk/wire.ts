// The lines a host (the Claude Agent SDK, or a script) writes to claw's stdin in stream-json input mode,
// parsed into a tagged union. Anything malformed becomes an `invalid` line with a reason, never an exception.
import type { ContentBlock } from "../api/types.js";
import { isRecord } from "../util/is-record.js";

export interface HostUserMessage {
  kind: "user";
  content: string | ContentBlock[];
  uuid?: string;
  /** The raw line, echoed back by --replay-user-messages. */
  raw: Record<string, unknown>;
}

export interface HostControlRequest {
  kind: "control_request";
  requestId: string;
  subtype: string;
  request: Record<string, unknown>;
}

export interface HostControlResponse {
  kind: "control_response";
  requestId: string;
  /** The payload of a success answer; undefined for an error answer. */
  response?: Record<string, unknown>;
  error?: string;
}

export type HostLine =
  | HostUserMessage
  | HostControlRequest
  | HostControlResponse
  | { kind: "control_cancel_request"; requestId: string }
  | { kind: "keep_alive" }
  | { kind: "environment"; variables: Record<string, string> }
  | { kind: "ignored"; type: string }
  | { kind: "invalid"; reason: string };

export function parseHostLine(text: string): HostLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: `not JSON: ${text.slice(0, 80)}` };
  }
  if (!isRecord(value) || typeof value.type !== "string") {
    return { kind: "invalid", reason: 'a stream-json input line must be an object with a "type"' };
  }
  switch (value.type) {
    case "user":
      return parseUser(value);
    case "control_request": {
      const request = value.request;
      if (typeof value.request_id !== "string" || !isRecord(request) || typeof request.subtype !== "string") {
        return { kind: "invalid", reason: "a control_request needs request_id and request.subtype" };
      }
      return { kind: "control_request", requestId: value.request_id, subtype: request.subtype, request };
    }
    case "control_response": {
      const response = value.response;
      if (!isRecord(response) || typeof response.request_id !== "string") {
        return { kind: "invalid", reason: "a control_response needs response.request_id" };
      }
      if (response.subtype === "error") {
        const error = typeof response.error === "string" ? response.error : "the host answered with an error";
        return { kind: "control_response", requestId: response.request_id, error };
      }
      const payload = isRecord(response.response) ? response.response : {};
      return { kind: "control_response", requestId: response.request_id, response: payload };
    }
    case "control_cancel_request":
      return typeof value.request_id === "string"
        ? { kind: "control_cancel_request", requestId: value.request_id }
        : { kind: "invalid", reason: "a control_cancel_request needs request_id" };
    case "keep_alive":
      return { kind: "keep_alive" };
    case "update_environment_variables": {
      const variables: Record<string, string> = {};
      if (isRecord(value.variables)) {
        for (const [k, v] of Object.entries(value.variables)) if (typeof v === "string") variables[k] = v;
      }
      return { kind: "environment", variables };
    }
    default:
      // assistant/system lines (a transcript piped back in) carry nothing to act on.
      return { kind: "ignored", type: value.type };
  }
}

function parseUser(value: Record<string, unknown>): HostLine {
  const message = value.message;
  if (!isRecord(message)) return { kind: "invalid", reason: "a user line needs a message object" };
  const content = message.content;
  const uuid = typeof value.uuid === "string" ? value.uuid : undefined;
  if (typeof content === "string") return { kind: "user", content, uuid, raw: value };
  if (!Array.isArray(content) || !content.every((b) => isRecord(b) && typeof b.type === "string")) {
    return { kind: "invalid", reason: "message.content must be a string or an array of content blocks" };
  }
  return { kind: "user", content: content as ContentBlock[], uuid, raw: value };
}

/** The text of a user message, for hooks and logs ("" for blocks without text). */
export function userText(content: string | ContentBlock[]): string {
  if (typeof content === "string") return content;
  return content
    .filter((b): b is { type: "text"; text: string } => b.type === "text")
    .map((b) => b.text)
    .join("\n");
}
