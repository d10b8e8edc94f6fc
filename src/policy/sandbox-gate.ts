// The permission gate's Bash decision when the sandbox is configured: sandboxed commands run without asking
// (autoAllowBashIfSandboxed, default and workspace-write modes), a request to leave the sandbox asks unless an
// allow rule covers the command, and without a working sandbox Bash asks as it always did, saying why.

import { suggestBashRule } from "./permission-suggest.js";
import type { PermissionDecision, PermissionMode } from "./permission-types.js";
import type { BashSandboxInput, SandboxPlacement } from "./sandbox-policy.js";

/** What the gate needs to know about the sandbox (built by the runtime from settings and the start-up probe). */
export interface GateSandbox {
  placement(input: BashSandboxInput): SandboxPlacement;
  /** settings sandbox.autoAllowBashIfSandboxed (default on when enabled). */
  readonly autoAllow: boolean;
  /** Why the sandbox cannot run on this machine, when it cannot. */
  readonly unavailableReason?: string | undefined;
}

export interface SandboxBashCall {
  command: string;
  input: Record<string, unknown>;
  mode: PermissionMode;
  /** An allow rule covers the whole command. */
  allowed: boolean;
  /** The first protected path (git internals, settings, hooks) the command names, if any. */
  named: () => Promise<string | undefined>;
  /** The decision without a sandbox. */
  withoutSandbox: () => Promise<PermissionDecision>;
}

export async function decideBashWithSandbox(
  sandbox: GateSandbox,
  call: SandboxBashCall,
): Promise<PermissionDecision> {
  const placement = sandbox.placement({
    command: call.command,
    dangerouslyDisableSandbox: call.input.dangerouslyDisableSandbox === true,
  });
  if (placement.where === "sandbox") {
    if (!sandbox.autoAllow || (call.mode !== "default" && call.mode !== "workspace-write"))
      return call.withoutSandbox();
    const touched = await call.named();
    if (!touched) return { behavior: "allow" };
    return {
      behavior: "ask",
      reason: `This command names ${touched}: git internals, claw settings and hook scripts always need the user's approval, even in the sandbox.`,
    };
  }
  const plain = await call.withoutSandbox();
  if (placement.why === "requested" && !call.allowed && plain.behavior === "allow") {
    return {
      behavior: "ask",
      reason:
        "The model asked to run this command outside the sandbox (dangerouslyDisableSandbox); that needs the user's approval.",
      suggestedRule: suggestBashRule(call.command),
    };
  }
  if (plain.behavior === "ask" && placement.why === "unavailable" && sandbox.unavailableReason)
    return {
      ...plain,
      reason: `${plain.reason} (The sandbox is not available: ${sandbox.unavailableReason}.)`,
    };
  return plain;
}
