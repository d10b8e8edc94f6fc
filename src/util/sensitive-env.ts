// Which environment variables are secrets or claw's own configuration: never handed to a subprocess
// (tool commands, hooks, git run by claw itself).

/** Names that look like credentials. */
const SECRET_NAME = /TOKEN|SECRET|API_?KEY|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY|SESSION_KEY/i;

/** claw's and Claude Code's own configuration, which a nested agent must not inherit by accident. */
const CLAW_OWN = /^(ANTHROPIC_|CLAUDE_CODE_|CLAW_)|^CLAUDE_CONFIG_(HOME|DIR)$/;

/** Kept even though they match the patterns above: needed by common tools, not secrets themselves. */
const ALWAYS_KEEP = new Set(["SSH_AUTH_SOCK", "GPG_AGENT_INFO"]);

/** claw's own credentials and configuration only (other secrets not included). */
export function isClawOwnEnvName(name: string): boolean {
  return CLAW_OWN.test(name);
}

export function isSensitiveEnvName(name: string): boolean {
  if (ALWAYS_KEEP.has(name)) return false;
  return isClawOwnEnvName(name) || SECRET_NAME.test(name);
}

/** A copy of `env` without the sensitive names. */
export function withoutSensitiveEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSensitiveEnvName(name)) out[name] = value;
  }
  return out;
}
