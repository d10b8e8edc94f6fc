// The `oauth` block of settings.json (user, project, local; later files override earlier ones field by field),
// validated with messages that name the missing field and the file to put it in.
import { promises as fs } from "node:fs";
import { join } from "node:path";

export interface OAuthConfig {
  clientId: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Fixed loopback port for the callback; undefined → an ephemeral port. */
  callbackPort: number | undefined;
  scopes: string[];
}

export class OAuthConfigError extends Error {}

export interface OAuthConfigLocation {
  configHome: string;
  cwd: string;
}

/** The settings files that may hold `oauth`, lowest precedence first. */
function settingsFiles(location: OAuthConfigLocation): string[] {
  return [
    join(location.configHome, "settings.json"),
    join(location.cwd, ".claude", "settings.json"),
    join(location.cwd, ".claude", "settings.local.json"),
  ];
}

async function readOAuthBlock(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new OAuthConfigError(`cannot read ${path} (${code ?? "error"}); fix its permissions and retry`);
  }
  if (text.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OAuthConfigError(`${path} is not valid JSON; fix the file and retry`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new OAuthConfigError(`${path} must contain a JSON object; fix the file and retry`);
  }
  const block = (parsed as Record<string, unknown>).oauth;
  if (block === undefined) return undefined;
  if (typeof block !== "object" || block === null || Array.isArray(block)) {
    throw new OAuthConfigError(
      `"oauth" in ${path} must be an object like {"clientId": ..., "authorizeUrl": ..., "tokenUrl": ...}`,
    );
  }
  return block as Record<string, unknown>;
}

/** http is only acceptable on the loopback interface (local gateways, tests); everything else must be https. */
function isAllowedEndpoint(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]" || hostname === "::1";
}

/** Validates a merged `oauth` block; `where` names the file(s) to fix in the message. */
export function validateOAuthConfig(raw: Record<string, unknown>, where: string): OAuthConfig {
  const fieldError = (field: string, problem: string) =>
    new OAuthConfigError(`oauth.${field} ${problem}: set it in the "oauth" block of ${where}`);
  const requireString = (field: "clientId" | "authorizeUrl" | "tokenUrl"): string => {
    const value = raw[field];
    if (value === undefined) throw fieldError(field, "is missing");
    if (typeof value !== "string" || value.trim() === "")
      throw fieldError(field, "must be a non-empty string");
    return value.trim();
  };
  const requireUrl = (field: "authorizeUrl" | "tokenUrl"): string => {
    const value = requireString(field);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw fieldError(field, `is not a valid URL (${JSON.stringify(value)})`);
    }
    if (!isAllowedEndpoint(url))
      throw fieldError(field, "must be an https:// URL (http:// only for 127.0.0.1)");
    return url.href;
  };
  const clientId = requireString("clientId");
  const authorizeUrl = requireUrl("authorizeUrl");
  const tokenUrl = requireUrl("tokenUrl");
  let callbackPort: number | undefined;
  if (raw.callbackPort !== undefined && raw.callbackPort !== null) {
    const port = raw.callbackPort;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535)
      throw fieldError("callbackPort", "must be a port number between 0 and 65535");
    callbackPort = port === 0 ? undefined : port;
  }
  let scopes: string[] = [];
  if (raw.scopes !== undefined && raw.scopes !== null) {
    if (!Array.isArray(raw.scopes) || raw.scopes.some((s) => typeof s !== "string" || s.trim() === ""))
      throw fieldError("scopes", 'must be a list of scope names like ["openid", "offline_access"]');
    scopes = (raw.scopes as string[]).map((s) => s.trim());
  }
  return { clientId, authorizeUrl, tokenUrl, callbackPort, scopes };
}

export function noOAuthConfigMessage(userSettingsFile: string): string {
  return `no OAuth server configured: add "oauth": {"clientId": ..., "authorizeUrl": ..., "tokenUrl": ...} to ${userSettingsFile} (or .claude/settings.json in the project)`;
}

/**
 * The fallback reader for callers without the settings loader (src/config sits above this layer; the CLI
 * passes its settings instead). It is used to refresh a saved login, which sends the refresh token to
 * `tokenUrl`: so only the user's own settings count — a cloned repository's .claude/settings.json must never
 * redirect that token. Throws OAuthConfigError naming the missing field and the user settings path.
 */
export async function loadOAuthConfig(location: OAuthConfigLocation): Promise<OAuthConfig> {
  const files = settingsFiles(location).slice(0, 1);
  const merged: Record<string, unknown> = {};
  const found: string[] = [];
  for (const file of files) {
    const block = await readOAuthBlock(file);
    if (!block) continue;
    found.push(file);
    Object.assign(merged, block);
  }
  if (found.length === 0) throw new OAuthConfigError(noOAuthConfigMessage(files[0] as string));
  return validateOAuthConfig(merged, found.length === 1 ? (found[0] as string) : found.join(" or "));
}
