// The permission step of building a runtime: the workspace, the rules that count for this run, the gate, and
// the built-in tools the gate leaves on offer.
import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { PermissionMode } from "../policy/permission-types.js";
import {
  type ClawPermissionGate,
  createPermissionGate,
  type PermissionRulesInput,
} from "../policy/permissions.js";
import type { GateSandbox } from "../policy/sandbox-gate.js";
import { builtinTools } from "../tools/registry.js";
import type { Tool, WorkspaceGuard } from "../tools/types.js";
import { createWorkspaceGuard } from "../tools/workspace.js";
import type { RunPlace, RunSettings } from "./assembly.js";
import type { CliOptions } from "./options.js";

export function buildWorkspace(place: RunPlace, options: CliOptions, settings: RunSettings): WorkspaceGuard {
  for (const dir of options.addDir) {
    if (!isDirectory(resolve(place.cwd, dir)))
      place.warn(`claw: --add-dir ${dir} is not a directory; it adds nothing`);
  }
  return createWorkspaceGuard(place.cwd, [
    ...options.addDir,
    ...(settings.loosening?.additionalDirectories ?? []),
  ]);
}

/** The permission rules that count for this run (allow rules only from a trusted folder). */
export function gateRules(
  options: CliOptions,
  settings: RunSettings,
  scratchDir: string,
): PermissionRulesInput {
  return {
    // Truncation notices send the model to full outputs saved in the scratch dir: reading them needs no ask.
    allow: [
      ...(settings.loosening?.allow ?? []),
      ...options.allowedTools,
      `Read(/${realpathSync(scratchDir)}/**)`,
    ],
    ask: settings.merged.permissions?.ask ?? [],
    deny: [...(settings.merged.permissions?.deny ?? []), ...options.disallowedTools],
  };
}

export function buildGate(
  place: RunPlace,
  rules: PermissionRulesInput,
  mode: PermissionMode,
  workspace: WorkspaceGuard,
  sandbox: GateSandbox | undefined,
  childEnv: Record<string, string> = {},
): ClawPermissionGate {
  const gate = createPermissionGate({
    mode,
    rules,
    workspace,
    childEnv,
    cwd: place.cwd,
    ...(sandbox ? { sandbox } : {}),
  });
  for (const warning of gate.warnings) place.warn(`claw: ${warning}`);
  return gate;
}

/**
 * The built-in tools the gate does not refuse outright (a denied tool is not offered, as in Claude Code),
 * narrowed to --tools when given.
 */
export function offeredBuiltins(place: RunPlace, options: CliOptions, gate: ClawPermissionGate): Tool[] {
  const all = builtinTools();
  const wanted = options.tools ? new Set(options.tools) : undefined;
  for (const name of wanted ?? []) {
    if (!all.some((tool) => tool.name === name))
      place.warn(`claw: --tools: there is no built-in tool "${name}"`);
  }
  return all.filter((tool) => (!wanted || wanted.has(tool.name)) && !gate.isToolDenied(tool.name));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
