// Builds the OAuth config from the merged settings (user < project < local < --settings), naming the file(s)
// that hold the `oauth` block when a field is missing or wrong.
import { join } from "node:path";
import {
  noOAuthConfigMessage,
  type OAuthConfig,
  OAuthConfigError,
  validateOAuthConfig,
} from "../auth/oauth-config.js";
import type { LoadedSettings } from "../config/settings.js";

export function oauthConfigFromSettings(loaded: LoadedSettings, configHome: string): OAuthConfig {
  const userFile = join(configHome, "settings.json");
  const block = loaded.settings.oauth as Record<string, unknown> | undefined;
  const files = [
    ...new Set(
      Object.entries(loaded.sources)
        .filter(([key]) => key === "oauth" || key.startsWith("oauth."))
        .map(([, source]) => source),
    ),
  ];
  if (!block || Object.keys(block).length === 0) throw new OAuthConfigError(noOAuthConfigMessage(userFile));
  return validateOAuthConfig(block, files.length > 0 ? files.join(" or ") : userFile);
}
