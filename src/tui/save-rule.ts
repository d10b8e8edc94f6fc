// "Allow and save": adds a rule to permissions.allow in the project's .claude/settings.local.json,
// keeping every other key, with an atomic write. A file we cannot parse is left untouched.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { withFileLock } from "../auth/credentials-lock.js";
import { settingsFileCandidates } from "../config/settings.js";
import { writeFileAtomic } from "../util/atomic-write.js";

export function localSettingsPath(cwd: string, configHome: string): string {
  const local = settingsFileCandidates({ cwd, configHome }).find((f) => f.scope === "local");
  return local!.path;
}

/** Returns an error line for the user, or undefined when the rule was saved (or already there). */
export async function saveAllowRule(path: string, rule: string): Promise<string | undefined> {
  // Locked like `claw mcp add`, which rewrites the same file: without it one writer's key is lost (FAULTS S6).
  try {
    mkdirSync(dirname(path), { recursive: true });
    return await withFileLock(path, { waitMs: 10_000 }, () => saveAllowRuleUnlocked(path, rule));
  } catch (error) {
    return `Could not save the rule to ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function saveAllowRuleUnlocked(path: string, rule: string): Promise<string | undefined> {
  let doc: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    text = undefined;
  }
  if (text !== undefined && text.trim() !== "") {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      doc = parsed as Record<string, unknown>;
    } catch {
      return `Could not save the rule: ${path} is not valid JSON; fix it and add "${rule}" to permissions.allow yourself. The rule applies for this session.`;
    }
  }
  const permissions =
    typeof doc.permissions === "object" && doc.permissions !== null && !Array.isArray(doc.permissions)
      ? (doc.permissions as Record<string, unknown>)
      : {};
  const allow = Array.isArray(permissions.allow) ? [...(permissions.allow as unknown[])] : [];
  if (allow.includes(rule)) return undefined;
  allow.push(rule);
  const next = { ...doc, permissions: { ...permissions, allow } };
  try {
    mkdirSync(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
  } catch (error) {
    return `Could not save the rule to ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
