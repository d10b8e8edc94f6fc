// The runtime's model providers: one router that sends each model to Anthropic, Bedrock, Vertex AI or an
// OpenAI-compatible endpoint. Anthropic credentials are resolved at startup only when the model needs them.
import type { AuthSource } from "../api/auth-source.js";
import { smallFastModel } from "../api/models.js";
import {
  claudeBackend,
  createProviderRouter,
  describeProvider,
  formatProviderInfo,
  openAiEndpointFor,
  type ProviderRouter,
  type ProviderSelectionOptions,
} from "../api/provider-selection.js";
import { apiKeySourceName, type RunPlace, type RunSettings, RuntimeError, resolveAuth } from "./assembly.js";

export interface ProviderSetup {
  router: ProviderRouter;
  /** The Anthropic API's credentials; undefined while nothing has needed them (Bedrock, Vertex, OpenAI). */
  auth(): AuthSource | undefined;
  /** As Claude Code's init line names it; "none" when no Anthropic credential is in use. */
  apiKeySource(): string;
  /** One line on a model's provider: region/project/endpoint and where its credentials come from. */
  describe(model: string): Promise<string>;
  /** The model for side requests (WebFetch summaries). */
  smallFastModel: string;
}

export async function setupProviders(
  place: RunPlace,
  settings: RunSettings,
  model: string,
): Promise<ProviderSetup> {
  // Named endpoints come from the user's own settings: a cloned project may not choose where a key is sent.
  const selection: ProviderSelectionOptions = {
    env: place.env,
    endpoints: (settings.loaded.userOnly?.settings ?? settings.merged).providers,
  };
  const openAiRoute = openAiEndpointFor(model, selection);
  const needsAnthropic = openAiRoute === undefined && claudeBackend(place.env) === "anthropic";
  if (!needsAnthropic) {
    // A missing region, project or endpoint is one line now, before anything starts.
    const described = await describeProvider(model, selection);
    if (typeof described === "string") throw new RuntimeError(described);
  }
  let auth = needsAnthropic ? await resolveAuth(place, settings) : undefined;
  const router = createProviderRouter({
    ...selection,
    webSearch: needsAnthropic,
    // A later /model to the Anthropic API asks for its credentials then.
    anthropicAuth: async () => {
      auth ??= await resolveAuth(place, settings);
      return auth;
    },
  });
  return {
    router,
    auth: () => auth,
    apiKeySource: () => (auth ? apiKeySourceName(auth) : "none"),
    async describe(current: string) {
      const info = await describeProvider(current, {
        ...selection,
        anthropicCredentials: () => auth?.describe() ?? "not needed yet",
      });
      return typeof info === "string" ? info : formatProviderInfo(info);
    },
    // Another vendor's model summarises too: Claude's Haiku may not be reachable from there.
    smallFastModel: openAiRoute && !place.env.ANTHROPIC_SMALL_FAST_MODEL ? model : smallFastModel(place.env),
  };
}
