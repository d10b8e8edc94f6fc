// The environment of model-run commands: no implicit bare repositories for git, the user's own -c entries kept.
import { describe, expect, it } from "vitest";
import { subprocessEnv } from "../../../src/tools/env.js";

describe("subprocessEnv git config", () => {
  it("adds safe.bareRepository=explicit as command-line config", () => {
    const env = subprocessEnv({}, { PATH: "/usr/bin" });
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "safe.bareRepository",
      GIT_CONFIG_VALUE_0: "explicit",
    });
  });

  it("appends after the user's GIT_CONFIG_COUNT entries", () => {
    const env = subprocessEnv(
      {},
      { PATH: "/usr/bin", GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: "me" },
    );
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "user.name",
      GIT_CONFIG_VALUE_0: "me",
      GIT_CONFIG_KEY_1: "safe.bareRepository",
      GIT_CONFIG_VALUE_1: "explicit",
    });
  });

  it("never passes claw's credentials or other secrets, also from settings env", () => {
    const env = subprocessEnv(
      { ANTHROPIC_AUTH_TOKEN: "a", CLAUDE_CODE_OAUTH_TOKEN: "b", MY_API_KEY: "c", PLAIN: "ok" },
      { PATH: "/usr/bin", ANTHROPIC_API_KEY: "d", CLAW_DEBUG_TOKEN: "e", GH_TOKEN: "f" },
    );
    expect(Object.values(env)).not.toContain("a");
    for (const secret of ["a", "b", "c", "d", "e", "f"]) expect(Object.values(env)).not.toContain(secret);
    expect(env.PLAIN).toBe("ok");
  });
});

describe("secrets by pattern and by value shape (issue 11, class 12)", () => {
  it("drops OPENAI_KEY, DB_PASS and a database URL with a password; keeps PWD, proxies and plain values", () => {
    const env = subprocessEnv(
      {},
      {
        PATH: "/usr/bin",
        PWD: "/w",
        OPENAI_KEY: "x1",
        DB_PASS: "x2",
        DATABASE_URL: "postgres://app:hunter2@db:5432/app",
        SOME_VAR: "sk-ant-api03-abcdef",
        GH: "ghp_0123456789abcdef0123456789abcdef0123",
        HTTPS_PROXY: "http://u:p@proxy:3128",
        PLAIN_URL: "https://example.com/x",
        EDITOR: "vim",
      },
    );
    for (const name of ["OPENAI_KEY", "DB_PASS", "DATABASE_URL", "SOME_VAR", "GH"])
      expect(env[name]).toBeUndefined();
    expect(env).toMatchObject({
      PWD: "/w",
      HTTPS_PROXY: "http://u:p@proxy:3128",
      PLAIN_URL: "https://example.com/x",
    });
    expect(env.EDITOR).toBe("vim");
  });
});
