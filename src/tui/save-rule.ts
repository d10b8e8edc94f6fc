// "Allow and save": adds a rule to permissions.allow in the project's .claude/settings.local.json,
// keeping every other key, with an atomic write. A file we cannot parse is left untouched.
import { settingsFileCandidates } from "../config/settings.js";
import { isRecord } from "../util/is-record.js";
import { editJsonFile } from "../util/json-file-edit.js";

export function localSettingsPath(cwd: string, configHome: string): string {
  const local = settingsFileCandidates({ cwd, configHome }).find((f) => f.scope === "local");
  return local!.path;
}

/** Returns an error line for the user, or undefined when the rule was saved (or already there). */
export async function saveAllowRule(path: string, rule: string): Promise<string | undefined> {
  // Locked like `claw mcp add`, which rewrites the same file: without it one writer's key is lost (FAULTS S6).
  try {
    await editJsonFile(path, (doc) => {
      const permissions = isRecord(doc.permissions) ? doc.permissions : {};
      const allow = Array.isArray(permissions.allow) ? [...(permissions.allow as unknown[])] : [];
      if (allow.includes(rule)) return false;
      allow.push(rule);
      doc.permissions = { ...permissions, allow };
      return true;
    });
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `Could not save the rule: ${reason}. Add "${rule}" to permissions.allow yourself; it applies for this session.`;
  }
}
