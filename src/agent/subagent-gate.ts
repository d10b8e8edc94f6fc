// The permission gate a subagent sees: the parent's own (modes, rules, session approvals), narrowed for
// read-only agents (Explore) so that only provably read-only Bash commands and read tools run.
import { classifyBashCommand } from "../policy/bash-readonly.js";
import { splitCompoundCommand } from "../policy/bash-split.js";
import type { AskPermission, PermissionGate } from "../policy/permission-types.js";

/** The parent gate with another decide(): mode and session rules stay the parent's own. */
export function gateWithDecide(parent: PermissionGate, decide: PermissionGate["decide"]): PermissionGate {
  return {
    get mode() {
      return parent.mode;
    },
    setMode: (mode) => parent.setMode(mode),
    addSessionRule: (behavior, rule) => parent.addSessionRule(behavior, rule),
    decide,
  };
}

/** Wraps the parent's gate: writes and non-read-only commands are refused before the parent's rules are asked. */
export function readOnlyGate(parent: PermissionGate, agentType: string): PermissionGate {
  return gateWithDecide(parent, async (call) => {
    const refusal = `The ${agentType} agent is read-only`;
    if (call.toolName === "Bash") {
      const command = (call.input as { command?: unknown } | undefined)?.command;
      const why = typeof command === "string" ? notReadOnly(command) : "the command is missing";
      if (why) return { behavior: "deny", reason: `${refusal}: ${why}.` };
    } else if (call.kind !== "read" && call.kind !== "network") {
      return { behavior: "deny", reason: `${refusal}: ${call.toolName} changes files.` };
    }
    return parent.decide(call);
  });
}

/** Why a command line is not read-only, or undefined when every part of it is. */
function notReadOnly(command: string): string | undefined {
  const parts = splitCompoundCommand(command);
  if (parts.length === 0) return "the command is empty";
  for (const part of parts) {
    if (part.hasSubstitution || part.hasFileRedirection)
      return `"${part.text}" has a substitution or redirection`;
    const verdict = classifyBashCommand(part.text);
    if (!verdict.readOnly) return verdict.reason;
  }
  return undefined;
}

/** The parent's dialog, told which subagent asks. */
export function askOnBehalfOf(ask: AskPermission | undefined, agentType: string): AskPermission | undefined {
  if (!ask) return undefined;
  return (question, signal) => ask({ ...question, subagent: agentType }, signal);
}
