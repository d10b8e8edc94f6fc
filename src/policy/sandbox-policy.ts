// Sandbox policy: which settings count (a project the user has not trusted may turn the sandbox on, never
// loosen it), and where one Bash call runs — inside the OS sandbox or outside it (excluded commands, an
// approved dangerouslyDisableSandbox, or no sandbox at all). The gate and the Bash tool ask the same question.
import type { Settings } from "../config/settings-schema.js";
import { splitCompoundCommand } from "./bash-split.js";
import { parsePermissionRule } from "./permission-rules.js";

export interface SandboxSettings {
  enabled: boolean;
  /** Sandboxed Bash runs without asking (default and workspace-write modes). */
  autoAllowBashIfSandboxed: boolean;
  /** Commands that always run outside the sandbox, after the usual approval (`docker`, `git push`). */
  excludedCommands: string[];
  /** Whether `dangerouslyDisableSandbox: true` may take a command outside (with approval); false ignores it. */
  allowUnsandboxedCommands: boolean;
  /** Hosts sandboxed commands may reach through claw's proxy. */
  allowedDomains: string[];
}

type SandboxBlock = NonNullable<Settings["sandbox"]>;

/**
 * The effective sandbox settings. Trusted: the merged settings. Untrusted: the user's own (and --settings),
 * except that the project may switch the sandbox on and may forbid leaving it; it cannot switch it off,
 * exclude commands, open the network, or make sandboxed commands run unasked unless the user's own settings do.
 */
export function resolveSandboxSettings(options: {
  merged: SandboxBlock | undefined;
  userOnly: SandboxBlock | undefined;
  trusted: boolean;
  /** Allow rules that count (the trusted ones): WebFetch(domain:…) hosts become network allowances. */
  allowRules: readonly string[];
}): SandboxSettings {
  const merged = options.merged ?? {};
  const user = options.userOnly ?? {};
  const own = options.trusted ? merged : user;
  const enabled = options.trusted
    ? merged.enabled === true
    : user.enabled === true || merged.enabled === true;
  const allowUnsandboxed = options.trusted
    ? merged.allowUnsandboxedCommands !== false
    : user.allowUnsandboxedCommands !== false && merged.allowUnsandboxedCommands !== false;
  return {
    enabled,
    autoAllowBashIfSandboxed: own.autoAllowBashIfSandboxed ?? own.enabled === true,
    excludedCommands: [...(own.excludedCommands ?? [])].map((c) => c.trim()).filter(Boolean),
    allowUnsandboxedCommands: allowUnsandboxed,
    allowedDomains: [
      ...new Set([...(own.network?.allowedDomains ?? []), ...webFetchDomains(options.allowRules)]),
    ],
  };
}

/** The hosts of `WebFetch(domain:…)` rules (`*.example.com` kept as written). */
export function webFetchDomains(rules: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of rules) {
    const parsed = parsePermissionRule(text);
    if (!parsed.ok || parsed.rule.tool !== "WebFetch") continue;
    const content = parsed.rule.content;
    if (content?.startsWith("domain:")) out.push(content.slice("domain:".length).trim().toLowerCase());
  }
  return out.filter(Boolean);
}

export type SandboxPlacement =
  | { where: "sandbox" }
  | {
      where: "outside";
      /** off: sandbox disabled; unavailable: it cannot run here; excluded: settings; requested: dangerouslyDisableSandbox. */
      why: "off" | "unavailable" | "excluded" | "requested";
    };

export interface BashSandboxInput {
  command: string;
  dangerouslyDisableSandbox?: boolean | undefined;
}

/** Where one Bash call runs; `available` is false when the OS sandbox cannot start on this machine. */
export function placeBashCall(
  settings: SandboxSettings,
  available: boolean,
  input: BashSandboxInput,
): SandboxPlacement {
  if (!settings.enabled) return { where: "outside", why: "off" };
  if (!available) return { where: "outside", why: "unavailable" };
  if (isExcludedCommand(input.command, settings.excludedCommands))
    return { where: "outside", why: "excluded" };
  if (input.dangerouslyDisableSandbox === true && settings.allowUnsandboxedCommands)
    return { where: "outside", why: "requested" };
  return { where: "sandbox" };
}

/**
 * True when any simple command of the line starts with an excluded command's words (`docker` covers
 * `docker ps`; `docker:*` is accepted as Claude Code's rule spelling). One excluded part takes the whole line
 * outside, where the usual approval applies to all of it.
 */
export function isExcludedCommand(command: string, excluded: readonly string[]): boolean {
  if (excluded.length === 0) return false;
  const prefixes = excluded.map((entry) => words(entry.replace(/:\*$/, "").replace(/\s\*$/, "")));
  return splitCompoundCommand(command).some((part) => {
    const partWords = words(stripAssignments(part.text));
    return prefixes.some(
      (prefix) => prefix.length > 0 && prefix.every((word, index) => partWords[index] === word),
    );
  });
}

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

/** `FOO=1 docker ps` runs docker. */
function stripAssignments(text: string): string {
  return text.replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, "");
}
