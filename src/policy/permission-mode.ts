// Permission mode names: ours and Claude Code's aliases, as given by a flag, settings or the environment.
import type { PermissionMode } from "./permission-types.js";

const MODE_NAMES: Record<string, PermissionMode> = {
  "read-only": "read-only",
  "workspace-write": "workspace-write",
  "danger-full-access": "danger-full-access",
  default: "default",
  plan: "read-only",
  acceptEdits: "workspace-write",
  bypassPermissions: "danger-full-access",
};

/** Parses a mode from a flag, settings or env (Claude Code's names accepted). */
export function parsePermissionMode(
  text: string,
): { ok: true; mode: PermissionMode } | { ok: false; error: string } {
  const key = text.trim();
  if (Object.hasOwn(MODE_NAMES, key)) return { ok: true, mode: MODE_NAMES[key]! };
  return {
    ok: false,
    error: `Unknown permission mode "${text}"; use one of: ${Object.keys(MODE_NAMES).join(", ")}.`,
  };
}
