// User-facing messages for API failures: one line each, saying what happened and what to do, naming the
// credential that was used but never its value.

import { isRecord } from "../util/is-record.js";
import type { AuthSource } from "./auth-source.js";
import { oneLine } from "./message-assembler.js";
import type { ApiError, ApiErrorKind } from "./types.js";

/** The API's error body ({type:"error", error:{type, message}}), or a line of whatever else came back. */
export function parseErrorBody(text: string): { type?: string; message: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && isRecord(parsed.error)) {
      const type = typeof parsed.error.type === "string" ? parsed.error.type : undefined;
      const message = typeof parsed.error.message === "string" ? oneLine(parsed.error.message) : "";
      return { type, message };
    }
  } catch {
    // not JSON: a proxy's page or plain text
  }
  // Bodies that are not the API's JSON (HTML error pages) are not shown: they are noise on one line.
  const plain = text.trim();
  return { message: plain && !plain.startsWith("<") ? oneLine(plain, 200) : "" };
}

export function isPromptTooLong(status: number, message: string): boolean {
  return status === 413 || (status === 400 && /prompt is too long|too many (input )?tokens/i.test(message));
}

/** The kind an HTTP error status maps to. */
export function kindForStatus(status: number, message: string): ApiErrorKind {
  if (isPromptTooLong(status, message)) return "prompt_too_long";
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limit";
  if (status === 529) return "overloaded";
  if (status >= 500) return "server";
  return "invalid_request";
}

/** A failure in two parts, so retry details can go between what happened and what to do. */
export interface Explained {
  what: string;
  advice: string;
}

export function sentence(e: Explained): string {
  return e.advice ? `${e.what}. ${e.advice}` : `${e.what}.`;
}

export function httpErrorMessage(
  status: number,
  body: { type?: string; message: string },
  auth: AuthSource,
): string {
  return sentence(explainHttpError(status, body, auth));
}

export function explainHttpError(
  status: number,
  body: { type?: string; message: string },
  auth: AuthSource,
): Explained {
  const detail = body.message ? `: ${body.message.replace(/\.$/, "")}` : "";
  const label = body.type ? `${status} ${body.type}` : `${status}`;
  if (isPromptTooLong(status, body.message)) {
    return {
      what: `The conversation is too long for the model (${label})${detail}`,
      advice: "Compact it (/compact) or start a new session.",
    };
  }
  switch (status) {
    case 401:
      return {
        what: `Authentication failed (${label}) using ${auth.describe()}${detail}`,
        advice: auth.fixAdvice(),
      };
    case 403:
      return {
        what: `Permission denied (${label}) for ${auth.describe()}${detail}`,
        advice: `Check that this credential may use the model. ${auth.fixAdvice()}`,
      };
    case 404:
      return {
        what: `The API answered 404 (${body.type ?? "not found"})${detail}`,
        advice: "Check the model name (--model) and ANTHROPIC_BASE_URL.",
      };
    case 429:
      return { what: `Rate limited by the API (${label})${detail}`, advice: "Wait a moment and try again." };
    case 529:
      return { what: `The API is overloaded (${label})${detail}`, advice: "Try again in a little while." };
    default:
      if (status >= 500) {
        return {
          what: `The API had a server error (${label})${detail}`,
          advice: "Try again in a little while.",
        };
      }
      return { what: `The API rejected the request (${label})${detail}`, advice: "" };
  }
}

/** Replaces any credential value that a server or proxy might echo back. */
export function redact(text: string, auth: AuthSource): string {
  let out = text;
  for (const secret of [auth.apiKey, auth.bearerToken]) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

export function apiError(kind: ApiErrorKind, message: string, auth: AuthSource, status?: number): ApiError {
  return { kind, message: redact(message, auth), ...(status !== undefined ? { status } : {}) };
}

/** "Gave up after 3 attempts: the API …" — the attempt count leads, the explanation follows. */
export function afterAttempts(attempts: number, message: string): string {
  if (attempts <= 1) return message;
  return `Gave up after ${attempts} attempts: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}
