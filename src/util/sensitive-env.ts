// Which environment variables are secrets or claw's own configuration: never handed to a subprocess
// (tool commands, hooks, git run by claw itself).

/** Names that look like credentials (`OPENAI_KEY`, `DB_PASS`, `SMTP_PWD`, `AUTH` …). */
const SECRET_NAME =
  /TOKEN|SECRET|API_?KEY|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY|SESSION_KEY|(^|_)(KEY|PASS|PWD|AUTH|COOKIE|DSN)$/i;

/**
 * Values that are credentials whatever the variable is called: a URL with a password in it
 * (`postgres://app:pw@db/x`), and the prefixes of common API keys and tokens, and JWTs.
 */
const SECRET_VALUE =
  /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@|^(sk-|sk_live_|rk_live_|ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|xox[abpr]-|npm_[A-Za-z0-9]{20}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30})|^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

/** claw's and Claude Code's own configuration, which a nested agent must not inherit by accident. */
const CLAW_OWN = /^(ANTHROPIC_|CLAUDE_CODE_|CLAW_)|^CLAUDE_CONFIG_(HOME|DIR)$/;

/** Kept even though they match the patterns above: needed by common tools, not secrets themselves. */
const ALWAYS_KEEP = new Set(["SSH_AUTH_SOCK", "GPG_AGENT_INFO", "PWD", "OLDPWD", "XAUTHORITY"]);

/** Proxies may carry a password, but commands need them to reach the network at all. */
const PROXY_NAME = /^(https?|all|no|ftp)_proxy$/i;

/** claw's own credentials and configuration only (other secrets not included). */
export function isClawOwnEnvName(name: string): boolean {
  return CLAW_OWN.test(name);
}

export function isSensitiveEnvName(name: string): boolean {
  if (ALWAYS_KEEP.has(name)) return false;
  return isClawOwnEnvName(name) || SECRET_NAME.test(name);
}

/** True when the value itself looks like a credential (kept for proxies, which commands need). */
export function isSensitiveEnvValue(name: string, value: string): boolean {
  return !PROXY_NAME.test(name) && SECRET_VALUE.test(value.trim());
}

/** A copy of `env` without the sensitive names and the values shaped like credentials. */
export function withoutSensitiveEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSensitiveEnvName(name) && !isSensitiveEnvValue(name, value))
      out[name] = value;
  }
  return out;
}
