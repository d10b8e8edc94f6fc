// /permissions: an interactive list of the permission mode and every allow/ask/deny rule with where it comes
// from (user, project, local settings, this session); Enter on a rule removes it, "Add a rule" asks which kind
// and where to save it, Enter on the mode switches it. Settings files change under their lock (editJsonFile).
import { relative } from "node:path";
import { settingsFileCandidates } from "../config/settings.js";
import type { RuleBehavior } from "../policy/permission-rules.js";
import type { PermissionMode } from "../policy/permission-types.js";
import { parsePermissionMode } from "../policy/permissions.js";
import { isRecord } from "../util/is-record.js";
import { editJsonFile, readJsonObjectFile } from "../util/json-file-edit.js";
import type { ReplController } from "./controller.js";
import { modeMeaning } from "./modes.js";
import { pick } from "./pick.js";

const BEHAVIORS: readonly RuleBehavior[] = ["allow", "ask", "deny"];
type SavePlace = "user" | "project" | "local" | "session";
type Place = SavePlace | "flag";
const PLACES: readonly SavePlace[] = ["local", "project", "user", "session"];

/** --allowedTools / --disallowedTools of this run: listed, not editable from here. */
export interface FlagRules {
  allowedTools: readonly string[];
  disallowedTools: readonly string[];
}

interface ListedRule {
  behavior: RuleBehavior;
  rule: string;
  place: Place;
  /** The settings file; undefined for a session rule. */
  path?: string;
}

function settingsPath(c: ReplController, place: Exclude<Place, "session" | "flag">): string {
  const rt = c.runtime;
  return settingsFileCandidates({ cwd: rt.cwd, configHome: rt.configHome }).find((f) => f.scope === place)!
    .path;
}

function placeLabel(c: ReplController, place: Place): string {
  if (place === "session") return "this session only";
  if (place === "flag") return "command line (--allowedTools / --disallowedTools)";
  const path = settingsPath(c, place);
  const shown = place === "user" ? path : relative(c.runtime.cwd, path) || path;
  return `${place} settings (${shown})`;
}

/** Every rule in the settings files (read now, so the list shows what is on disk) and the session's own. */
function listRules(c: ReplController, flags?: FlagRules): { rules: ListedRule[]; unreadable: string[] } {
  const rules: ListedRule[] = [
    ...(flags?.allowedTools ?? []).map((rule) => ({
      behavior: "allow" as const,
      rule,
      place: "flag" as const,
    })),
    ...(flags?.disallowedTools ?? []).map((rule) => ({
      behavior: "deny" as const,
      rule,
      place: "flag" as const,
    })),
  ];
  const unreadable: string[] = [];
  for (const place of ["user", "project", "local"] as const) {
    const path = settingsPath(c, place);
    let doc: Record<string, unknown>;
    try {
      doc = readJsonObjectFile(path);
    } catch (error) {
      unreadable.push((error as Error).message);
      continue;
    }
    const permissions = isRecord(doc.permissions) ? doc.permissions : {};
    for (const behavior of BEHAVIORS) {
      const list = permissions[behavior];
      if (!Array.isArray(list)) continue;
      for (const rule of list) if (typeof rule === "string") rules.push({ behavior, rule, place, path });
    }
  }
  for (const { behavior, rule } of c.runtime.gate.sessionRules())
    rules.push({ behavior, rule, place: "session" });
  return { rules, unreadable };
}

/** Takes `rule` out of permissions[behavior] of the file; false when it was not there. */
async function removeFromFile(path: string, behavior: RuleBehavior, rule: string): Promise<boolean> {
  return editJsonFile(path, (doc) => {
    const permissions = isRecord(doc.permissions) ? doc.permissions : undefined;
    const list = permissions?.[behavior];
    if (!permissions || !Array.isArray(list) || !list.includes(rule)) return false;
    permissions[behavior] = list.filter((r) => r !== rule);
    return true;
  });
}

async function addToFile(path: string, behavior: RuleBehavior, rule: string): Promise<boolean> {
  return editJsonFile(path, (doc) => {
    const permissions = isRecord(doc.permissions) ? doc.permissions : {};
    const list = Array.isArray(permissions[behavior]) ? [...(permissions[behavior] as unknown[])] : [];
    if (list.includes(rule)) return false;
    doc.permissions = { ...permissions, [behavior]: [...list, rule] };
    return true;
  });
}

async function removeRule(c: ReplController, entry: ListedRule): Promise<void> {
  const gate = c.runtime.gate;
  if (entry.place === "flag") {
    c.notice("info", `${entry.behavior} ${entry.rule} was given on the command line: it lasts for this run.`);
    return;
  }
  if (!entry.path) {
    gate.removeSessionRule(entry.behavior, entry.rule);
    c.notice("info", `Removed session rule: ${entry.behavior} ${entry.rule}`);
    return;
  }
  try {
    await removeFromFile(entry.path, entry.behavior, entry.rule);
  } catch (error) {
    c.notice("error", `Could not remove the rule: ${(error as Error).message}`);
    return;
  }
  gate.removeRule(entry.behavior, entry.rule);
  c.notice("info", `Removed ${entry.behavior} ${entry.rule} from ${entry.path}`);
}

