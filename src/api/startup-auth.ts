// The startup auth resolver: env credentials first, then saved OAuth (with refresh). Only the CLI calls this;
// AuthSource.fromEnv() stays env-only for every other caller.
import { AuthSource, NO_CREDENTIALS_MESSAGE } from "./auth-source.js";

export class StartupAuthError extends Error {}

export interface StartupAuthOptions {
  env?: NodeJS.ProcessEnv;
  configHome: string;
}

export async function resolveStartupAuth(options: StartupAuthOptions): Promise<AuthSource> {
  const fromEnv = AuthSource.fromEnv(options.env ?? process.env);
  if (fromEnv) return fromEnv;
  // Saved OAuth credentials plug in here (issue: OAuth login).
  throw new StartupAuthError(NO_CREDENTIALS_MESSAGE);
}
