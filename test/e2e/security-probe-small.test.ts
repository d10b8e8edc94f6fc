// Issue 11 class 12, the small ones end to end.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-small-" });

describe("class 8: a settings file claw cannot read never silently drops its deny rules", () => {
  it.each([
    ["a trailing comma", '{"permissions":{"deny":["Bash"],}}', /line 1, column \d+/],
    ["a truncated file", '{"permissions":{"deny":["Ba', /not valid JSON/],
    ["binary", "\u0000\u0001\u0002\u00ff", /not valid JSON|must contain a JSON object/],
    ["a directory", undefined, /cannot read/],
    ["deny given as a string", '{"permissions":{"deny":"Bash"}}', /"permissions\.deny" ignored/],
    [
      "a duplicate permissions key",
      '{"permissions":{"deny":["Bash"]},\n "model":"x",\n "permissions":{"allow":[]}}',
      /key "permissions" twice .*line 3, column 2/,
    ],
    ["a duplicate deny key", '{"permissions":{"deny":["Bash"],"deny":[]}}', /key "permissions\.deny" twice/],
    [
      "settings nested 3,000 deep",
      `{"env":${'{"a":'.repeat(3000)}1${"}".repeat(3001)}`,
      /nested more than \d+ levels deep/,
    ],
    ["a 6 MB file", `{"env":{"A":"${"x".repeat(6 * 1024 * 1024)}"}}`, /6\.0 MB, over the 5 MB limit/],
  ])("%s: claw does not start, one line names the file", async (_name, text, detail) => {
    const file = join(e2e.sandbox.workspace, ".claude", "settings.json");
    mkdirSync(join(e2e.sandbox.workspace, ".claude"));
    if (text === undefined) mkdirSync(file);
    else writeFileSync(file, text);
    const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(detail);
    expect(lines[0]).toMatch(/does not start without its deny and ask rules; fix or remove the file/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });
});

describe("class 12", () => {
  it("an API key holding a newline fails at once with one line, without retries or a request", async () => {
    const r = await runClaw(["-p", "hi"], {
      sandbox: e2e.sandbox,
      env: e2e.env({ ANTHROPIC_API_KEY: "abc\ndef" }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/character HTTP does not allow/);
    expect(r.stderr).not.toContain("abc");
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });
});