/** `/permissions add <allow|ask|deny> <local|project|user|session> <rule>`: saves the rule and applies it now. */
export async function addRuleCommand(c: ReplController, words: string[]): Promise<void> {
  const [behavior, place, ...rest] = words as [RuleBehavior, SavePlace, ...string[]];
  const rule = rest.join(" ").trim();
  if (!BEHAVIORS.includes(behavior) || !PLACES.includes(place) || !rule) {
    c.notice(
      "error",
      "Write /permissions add <allow|ask|deny> <local|project|user|session> <rule>, e.g. /permissions add allow local Bash(npm test:*)",
    );
    return;
  }
  const gate = c.runtime.gate;
  if (place === "session") {
    const error = gate.addSessionRule(behavior, rule);
    if (error) c.notice("error", error);
    else c.notice("info", `Added session rule: ${behavior} ${rule}`);
    return;
  }
  // Checked before anything is written: an invalid rule never reaches a settings file.
  const error = gate.addRule(behavior, rule);
  if (error) {
    c.notice("error", error);
    return;
  }
  const path = settingsPath(c, place);
  try {
    await addToFile(path, behavior, rule);
  } catch (failure) {
    gate.removeRule(behavior, rule);
    c.notice("error", `Could not save the rule: ${(failure as Error).message}`);
    return;
  }
  c.notice("info", `Added ${behavior} ${rule} to ${path}; it applies now.`);
}

async function chooseMode(c: ReplController): Promise<void> {
  const current = c.runtime.gate.mode;
  const modes: PermissionMode[] = ["default", "workspace-write", "read-only", "danger-full-access"];
  const chosen = await pick(
    c,
    "Permission mode (↑/↓, Enter; Esc keeps it)",
    modes.map((mode) => ({
      value: mode,
      label: `${mode.padEnd(18)} ${modeMeaning(mode)}${mode === current ? " (current)" : ""}`,
    })),
  );
  const parsed = chosen ? parsePermissionMode(chosen) : undefined;
  if (!parsed?.ok || parsed.mode === current) return;
  c.runtime.setPermissionMode(parsed.mode);
  c.refreshFooter();
  c.notice("info", `Permission mode set to ${parsed.mode}.`);
}

/** Starts "Add a rule": asks the kind and the place, then leaves the command in the prompt for the rule. */
async function startAdd(c: ReplController): Promise<boolean> {
  const behavior = await pick(c, "Add a rule: what should it do? (Esc cancels)", [
    { value: "allow", label: "allow  run matching calls without asking" },
    { value: "ask", label: "ask    always ask first, whatever the mode" },
    { value: "deny", label: "deny   refuse matching calls" },
  ]);
  if (!behavior) return false;
  const place = await pick(
    c,
    `Add a ${behavior} rule: save it where? (Esc cancels)`,
    PLACES.map((p) => ({ value: p, label: placeLabel(c, p) })),
  );
  if (!place) return false;
  c.restorePrompt(`/permissions add ${behavior} ${place} `);
  c.notice(
    "info",
    "Type the rule after the command, e.g. Bash(npm test:*), Read(./docs/**) or WebFetch(domain:example.com), then Enter.",
  );
  return true;
}

/** The interactive list; comes back to it after each change until Esc. */
export async function permissionsList(c: ReplController, flags?: FlagRules): Promise<void> {
  for (;;) {
    const { rules, unreadable } = listRules(c, flags);
    for (const message of unreadable) c.notice("warning", message);
    const width = Math.max(12, ...rules.map((r) => r.rule.length));
    const chosen = await pick(c, "Permissions (↑/↓, Enter: change or remove; Esc closes)", [
      {
        value: "mode",
        label: `Mode: ${c.runtime.gate.mode} · ${modeMeaning(c.runtime.gate.mode)} (Enter to switch)`,
      },
      ...rules.map((r, i) => ({
        value: `rule:${i}`,
        label: `${r.behavior.padEnd(5)} ${r.rule.padEnd(width)}  ${placeLabel(c, r.place)}`,
      })),
      { value: "add", label: "+ Add a rule…" },
    ]);
    if (!chosen) return;
    if (chosen === "mode") await chooseMode(c);
    else if (chosen === "add") {
      if (await startAdd(c)) return;
    } else {
      const entry = rules[Number(chosen.slice(5))];
      if (!entry) continue;
      const confirm = await pick(c, `${entry.behavior} ${entry.rule} · ${placeLabel(c, entry.place)}`, [
        { value: "remove", label: "Remove this rule" },
        { value: "keep", label: "Keep it" },
      ]);
      if (confirm === "remove") await removeRule(c, entry);
    }
  }
}

/** Removes a rule by its text: the session's first, then the settings files (local, project, user). */
export async function removeRuleByText(c: ReplController, text: string): Promise<void> {
  const { rules } = listRules(c);
  const order: Place[] = ["session", "local", "project", "user"];
  const found = order.map((p) => rules.find((r) => r.place === p && r.rule === text.trim())).find(Boolean);
  if (!found) {
    c.notice("error", `No session rule "${text}" and none in the settings files; /permissions lists them.`);
    return;
  }
  await removeRule(c, found);
}
