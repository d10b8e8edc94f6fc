// Puts the sandbox together for one run: the effective settings (trust-aware), the start-up probe with its
// one-line warning, what the permission gate and the shell-running tools see, and the `/sandbox` report.
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { credentialsFilePath } from "../auth/credentials-store.js";
import type { PermissionMode } from "../policy/permission-types.js";
import type { ClawPermissionGate, PermissionRulesInput } from "../policy/permissions.js";
import type { GateSandbox } from "../policy/sandbox-gate.js";
import { placeBashCall, resolveSandboxSettings, type SandboxSettings } from "../policy/sandbox-policy.js";
import { createSandboxReadDeny } from "../policy/sandbox-read-deny.js";
import { createOsSandbox } from "../tools/os-sandbox.js";
import type { ShellSandbox, WorkspaceGuard } from "../tools/types.js";
import type { RunPlace, RunSettings } from "./assembly.js";

export interface SandboxSetup {
  readonly settings: SandboxSettings;
  /** For the permission gate; absent when the sandbox is off. */
  readonly gate?: GateSandbox;
  /** For Bash, background shells and hooks; absent when the sandbox is off or cannot run here. */
  readonly shell?: ShellSandbox;
  /** Lines for `/sandbox`: the state and what is allowed. */
  describe(): string[];
  close(): Promise<void>;
}

export interface SandboxInputs {
  rules: PermissionRulesInput;
  workspace: WorkspaceGuard;
  /** This session's private scratch directory. */
  scratchDir: string;
  /** The gate, once built: its current mode (read-only keeps the workspace read-only too) and Read deny rules. */
  gate: () => ClawPermissionGate | undefined;
  /** The mode until the gate exists. */
  mode: PermissionMode;
}

export async function setupSandbox(
  place: RunPlace,
  runSettings: RunSettings,
  inputs: SandboxInputs,
): Promise<SandboxSetup> {
  const loaded = runSettings.loaded;
  const settings = resolveSandboxSettings({
    merged: loaded.settings.sandbox,
    userOnly: loaded.userOnly?.settings.sandbox,
    trusted: runSettings.trusted,
    allowRules: inputs.rules.allow ?? [],
  });
  if (!settings.enabled) {
    return {
      settings,
      describe: () => ['Sandbox: off. Turn it on with "sandbox": {"enabled": true} in a settings file.'],
      close: async () => {},
    };
  }
  const { workspace, gate } = inputs;
  const readDeny = createSandboxReadDeny({
    denyRules: inputs.rules.deny ?? [],
    cwds: [...new Set([place.cwd, workspace.roots[0] ?? place.cwd])],
    home: place.env.HOME || homedir(),
    credentialsFile: credentialsFilePath(place.configHome),
    workspaceRoots: workspace.roots,
    isReadDenied: (path) => gate()?.isReadDenied(path) ?? false,
  });
  const writableRoots = () => ((gate()?.mode ?? inputs.mode) === "read-only" ? [] : workspace.roots);
  const os = createOsSandbox({
    privateDir: inputs.scratchDir,
    writableRoots,
    hiddenPaths: () => [...readDeny.pathsForCall(), ...credentialBackups(place.configHome)],
    allowedDomains: settings.allowedDomains,
    ...(place.env.PATH ? { path: place.env.PATH } : {}),
  });
  const probe = await os.probe();
  const unavailableReason = probe.ok ? undefined : probe.reason;
  if (!probe.ok) place.warn(`claw: sandbox: ${probe.reason}; until then Bash asks before running commands.`);
  else if (probe.warning) place.warn(`claw: sandbox: ${probe.warning}`);
  const placement: GateSandbox["placement"] = (input) => placeBashCall(settings, probe.ok, input);
  const network = probe.ok && !probe.network ? [] : settings.allowedDomains;

  const shell: ShellSandbox = {
    confines: (input) => placement(input).where === "sandbox",
    launch: (shellPath, command, cwd) => os.launch(shellPath, command, cwd),
    get failureNote() {
      return `[This command ran in claw's sandbox: it can write only in ${writableRoots().join(", ") || "(nothing: read-only mode)"} and ${os.tmpDir}, cannot read secrets or denied files, and can reach ${network.length ? network.join(", ") : "no network"}. If the failure comes from that and the command truly needs more, retry with dangerouslyDisableSandbox: true (the user will be asked).]`;
    },
  };
  return {
    settings,
    gate: { placement, autoAllow: settings.autoAllowBashIfSandboxed, unavailableReason },
    ...(probe.ok ? { shell } : {}),
    describe: () =>
      describeSandbox({
        settings,
        unavailableReason,
        backend: probe.ok ? probe.backend : undefined,
        writable: writableRoots(),
        tmpDir: os.tmpDir,
        readDeny,
        network,
      }),
    close: () => os.close(),
  };
}

/** Copies of a broken credentials file that claw kept (`credentials.json.corrupt-…`): tokens too. */
function credentialBackups(configHome: string): string[] {
  try {
    return readdirSync(configHome)
      .filter((name) => name.startsWith("credentials.json."))
      .map((name) => join(configHome, name));
  } catch {
    return [];
  }
}

function describeSandbox(state: {
  settings: SandboxSettings;
  unavailableReason: string | undefined;
  backend: string | undefined;
  writable: readonly string[];
  tmpDir: string;
  readDeny: { fixed: readonly string[]; patterns: readonly string[] };
  network: readonly string[];
}): string[] {
  const { settings } = state;
  if (state.unavailableReason) {
    return [
      `Sandbox: enabled, but it cannot run here: ${state.unavailableReason}.`,
      "Bash asks before running commands, as without a sandbox.",
    ];
  }
  const lines = [
    `Sandbox: on (${state.backend === "seatbelt" ? "sandbox-exec" : state.backend}). Bash commands, background shells and hooks run confined.`,
    settings.autoAllowBashIfSandboxed
      ? "Approval: sandboxed commands run without asking in default and workspace-write modes; deny and ask rules still apply."
      : "Approval: sandboxed commands follow the usual permission rules (autoAllowBashIfSandboxed is off).",
    `Writable: ${[...state.writable, `${state.tmpDir} (private temp dir)`].join(", ")}${state.writable.length ? "" : " — read-only mode"}`,
    `Hidden from commands: ${state.readDeny.fixed.join(", ")}`,
  ];
  if (state.readDeny.patterns.length)
    lines.push(`Also hidden where they match in the workspace: ${state.readDeny.patterns.join(", ")}`);
  lines.push(
    state.network.length
      ? `Network: only ${state.network.join(", ")} (through claw's proxy)`
      : "Network: none (allow hosts with WebFetch(domain:…) rules or sandbox.network.allowedDomains)",
  );
  const outside = settings.excludedCommands.length
    ? `Run outside, with approval: ${settings.excludedCommands.join(", ")}`
    : "Excluded commands: none";
  lines.push(outside);
  lines.push(
    settings.allowUnsandboxedCommands
      ? "dangerouslyDisableSandbox: a command may leave the sandbox only with your approval."
      : "dangerouslyDisableSandbox: ignored (allowUnsandboxedCommands is false).",
  );
  return lines;
}
