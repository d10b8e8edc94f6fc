// User-facing messages for API failures: one line each, saying what happened and what to do, naming the
// credential that was used but never its value.

import { isRecord } from "../util/is-record.js";
import { oneLine } from "./message-assembler.js";
import type { ApiError, ApiErrorKind } from "./types.js";

/**
 * Who answers and with which credential, as error messages name them. Each provider has one: the Anthropic
 * API with its key or login, Bedrock with AWS credentials, and so on. Secret values are only for redaction.
 */
export interface ErrorContext {
  /** "the API", "Bedrock", "the OpenAI-compatible endpoint". */
  service: string;
  /** The variable that points claw at another endpoint, named in advice. */
  baseUrlVar: string;
  /** Names the credential in use ("ANTHROPIC_API_KEY"), never its value. */
  describe(): string;
  /** Values that must never appear in a message (echoed back by a server or proxy). */
  secrets(): ReadonlyArray<string | undefined>;
  /** What to do after a 401 / a 403. */
  authAdvice: string;
  accessAdvice: string;
}

/**
 * The API's error body ({type:"error", error:{type, message}}; OpenAI's {error:{message, type|code}}; AWS's
 * {message} or {Message}), or a line of whatever else came back.
 */
export function parseErrorBody(text: string): { type?: string; message: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && isRecord(parsed.error)) {
      const rawType = parsed.error.type ?? parsed.error.code;
      const type = typeof rawType === "string" ? rawType : undefined;
      const message = typeof parsed.error.message === "string" ? oneLine(parsed.error.message) : "";
      return { type, message };
    }
    const awsMessage = isRecord(parsed) ? (parsed.message ?? parsed.Message) : undefined;
    if (typeof awsMessage === "string") return { message: oneLine(awsMessage) };
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
  ctx: ErrorContext,
): string {
  return sentence(explainHttpError(status, body, ctx));
}

export function explainHttpError(
  status: number,
  body: { type?: string; message: string },
  ctx: ErrorContext,
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
        what: `Authentication failed (${label}) using ${ctx.describe()}${detail}`,
        advice: ctx.authAdvice,
      };
    case 403:
      return {
        what: `Permission denied (${label}) for ${ctx.describe()}${detail}`,
        advice: ctx.accessAdvice,
      };
    case 404:
      return {
        what: `${capitalised(ctx.service)} answered 404 (${body.type ?? "not found"})${detail}`,
        advice: `Check the model name (--model) and ${ctx.baseUrlVar}.`,
      };
    case 429:
      return {
        what: `Rate limited by ${ctx.service} (${label})${detail}`,
        advice: "Wait a moment and try again.",
      };
    case 529:
      return {
        what: `${capitalised(ctx.service)} is overloaded (${label})${detail}`,
        advice: "Try again in a little while.",
      };
    default:
      if (status >= 500) {
        return {
          what: `${capitalised(ctx.service)} had a server error (${label})${detail}`,
          advice: "Try again in a little while.",
        };
      }
      return { what: `${capitalised(ctx.service)} rejected the request (${label})${detail}`, advice: "" };
  }
}

/** Replaces any credential value that a server or proxy might echo back. */
export function redact(text: string, ctx: Pick<ErrorContext, "secrets">): string {
  let out = text;
  for (const secret of ctx.secrets()) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

export function apiError(
  kind: ApiErrorKind,
  message: string,
  ctx: Pick<ErrorContext, "secrets">,
  status?: number,
): ApiError {
  return { kind, message: redact(message, ctx), ...(status !== undefined ? { status } : {}) };
}

/** "Gave up after 3 attempts: the API …" — the attempt count leads, the explanation follows. */
export function afterAttempts(attempts: number, message: string): string {
  if (attempts <= 1) return message;
  return `Gave up after ${attempts} attempts: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
