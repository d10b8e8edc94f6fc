// `claw config` output is meant to be pasted into bug reports: MCP server credentials are masked whatever their name.
import { describe, expect, it } from "vitest";
import { isSecretPath } from "../../../src/config/config-display.js";

describe("isSecretPath for MCP servers", () => {
  it("masks every env and header value of an MCP server", () => {
    expect(isSecretPath(["mcpServers", "gh", "env", "GITHUB_PAT"])).toBe(true);
    expect(isSecretPath(["mcpServers", "web", "headers", "X-Api"])).toBe(true);
  });
  it("still shows ordinary settings env and server commands", () => {
    expect(isSecretPath(["env", "FOO"])).toBe(false);
    expect(isSecretPath(["mcpServers", "gh", "command"])).toBe(false);
  });
});
