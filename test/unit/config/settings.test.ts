import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSettings, reportSettingsWarnings } from "../../../src/config/settings.js";

let root: string;
let configHome: string;
let project: string;

function write(path: string, content: unknown): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-settings-"));
  configHome = join(root, "home", ".claude");
  project = join(root, "project");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(join(project, ".git"), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const userFile = () => join(configHome, "settings.json");
const projectFile = () => join(project, ".claude", "settings.json");
const localFile = () => join(project, ".claude", "settings.local.json");

describe("loadSettings precedence and merging", () => {
  it("applies user < project < local < --settings for scalars and records the source", async () => {
    write(userFile(), { model: "user-model", theme: "dark", autoCompact: true });
    write(projectFile(), { model: "project-model", cleanupPeriodDays: 7 });
    write(localFile(), { model: "local-model" });
    const loaded = await loadSettings({ cwd: project, configHome, flagSettings: '{"cleanupPeriodDays": 3}' });
    expect(loaded.settings.model).toBe("local-model");
    expect(loaded.settings.theme).toBe("dark");
    expect(loaded.settings.autoCompact).toBe(true);
    expect(loaded.settings.cleanupPeriodDays).toBe(3);
    expect(loaded.sources.model).toBe(localFile());
    expect(loaded.sources.theme).toBe(userFile());
    expect(loaded.sources.cleanupPeriodDays).toBe("--settings");
    expect(loaded.files.map((f) => f.scope)).toEqual(["user", "project", "local", "flag"]);
    expect(loaded.warnings).toEqual([]);
  });

  it("reads --settings from a file path relative to cwd", async () => {
    write(userFile(), { model: "user-model" });
    write(join(project, "extra.json"), { model: "flag-model" });
    const loaded = await loadSettings({ cwd: project, configHome, flagSettings: "extra.json" });
    expect(loaded.settings.model).toBe("flag-model");
    expect(loaded.sources.model).toBe(join(project, "extra.json"));
  });

  it("warns (not fails) when the --settings file is missing", async () => {
    const loaded = await loadSettings({ cwd: project, configHome, flagSettings: "nope.json" });
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain(join(project, "nope.json"));
  });

  it("finds project settings at the repository root from a subdirectory", async () => {
    write(projectFile(), { model: "project-model" });
    const sub = join(project, "a", "b");
    mkdirSync(sub, { recursive: true });
    expect((await loadSettings({ cwd: sub, configHome })).settings.model).toBe("project-model");
  });

  it("merges objects deeply and concatenates permission rule lists without duplicates", async () => {
    write(userFile(), {
      permissions: { allow: ["Read", "Bash(git status)"], deny: ["Bash(rm:*)"], defaultMode: "default" },
      env: { A: "1", B: "2" },
      mcpServers: { one: { command: "a" } },
    });
    write(projectFile(), {
      permissions: { allow: ["Bash(npm test:*)", "Read"], additionalDirectories: ["../shared"] },
      env: { B: "two", C: "3" },
      mcpServers: { two: { type: "http", url: "http://127.0.0.1:1/mcp" } },
    });
    write(localFile(), { permissions: { allow: ["Edit"], defaultMode: "acceptEdits" } });
    const { settings, sources } = await loadSettings({ cwd: project, configHome });
    expect(settings.permissions?.allow).toEqual(["Read", "Bash(git status)", "Bash(npm test:*)", "Edit"]);
    expect(settings.permissions?.deny).toEqual(["Bash(rm:*)"]);
    expect(settings.permissions?.additionalDirectories).toEqual(["../shared"]);
    expect(settings.permissions?.defaultMode).toBe("acceptEdits");
    expect(settings.env).toEqual({ A: "1", B: "two", C: "3" });
    expect(Object.keys(settings.mcpServers ?? {})).toEqual(["one", "two"]);
    expect(sources["permissions.allow[2]"]).toBe(projectFile());
    expect(sources["permissions.allow[3]"]).toBe(localFile());
    expect(sources["env.A"]).toBe(userFile());
    expect(sources["env.B"]).toBe(projectFile());
  });

  it("adds hook matchers from every file", async () => {
    const hook = (command: string) => ({ matcher: "Bash", hooks: [{ type: "command", command }] });
    write(userFile(), { hooks: { PreToolUse: [hook("user.sh")] } });
    write(projectFile(), {
      hooks: { PreToolUse: [hook("project.sh")], Stop: [{ hooks: [{ type: "command", command: "s" }] }] },
    });
    const { settings } = await loadSettings({ cwd: project, configHome });
    expect(settings.hooks?.PreToolUse?.map((m) => m.hooks[0]?.command)).toEqual(["user.sh", "project.sh"]);
    expect(settings.hooks?.Stop).toHaveLength(1);
  });

  it("merges oauth field by field and replaces non-rule arrays", async () => {
    const oauth = { clientId: "c", authorizeUrl: "http://127.0.0.1/a", tokenUrl: "http://127.0.0.1/t" };
    write(userFile(), { oauth: { ...oauth, scopes: ["a", "b"] } });
    write(projectFile(), { oauth: { scopes: ["c"], clientId: "project-client" } });
    const { settings, warnings } = await loadSettings({ cwd: project, configHome });
    expect(warnings).toEqual([]);
    expect(settings.oauth).toEqual({ ...oauth, clientId: "project-client", scopes: ["c"] });
  });
});

describe("loadSettings problems are never fatal", () => {
  it("keeps unknown keys and warns once per key, naming key and file", async () => {
    write(userFile(), {
      model: "m",
      fancyNewThing: { a: 1 },
      permissions: { alow: ["Read"] },
      spinnerTipsEnabled: false,
    });
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.settings.model).toBe("m");
    expect((loaded.settings as Record<string, unknown>).fancyNewThing).toEqual({ a: 1 });
    const unknown = loaded.warnings.filter((w) => w.includes("unknown key"));
    expect(unknown).toHaveLength(2);
    expect(unknown[0]).toContain('"fancyNewThing"');
    expect(unknown[0]).toContain(userFile());
    expect(unknown[1]).toContain('"permissions.alow"');
    // A Claude Code key claw does not use yet is not noise.
    expect(loaded.warnings.join("\n")).not.toContain("spinnerTipsEnabled");

    const printed: string[] = [];
    reportSettingsWarnings(loaded.warnings, (line) => printed.push(line));
    reportSettingsWarnings((await loadSettings({ cwd: project, configHome })).warnings, (line) =>
      printed.push(line),
    );
    expect(printed.filter((line) => line.includes("fancyNewThing"))).toHaveLength(1);
    expect(printed.every((line) => line.endsWith("\n") && line.split("\n").length === 2)).toBe(true);
  });

  it("ignores only the wrong-typed key and uses the rest", async () => {
    write(userFile(), { model: "user-model", autoCompact: false });
    write(projectFile(), {
      model: 42,
      autoCompact: "yes",
      theme: "light",
      permissions: { allow: ["Read", 7, "Edit"], deny: "Bash" },
      env: { GOOD: "1", BAD: 2 },
    });
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.settings.model).toBe("user-model");
    expect(loaded.settings.autoCompact).toBe(false);
    expect(loaded.settings.theme).toBe("light");
    expect(loaded.settings.permissions?.allow).toEqual(["Read", "Edit"]);
    expect(loaded.settings.permissions?.deny).toBeUndefined();
    expect(loaded.settings.env).toEqual({ GOOD: "1" });
    const text = loaded.warnings.join("\n");
    for (const key of [
      '"model"',
      '"autoCompact"',
      '"permissions.allow[1]"',
      '"permissions.deny"',
      '"env.BAD"',
    ])
      expect(text).toContain(key);
    expect(loaded.warnings.every((w) => w.includes(projectFile()))).toBe(true);
  });

  it("drops only the bad member of a hook list and a record", async () => {
    write(userFile(), {
      hooks: {
        PreToolUse: [{ hooks: [{ type: "command" }] }, { hooks: [{ type: "command", command: "ok.sh" }] }],
      },
      mcpServers: { good: { command: "x" }, bad: { command: 5 } },
    });
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.settings.hooks?.PreToolUse?.map((m) => m.hooks.map((h) => h.command))).toEqual([
      [],
      ["ok.sh"],
    ]);
    expect(loaded.settings.mcpServers?.good).toEqual({ command: "x" });
    expect(loaded.settings.mcpServers?.bad).toEqual({});
    expect(loaded.warnings.join("\n")).toContain('"hooks.PreToolUse[0].hooks[0]" ignored');
  });

  it("reports a malformed file with path, line and column and skips it", async () => {
    write(userFile(), { model: "user-model" });
    write(projectFile(), '{\n  "model": "project-model",\n  "theme": dark\n}\n');
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.settings.model).toBe("user-model");
    expect(loaded.settings.theme).toBeUndefined();
    expect(loaded.files.map((f) => f.scope)).toEqual(["user"]);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain(projectFile());
    expect(loaded.warnings[0]).toContain("line 3, column 12");
  });

  it("reports a trailing comma and a non-object document", async () => {
    write(projectFile(), '{"model": "x",\n}');
    write(localFile(), "[1, 2]");
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.warnings[0]).toContain("line 2, column 1");
    expect(loaded.warnings[1]).toContain(localFile());
    expect(loaded.settings).toEqual({});
  });

  it("treats an empty file as empty settings", async () => {
    write(userFile(), "  \n");
    const loaded = await loadSettings({ cwd: project, configHome });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.settings).toEqual({});
  });

  it("reads the user file once when the project root is the home directory", async () => {
    const home = join(root, "home");
    mkdirSync(join(home, ".git"));
    write(userFile(), { permissions: { allow: ["Read"] } });
    const loaded = await loadSettings({ cwd: home, configHome });
    expect(loaded.files).toHaveLength(1);
    expect(loaded.settings.permissions?.allow).toEqual(["Read"]);
  });
});
