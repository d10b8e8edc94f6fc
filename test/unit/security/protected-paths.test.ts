// Files whose change lets the model run code later without asking: always protected, in every writable mode.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProtectedPath } from "../../../src/tools/workspace.js";

const saved = process.env.CLAUDE_CONFIG_HOME;
beforeAll(() => {
  process.env.CLAUDE_CONFIG_HOME = join(tmpdir(), "claw-protected-no-such-home");
});
afterAll(() => {
  if (saved === undefined) delete process.env.CLAUDE_CONFIG_HOME;
  else process.env.CLAUDE_CONFIG_HOME = saved;
});

describe("isProtectedPath", () => {
  it.each([
    "/w/proj/.mcp.json",
    "/w/proj/sub/.mcp.json",
    "/w/proj/.git/config",
    "/w/proj/sub/.git",
    "/w/proj/.claude/settings.json",
    "/w/proj/.claude/settings.local.json",
    "/w/proj/.claude/hooks/pre.sh",
    "/w/proj/.husky/pre-commit",
    // macOS and Windows file systems ignore case: these are the same files.
    "/w/proj/.GIT/hooks/pre-commit",
    "/w/proj/.Git/config",
    "/w/proj/.Claude/settings.json",
    "/w/proj/.claude/Settings.Local.JSON",
    "/w/proj/.CLAUDE/Hooks/x.sh",
    "/w/proj/.MCP.json",
  ])("%s is protected", (path) => {
    expect(isProtectedPath(path)).toBe(true);
  });
  it.each(["/w/proj/src/mcp.json", "/w/proj/.mcp.json.d/x", "/w/proj/docs/claude/settings.json"])(
    "%s is not",
    (path) => {
      expect(isProtectedPath(path)).toBe(false);
    },
  );
});
