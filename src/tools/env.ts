// The environment of every subprocess a tool starts: the user's environment minus claw's credentials,
// other secrets and config-dir overrides, plus settings `env`, plus switches that keep commands non-interactive.
import { isSensitiveEnvName, isSensitiveEnvValue, withoutSensitiveEnv } from "../util/sensitive-env.js";

/** Commands run with no terminal: anything that would open an editor or pager must not wait for one. */
const NON_INTERACTIVE: Record<string, string> = {
  GIT_EDITOR: "true",
  GIT_SEQUENCE_EDITOR: "true",
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  PAGER: "cat",
  CLAW: "1",
};

/**
 * The environment for a subprocess. `extra` (settings `env`) is filtered the same way: a user who puts
 * ANTHROPIC_API_KEY in settings means it for claw, not for every command the model runs.
 */
export function subprocessEnv(
  extra: Record<string, string> = {},
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env = withoutSensitiveEnv(base);
  for (const [name, value] of Object.entries(extra)) {
    if (!isSensitiveEnvName(name) && !isSensitiveEnvValue(name, value)) env[name] = value;
  }
  Object.assign(env, NON_INTERACTIVE);
  if (!env.PATH) env.PATH = "/usr/local/bin:/usr/bin:/bin";
  // A directory the model wrote that looks like a bare repository (HEAD, config, objects/) would otherwise be
  // used by a `cd dir && git status` that runs without asking, and its config can name programs (core.fsmonitor).
  addGitConfig(env, "safe.bareRepository", "explicit");
  return env;
}

/** Appends one `-c key=value` for every git the command starts, keeping the user's GIT_CONFIG_COUNT entries. */
function addGitConfig(env: Record<string, string>, key: string, value: string): void {
  const count = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10);
  const index = Number.isSafeInteger(count) && count > 0 ? count : 0;
  env[`GIT_CONFIG_KEY_${index}`] = key;
  env[`GIT_CONFIG_VALUE_${index}`] = value;
  env.GIT_CONFIG_COUNT = String(index + 1);
}
