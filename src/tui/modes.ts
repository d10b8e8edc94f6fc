// Permission modes as the REPL presents them: what each one means in a line, and the Shift+Tab cycle
// (Claude Code's order: ask for everything → accept edits → plan).
import type { PermissionMode } from "../policy/permission-types.js";

const MEANING: Record<PermissionMode, string> = {
  default: "edits and commands ask before they run",
  "workspace-write": "edits inside the workspace apply without asking; other changes ask",
  "read-only": "plan mode: claw reads and plans, and changes nothing",
  "danger-full-access": "everything runs without asking",
};

const CYCLE: PermissionMode[] = ["default", "workspace-write", "read-only"];

export function modeMeaning(mode: PermissionMode): string {
  return MEANING[mode];
}

/** The mode Shift+Tab switches to; full access (chosen on the command line) leaves the cycle at its start. */
export function nextMode(mode: PermissionMode): PermissionMode {
  const at = CYCLE.indexOf(mode);
  return CYCLE[(at + 1) % CYCLE.length] ?? "default";
}
