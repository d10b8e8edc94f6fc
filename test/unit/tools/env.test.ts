import { describe, expect, it } from "vitest";
import { subprocessEnv } from "../../../src/tools/env.js";

describe("subprocessEnv", () => {
  const base = {
    PATH: "/usr/bin",
    HOME: "/home/u",
    LANG: "C.UTF-8",
    ANTHROPIC_API_KEY: "sk-secret",
    ANTHROPIC_BASE_URL: "http://127.0.0.1:1",
    CLAUDE_CODE_OAUTH_TOKEN: "tok",
    CLAUDE_CONFIG_HOME: "/tmp/x",
    CLAUDE_CONFIG_DIR: "/tmp/y",
    GITHUB_TOKEN: "ghp",
    AWS_SECRET_ACCESS_KEY: "aws",
    DB_PASSWORD: "pw",
    OPENAI_API_KEY: "o",
    SSH_AUTH_SOCK: "/tmp/ssh.sock",
    EDITOR: "vim",
  };

  it("drops credentials and config overrides, keeps the ordinary environment", () => {
    const env = subprocessEnv({}, base);
    expect(
      Object.keys(env).filter((k) => /ANTHROPIC|TOKEN|SECRET|PASSWORD|API_KEY|CLAUDE_CONFIG/.test(k)),
    ).toEqual([]);
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      HOME: "/home/u",
      LANG: "C.UTF-8",
      SSH_AUTH_SOCK: "/tmp/ssh.sock",
    });
  });

  it("adds settings env, filtered the same way, and non-interactive switches", () => {
    const env = subprocessEnv({ FOO: "bar", ANTHROPIC_MODEL: "x", NPM_TOKEN: "t" }, base);
    expect(env.FOO).toBe("bar");
    expect(env.ANTHROPIC_MODEL).toBeUndefined();
    expect(env.NPM_TOKEN).toBeUndefined();
    expect(env.GIT_EDITOR).toBe("true");
    expect(env.GIT_TERMINAL_PROMPT).toBe("0");
  });
});
