// Which `@import`s of files outside the project and the config home a project's instruction files may use:
// the user's answer in the REPL, remembered per project in the trust store (<configHome>/trusted-folders.json,
// under "imports": project folder → file → "allow" | "deny"), or "approvedImports" in the user's own settings.
// A repository cannot approve imports for itself: project and local settings files do not count.
import { readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve, sep } from "node:path";
import { editJsonFile } from "../util/json-file-edit.js";
import { type TrustLocation, trustFolderKey, trustStorePath } from "./trust.js";

export type ImportDecision = "allow" | "deny";

type Decisions = Record<string, ImportDecision>;

function decisionsIn(doc: unknown, key: string): Decisions {
  const imports = (doc as { imports?: unknown } | null)?.imports;
  const entry =
    imports && typeof imports === "object" ? (imports as Record<string, unknown>)[key] : undefined;
  const out: Decisions = {};
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) return out;
  for (const [path, value] of Object.entries(entry))
    if (value === "allow" || value === "deny") out[path] = value;
  return out;
}

/** The remembered answers for this project's outside imports (real path → decision). */
export function rememberedImportDecisions(location: TrustLocation): Decisions {
  try {
    const doc: unknown = JSON.parse(readFileSync(trustStorePath(location.configHome), "utf8"));
    return decisionsIn(doc, trustFolderKey(location.cwd));
  } catch {
    return {};
  }
}

/** Remembers one answer for these imports of this project; other projects and keys are kept. */
export async function rememberImportDecision(
  location: TrustLocation,
  paths: readonly string[],
  decision: ImportDecision,
): Promise<void> {
  const key = trustFolderKey(location.cwd);
  await editJsonFile(
    trustStorePath(location.configHome),
    (doc) => {
      const imports = doc.imports && typeof doc.imports === "object" ? { ...(doc.imports as object) } : {};
      const mine = decisionsIn(doc, key);
      for (const path of paths) mine[path] = decision;
      doc.imports = { ...imports, [key]: mine };
      return true;
    },
    { mode: 0o600 },
  );
}

/**
 * The decision for one outside import (its real path): the remembered answer, else "allow" when an entry of
 * the user's "approvedImports" names the file or a folder above it, else undefined (not decided).
 */
export function importDecider(
  location: TrustLocation,
  approvedImports: readonly string[] = [],
): (realPath: string) => ImportDecision | undefined {
  const remembered = rememberedImportDecisions(location);
  const home = (location.env ?? process.env).HOME || homedir();
  const approved = approvedImports.map((entry) => {
    const path = entry === "~" || entry.startsWith("~/") ? join(home, entry.slice(1)) : resolve(home, entry);
    try {
      return realpathSync.native(path);
    } catch {
      return path;
    }
  });
  return (realPath) => {
    const answer = remembered[realPath];
    if (answer) return answer;
    const listed = approved.some(
      (entry) => realPath === entry || realPath.startsWith(entry.endsWith(sep) ? entry : `${entry}${sep}`),
    );
    return listed ? "allow" : undefined;
  };
}
