// Builds the OAuth config from the merged settings (user < project < local < --settings), naming the file(s)
// that hold the `oauth` block when a field is missing or wrong. The silent refresh at startup reads only the
// user's own settings and --settings: a cloned repository must not choose where the refresh token goes.
import { join } from "node:path";
import {
  noOAuthConfigMessage,
  type OAuthConfig,
  OAuthConfigError,
  validateOAuthConfig,
} from "../auth/oauth-config.js";
import type { LoadedSettings } from "../config/settings.js";

export interface OAuthSettingsOptions {
  /** Ignore project and local settings files (for the unattended token refresh). */
  userOnly?: boolean;
}

export function oauthConfigFromSettings(
  loaded: LoadedSettings,
  configHome: string,
  options: OAuthSettingsOptions = {},
): OAuthConfig {
  const userFile = join(configHome, "settings.json");
  const chosen = options.userOnly ? (loaded.userOnly ?? loaded) : loaded;
  const block = chosen.settings.oauth as Record<string, unknown> | undefined;
  const files = oauthFiles(chosen.sources);
  if (!block || Object.keys(block).length === 0) {
    const ignored = options.userOnly ? oauthFiles(loaded.sources) : [];
    const hint =
      ignored.length > 0
        ? ` (the oauth settings in ${ignored.join(" and ")} are not used to refresh a saved login: a project's settings may not choose where tokens are sent)`
        : "";
    throw new OAuthConfigError(`${noOAuthConfigMessage(userFile)}${hint}`);
  }
  return validateOAuthConfig(block, files.length > 0 ? files.join(" or ") : userFile);
}

/** Project or local settings files that set any `oauth` field (a login then sends its code there). */
export function projectOAuthFiles(loaded: LoadedSettings): string[] {
  const trusted = new Set(Object.values(loaded.userOnly?.sources ?? {}));
  return oauthFiles(loaded.sources).filter((file) => !trusted.has(file));
}

function oauthFiles(sources: Record<string, string>): string[] {
  return [
    ...new Set(
      Object.entries(sources)
        .filter(([key]) => key === "oauth" || key.startsWith("oauth."))
        .map(([, source]) => source),
    ),
  ];
}
