// Issue 11 class 12, the small ones end to end.
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-small-" });

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
