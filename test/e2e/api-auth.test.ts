// End to end through the built CLI: which auth headers each credential variant sends, the no-credentials
// error (and that nothing is sent), and --version with unreadable settings and credentials.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

function run(env: Record<string, string | undefined>, args = ["-p", "hi"]) {
  return runClaw(args, { sandbox: e2e.sandbox, env: { ANTHROPIC_BASE_URL: e2e.mock.url, ...env } });
}

describe("auth variants", () => {
  it("API key only → x-api-key, and the streamed answer on stdout", async () => {
    e2e.mock.enqueue(reply.text("hello from mock", { chunks: 3 }));
    const r = await run({ ANTHROPIC_API_KEY: "sk-key-only" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("hello from mock\n");
    expect(e2e.mock.requests).toHaveLength(1);
    expect(e2e.mock.requests[0]?.headers["x-api-key"]).toBe("sk-key-only");
    expect(e2e.mock.requests[0]?.headers.authorization).toBeUndefined();
    expect(e2e.mock.requests[0]?.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("token only → Authorization: Bearer", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await run({ ANTHROPIC_AUTH_TOKEN: "tok-only" });
    expect(r.code).toBe(0);
    expect(e2e.mock.requests[0]?.headers.authorization).toBe("Bearer tok-only");
    expect(e2e.mock.requests[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("both → both headers", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await run({ ANTHROPIC_API_KEY: "sk-both", ANTHROPIC_AUTH_TOKEN: "tok-both" });
    expect(r.code).toBe(0);
    expect(e2e.mock.requests[0]?.headers["x-api-key"]).toBe("sk-both");
    expect(e2e.mock.requests[0]?.headers.authorization).toBe("Bearer tok-both");
  });

  it("an empty string counts as unset", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await run({ ANTHROPIC_API_KEY: "", ANTHROPIC_AUTH_TOKEN: "tok-x" });
    expect(r.code).toBe(0);
    expect(e2e.mock.requests[0]?.headers["x-api-key"]).toBeUndefined();
    expect(e2e.mock.requests[0]?.headers.authorization).toBe("Bearer tok-x");
  });

  it("keeps a path prefix of ANTHROPIC_BASE_URL", async () => {
    e2e.mock.enqueue(reply.text("via proxy"));
    const r = await run({ ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: `${e2e.mock.url}/proxy` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("via proxy\n");
    expect(e2e.mock.requests[0]?.path).toBe("/proxy/v1/messages");
  });

  it("no credentials → exit 1, one line naming both variables and `claw login`, no request", async () => {
    const r = await run({ ANTHROPIC_API_KEY: "", ANTHROPIC_AUTH_TOKEN: "" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("ANTHROPIC_API_KEY");
    expect(lines[0]).toContain("ANTHROPIC_AUTH_TOKEN");
    expect(lines[0]).toContain("claw login");
    expect(e2e.mock.requests).toHaveLength(0);
  });
});

describe("--version", () => {
  it("works with garbage settings.json and credentials.json", async () => {
    writeFileSync(join(e2e.sandbox.configHome, "settings.json"), "{ this is not json");
    writeFileSync(join(e2e.sandbox.configHome, "credentials.json"), "\u0000\u0001garbage");
    for (const flag of ["--version", "-v"]) {
      const r = await run({ ANTHROPIC_API_KEY: "k" }, [flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^claw \d+\.\d+\.\d+/);
      expect(r.stderr).toBe("");
    }
    expect(e2e.mock.requests).toHaveLength(0);
  });
});
