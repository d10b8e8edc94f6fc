// What an untrusted folder leaves out: hooks from project/local settings, project/local MCP servers that the
// user's own settings do not approve. User hooks and servers always stay.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../../src/config/settings.js";
import { findProjectCode, hasProjectCode, skippedNotice } from "../../../src/runtime/project-trust.js";

let root: string;
let configHome: string;
let project: string;

function write(path: string, content: unknown): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify(content));
}
const hook = (command: string) => [{ hooks: [{ type: "command", command }] }];
const server = (command: string) => ({ command, args: [] });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-project-trust-"));
  configHome = join(root, "home", ".claude");
  project = join(root, "project");
  mkdirSync(join(project, ".git"), { recursive: true });
  mkdirSync(configHome, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function code(flagSettings?: string) {
  const settings = await loadSettings({ cwd: project, configHome, flagSettings, env: {} });
  return findProjectCode({ cwd: project, configHome, settings, flagSettings, env: {} });
}

describe("findProjectCode", () => {
  it("lists project and local hooks with their file, not the user's or --settings hooks", async () => {
    write(join(configHome, "settings.json"), { hooks: { Stop: hook("user-stop") } });
    write(join(project, ".claude", "settings.json"), { hooks: { SessionStart: hook("proj-start") } });
    write(join(project, ".claude", "settings.local.json"), { hooks: { PreToolUse: hook("local-pre") } });
    const found = await code(JSON.stringify({ hooks: { Stop: hook("flag-stop") } }));
    expect(found.hooks).toEqual([
      { event: "SessionStart", command: "proj-start", source: join(project, ".claude", "settings.json") },
      { event: "PreToolUse", command: "local-pre", source: join(project, ".claude", "settings.local.json") },
    ]);
    expect(skippedNotice(found)).toContain("hooks (SessionStart, PreToolUse)");
  });

  it("nothing to trust when all hooks are disabled or only the user defines hooks and servers", async () => {
    write(join(configHome, "settings.json"), {
      hooks: { Stop: hook("user") },
      mcpServers: { u: server("u") },
    });
    expect(hasProjectCode(await code())).toBe(false);
    write(join(project, ".claude", "settings.json"), { hooks: { Stop: hook("p") }, disableAllHooks: true });
    expect(hasProjectCode(await code())).toBe(false);
  });

  it("lists .mcp.json and project/local settings servers unless the user's settings approve them", async () => {
    write(join(project, ".mcp.json"), { mcpServers: { a: server("a"), b: server("b") } });
    write(join(project, ".claude", "settings.local.json"), { mcpServers: { c: server("c") } });
    expect((await code()).servers.map((s) => s.name).sort()).toEqual(["a", "b", "c"]);

    write(join(configHome, "settings.json"), { enabledMcpjsonServers: ["a"] });
    expect((await code()).servers.map((s) => s.name).sort()).toEqual(["b", "c"]);

    // Approval only covers .mcp.json, and only from the user's own settings.
    write(join(configHome, "settings.json"), { enableAllProjectMcpServers: true });
    expect((await code()).servers.map((s) => s.name)).toEqual(["c"]);
  });

  it("a project cannot approve its own servers", async () => {
    write(join(project, ".mcp.json"), { mcpServers: { a: server("a") } });
    write(join(project, ".claude", "settings.json"), {
      enableAllProjectMcpServers: true,
      enabledMcpjsonServers: ["a"],
    });
    expect((await code()).servers.map((s) => s.name)).toEqual(["a"]);
  });

  it("disabledMcpjsonServers still refuses a server outright", async () => {
    write(join(project, ".mcp.json"), { mcpServers: { a: server("a") } });
    write(join(configHome, "settings.json"), {
      disabledMcpjsonServers: ["a"],
      enableAllProjectMcpServers: true,
    });
    expect((await code()).servers).toEqual([]);
  });
});
