// Project trust outside the REPL (-p, the Agent SDK, ACP): scripts keep working, so a project's own hooks, MCP
// servers and permission loosening apply by default — but never silently (one stderr line names them). With
// CLAW_UNTRUSTED_PROJECT=1 or "trustProjectsInPrintMode": false in the user's settings, a folder the user has
// not trusted (in the REPL) is treated as the REPL treats it: its code off, loosening ignored.
import type { LoadedSettings } from "../config/settings.js";
import { sourceOf } from "../config/settings-merge.js";
import { isFolderTrusted } from "../config/trust.js";
import type { RunPlace, RunSettings } from "./assembly.js";
import { hasProjectCode, type ProjectCode, skippedNotice } from "./project-trust.js";

export const UNTRUSTED_ENV = "CLAW_UNTRUSTED_PROJECT";

/** Why a scripted run treats the folder as untrusted, or undefined when it trusts it. */
export function scriptedDistrust(
  place: { cwd: string; configHome: string; env: NodeJS.ProcessEnv },
  loaded: LoadedSettings,
): string | undefined {
  const flag = place.env[UNTRUSTED_ENV];
  const byEnv = flag !== undefined && flag !== "" && flag !== "0" && flag.toLowerCase() !== "false";
  const bySetting = loaded.userOnly?.settings.trustProjectsInPrintMode === false;
  if (!byEnv && !bySetting) return undefined;
  if (isFolderTrusted({ cwd: place.cwd, configHome: place.configHome, env: place.env })) return undefined;
  return byEnv ? `${UNTRUSTED_ENV} is set` : `"trustProjectsInPrintMode" is false`;
}

/** Whether `path` (a key path in the merged settings) was set by the project's own files. */
function fromProject(loaded: LoadedSettings, path: string): boolean {
  const source = sourceOf(new Map(Object.entries(loaded.sources)), path);
  return loaded.files.some(
    (file) => file.path === source && (file.scope === "project" || file.scope === "local"),
  );
}

/** Modes no looser than asking: a project choosing them loosens nothing. */
const STRICT_MODES = new Set(["default", "plan", "read-only"]);

/**
 * The permission and sandbox values the project's files set that an untrusted folder would not get: its mode,
 * allow rules, extra directories and sandbox relaxations (deny and ask rules always apply, so are not named).
 */
export function projectLoosening(loaded: LoadedSettings): string[] {
  const out: string[] = [];
  const permissions = loaded.settings.permissions ?? {};
  const mode = permissions.defaultMode;
  if (mode && !STRICT_MODES.has(mode) && fromProject(loaded, "permissions.defaultMode"))
    out.push(`defaultMode ${mode}`);
  for (const key of ["allow", "additionalDirectories"] as const) {
    (permissions[key] ?? []).forEach((value, index) => {
      if (fromProject(loaded, `permissions.${key}[${index}]`)) out.push(`${key} ${value}`);
    });
  }
  const sandbox = loaded.settings.sandbox ?? {};
  const lists: Array<[string, unknown]> = [
    ["sandbox.network.allowedDomains", sandbox.network?.allowedDomains],
    ["sandbox.excludedCommands", sandbox.excludedCommands],
  ];
  for (const [path, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      if (fromProject(loaded, `${path}[${index}]`)) out.push(`${path} ${String(item)}`);
    });
  }
  for (const [key, value] of Object.entries(sandbox)) {
    if (key === "network" || key === "excludedCommands") continue;
    // Turning the sandbox on (or keeping it closed) tightens; everything else the project sets may loosen.
    if (key === "enabled" && value === true) continue;
    if (key === "allowUnsandboxedCommands" && value === false) continue;
    if (fromProject(loaded, `sandbox.${key}`)) out.push(`sandbox.${key} ${JSON.stringify(value)}`);
  }
  return out;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** The line a scripted run prints when a project's own code and loosening apply; undefined when none does. */
export function appliedNotice(code: ProjectCode, loosening: string[]): string | undefined {
  const parts: string[] = [];
  if (code.hooks.length > 0)
    parts.push(`hooks (${code.hooks.map((h) => `${h.event}: ${oneLine(h.command)}`).join("; ")})`);
  if (code.servers.length > 0) parts.push(`MCP servers (${code.servers.map((s) => s.name).join(", ")})`);
  if (loosening.length > 0) parts.push(`permissions (${loosening.map(oneLine).join(", ")})`);
  if (parts.length === 0) return undefined;
  return `claw: this project's own ${parts.join(", ")} apply; set ${UNTRUSTED_ENV}=1 (or "trustProjectsInPrintMode": false in your settings) to leave them out.`;
}

/** The one line about a project's own hooks, servers and loosening: applied (scripted runs) or left out. */
export function announceProjectTrust(
  place: Pick<RunPlace, "cwd" | "configHome" | "env" | "warn">,
  settings: RunSettings,
  code: ProjectCode,
): void {
  const warn = place.warn;
  if (settings.trusted) {
    const line = settings.scripted ? appliedNotice(code, projectLoosening(settings.loaded)) : undefined;
    // A folder the user trusted in the REPL needs no reminder.
    if (line && !isFolderTrusted(place)) warn(line);
    return;
  }
  const distrust = settings.scripted?.distrust;
  const loosening = distrust ? projectLoosening(settings.loaded) : [];
  if (hasProjectCode(code) || loosening.length > 0) warn(skippedNotice(code, distrust, loosening));
}
