// Sandbox policy: which settings count in an untrusted folder, where a Bash call runs, and the gate's answers.
import { describe, expect, it } from "vitest";
import type { PermissionDecision } from "../../../src/policy/permission-types.js";
import { decideBashWithSandbox } from "../../../src/policy/sandbox-gate.js";
import {
  isExcludedCommand,
  placeBashCall,
  resolveSandboxSettings,
  type SandboxSettings,
} from "../../../src/policy/sandbox-policy.js";

describe("resolveSandboxSettings", () => {
  it("trusted: the merged settings, auto-allow on by default, WebFetch domains join the network list", () => {
    const s = resolveSandboxSettings({
      merged: { enabled: true, excludedCommands: ["docker"], network: { allowedDomains: ["npmjs.org"] } },
      userOnly: undefined,
      trusted: true,
      allowRules: ["WebFetch(domain:example.com)", "Bash(ls:*)"],
    });
    expect(s).toEqual({
      enabled: true,
      autoAllowBashIfSandboxed: true,
      excludedCommands: ["docker"],
      allowUnsandboxedCommands: true,
      allowedDomains: ["npmjs.org", "example.com"],
    });
  });

  it("untrusted: the project may turn the sandbox on, but not make it run unasked, exclude, or open the network", () => {
    const project = {
      enabled: true,
      autoAllowBashIfSandboxed: true,
      excludedCommands: ["rm"],
      network: { allowedDomains: ["evil.example"] },
    };
    const s = resolveSandboxSettings({ merged: project, userOnly: {}, trusted: false, allowRules: [] });
    expect(s.enabled).toBe(true);
    expect(s.autoAllowBashIfSandboxed).toBe(false);
    expect(s.excludedCommands).toEqual([]);
    expect(s.allowedDomains).toEqual([]);
  });

  it("untrusted: the project cannot switch off the user's sandbox, and may forbid leaving it", () => {
    const s = resolveSandboxSettings({
      merged: { enabled: false, allowUnsandboxedCommands: false },
      userOnly: { enabled: true },
      trusted: false,
      allowRules: [],
    });
    expect(s.enabled).toBe(true);
    expect(s.autoAllowBashIfSandboxed).toBe(true);
    expect(s.allowUnsandboxedCommands).toBe(false);
  });
});

describe("placeBashCall", () => {
  const on: SandboxSettings = {
    enabled: true,
    autoAllowBashIfSandboxed: true,
    excludedCommands: ["docker", "git push"],
    allowUnsandboxedCommands: true,
    allowedDomains: [],
  };
  it("sandboxes by default; excluded commands, requests and a missing sandbox go outside", () => {
    expect(placeBashCall(on, true, { command: "npm test" })).toEqual({ where: "sandbox" });
    expect(placeBashCall(on, true, { command: "ls && docker ps" })).toEqual({
      where: "outside",
      why: "excluded",
    });
    expect(placeBashCall(on, true, { command: "ls", dangerouslyDisableSandbox: true })).toEqual({
      where: "outside",
      why: "requested",
    });
    expect(placeBashCall(on, false, { command: "ls" })).toEqual({ where: "outside", why: "unavailable" });
    expect(placeBashCall({ ...on, enabled: false }, true, { command: "ls" })).toEqual({
      where: "outside",
      why: "off",
    });
  });
  it("ignores dangerouslyDisableSandbox when allowUnsandboxedCommands is false", () => {
    const strict = { ...on, allowUnsandboxedCommands: false };
    expect(placeBashCall(strict, true, { command: "ls", dangerouslyDisableSandbox: true })).toEqual({
      where: "sandbox",
    });
  });
  it("matches excluded commands by whole leading words, after variable assignments", () => {
    expect(isExcludedCommand("git push origin main", ["git push"])).toBe(true);
    expect(isExcludedCommand("git status", ["git push"])).toBe(false);
    expect(isExcludedCommand("DOCKER_HOST=x docker ps", ["docker:*"])).toBe(true);
    expect(isExcludedCommand("dockerize", ["docker"])).toBe(false);
    expect(isExcludedCommand("echo docker", ["docker"])).toBe(false);
  });
});

describe("decideBashWithSandbox", () => {
  const ask: PermissionDecision = { behavior: "ask", reason: "needs approval" };
  const allow: PermissionDecision = { behavior: "allow" };
  const call = (over: Partial<Parameters<typeof decideBashWithSandbox>[1]> = {}) => ({
    command: "make",
    input: {},
    mode: "workspace-write" as const,
    allowed: false,
    named: async () => undefined,
    withoutSandbox: async () => ask,
    ...over,
  });
  const sandbox = (where: "sandbox" | "outside", why: "requested" | "unavailable" = "requested") => ({
    placement: () => (where === "sandbox" ? { where } : { where, why }),
    autoAllow: true,
    unavailableReason: "bwrap is missing",
  });

  it("allows a sandboxed command unasked, but a protected path it names still asks", async () => {
    expect(await decideBashWithSandbox(sandbox("sandbox"), call())).toEqual(allow);
    const named = await decideBashWithSandbox(sandbox("sandbox"), call({ named: async () => ".git/config" }));
    expect(named.behavior).toBe("ask");
  });

  it("read-only mode and autoAllow off keep the usual decision", async () => {
    expect(await decideBashWithSandbox(sandbox("sandbox"), call({ mode: "read-only" }))).toEqual(ask);
    expect(await decideBashWithSandbox({ ...sandbox("sandbox"), autoAllow: false }, call())).toEqual(ask);
  });

  it("a request to leave the sandbox asks even for a command that would otherwise run, unless a rule allows it", async () => {
    const plainAllow = { withoutSandbox: async () => allow };
    expect((await decideBashWithSandbox(sandbox("outside"), call(plainAllow))).behavior).toBe("ask");
    expect(await decideBashWithSandbox(sandbox("outside"), call({ ...plainAllow, allowed: true }))).toEqual(
      allow,
    );
  });

  it("without a working sandbox asks as before and says why", async () => {
    const d = await decideBashWithSandbox(sandbox("outside", "unavailable"), call());
    expect(d.behavior).toBe("ask");
    expect(d.behavior === "ask" && d.reason).toContain("The sandbox is not available: bwrap is missing");
  });
});
