// The deny rules claw always adds: its own saved credentials are never readable by a tool, whatever the mode.
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { CREDENTIAL_FILES } from "../tools/workspace.js";
import { configHome } from "../util/config-home.js";
import type { PermissionRule } from "./permission-rules.js";

/**
 * claw's (and Claude Code's) saved login: no tool may read it, whatever the mode or the rules. As deny rules
 * they reach every path the policy checks: Read, Grep and Glob, `cat`, globs, recursive greps of the home.
 */
export function credentialRules(): PermissionRule[] {
  const dirs = new Set([configHome()]);
  try {
    dirs.add(realpathSync(configHome()));
  } catch {
    // Not created yet: the lexical path is all there is.
  }
  return [...dirs].flatMap((dir) =>
    CREDENTIAL_FILES.map((name) => ({
      source: `Read(${join(dir, name)}) — claw's own credentials`,
      tool: "Read",
      content: `/${join(dir, name)}`,
    })),
  );
}
