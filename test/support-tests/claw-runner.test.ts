// Checks the shared CLI runner: a clean env in a sandbox, stdin, and --version from dist/claw.js.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cleanEnv, makeSandbox, runClaw } from "../support/claw-runner.js";

describe("claw runner", () => {
  it("builds a clean env that does not leak outer ANTHROPIC_* variables", () => {
    const sandbox = makeSandbox();
    try {
      process.env.ANTHROPIC_API_KEY_LEAK_CHECK = "x";
      const env = cleanEnv(sandbox, { ANTHROPIC_API_KEY: "k", PATH: undefined });
      expect(env.HOME).toBe(sandbox.home);
      expect(env.CLAUDE_CONFIG_HOME).toBe(sandbox.configHome);
      expect(env.ANTHROPIC_API_KEY).toBe("k");
      expect(env.PATH).toBeUndefined();
      expect(Object.keys(env).filter((k) => k.startsWith("ANTHROPIC_"))).toEqual(["ANTHROPIC_API_KEY"]);
      expect(existsSync(sandbox.workspace)).toBe(true);
    } finally {
      delete process.env.ANTHROPIC_API_KEY_LEAK_CHECK;
      sandbox.cleanup();
    }
    expect(existsSync(sandbox.root)).toBe(false);
  });

  it("runs dist/claw.js --version", async () => {
    const r = await runClaw(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^claw \d+\.\d+\.\d+/);
  });
});
