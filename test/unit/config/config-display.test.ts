import { describe, expect, it } from "vitest";
import { isSecretPath, settingsLines } from "../../../src/config/config-display.js";
import type { LoadedSettings } from "../../../src/config/settings.js";

describe("claw config display", () => {
  it("shows each value with its source, rule lists one per line, secrets masked", () => {
    const loaded: LoadedSettings = {
      settings: {
        model: "m",
        env: {
          OPENAI_API_KEY: "sk-1",
          GITHUB_TOKEN: "t",
          DB_PASSWORD: "p",
          MY_SECRET: "s",
          PLAIN: "visible",
        },
        permissions: { allow: ["Read", "Edit"] },
        mcpServers: { srv: { headers: { Authorization: "Bearer abc" }, url: "http://127.0.0.1:1" } },
        oauth: { tokenUrl: "http://127.0.0.1/token" },
        apiKeyHelper: "/bin/helper",
      },
      sources: {
        model: "/u.json",
        "env.OPENAI_API_KEY": "/u.json",
        "env.GITHUB_TOKEN": "/u.json",
        "env.DB_PASSWORD": "/u.json",
        "env.MY_SECRET": "/u.json",
        "env.PLAIN": "/p.json",
        "permissions.allow[0]": "/u.json",
        "permissions.allow[1]": "/p.json",
        "mcpServers.srv.headers.Authorization": "/p.json",
        "mcpServers.srv.url": "/p.json",
        "oauth.tokenUrl": "/u.json",
        apiKeyHelper: "/u.json",
      },
      warnings: [],
      files: [],
    };
    const lines = settingsLines(loaded);
    const text = lines.map((l) => `${l.path}=${l.value}@${l.source}`).join("\n");
    for (const secret of ["sk-1", '"t"', '"p"', '"s"', "Bearer abc"]) expect(text).not.toContain(secret);
    expect(text).toContain("env.OPENAI_API_KEY=****@/u.json");
    expect(text).toContain('env.PLAIN="visible"@/p.json');
    expect(text).toContain('permissions.allow[0]="Read"@/u.json');
    expect(text).toContain('permissions.allow[1]="Edit"@/p.json');
    expect(text).toContain('oauth.tokenUrl="http://127.0.0.1/token"@/u.json');
    expect(text).toContain('apiKeyHelper="/bin/helper"@/u.json');
  });

  it("classifies secret paths", () => {
    expect(isSecretPath(["env", "ANTHROPIC_API_KEY"])).toBe(true);
    expect(isSecretPath(["env", "PATH"])).toBe(false);
    expect(isSecretPath(["oauth", "clientSecret"])).toBe(true);
    expect(isSecretPath(["oauth", "tokenUrl"])).toBe(false);
  });
});
