// The trust store: keyed by the real project root, parents cover children except /, ~ and above, other keys kept.
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isFolderTrusted,
  trustedFolders,
  trustFolder,
  trustFolderKey,
  trustStorePath,
} from "../../../src/config/trust.js";

let root: string;
let home: string;
let configHome: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-trust-")));
  home = join(root, "home");
  configHome = join(home, ".claude");
  mkdirSync(configHome, { recursive: true });
  env = { HOME: home };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function dir(...parts: string[]): string {
  const path = join(...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

function writeStore(folders: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  writeFileSync(trustStorePath(configHome), JSON.stringify({ ...extra, folders }));
}

describe("trust store", () => {
  it("nothing is trusted without a store, and a malformed store trusts nothing", () => {
    const project = dir(home, "code", "app");
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(false);
    writeFileSync(trustStorePath(configHome), "{not json");
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(false);
    writeStore({ [project]: "yes" });
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(false);
  });

  it("trusting a folder stores the real project root and covers its subfolders", async () => {
    const project = dir(home, "code", "app");
    dir(project, ".git");
    const sub = dir(project, "src", "lib");
    const saved = await trustFolder({ cwd: sub, configHome, env }, new Date("2026-01-02T03:04:05Z"));
    expect(saved).toBe(project);
    expect(trustedFolders(configHome)).toEqual({ [project]: { trustedAt: "2026-01-02T03:04:05.000Z" } });
    expect(isFolderTrusted({ cwd: sub, configHome, env })).toBe(true);
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(true);
    expect(statSync(trustStorePath(configHome)).mode & 0o777).toBe(0o600);
  });

  it("keys by real path: a symlinked checkout is the same folder", async () => {
    const project = dir(home, "code", "app");
    const link = join(home, "link");
    symlinkSync(project, link);
    expect(trustFolderKey(link)).toBe(project);
    await trustFolder({ cwd: link, configHome, env });
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(true);
  });

  it("a sibling or a folder whose name only starts the same is not trusted", async () => {
    const project = dir(home, "code", "app");
    await trustFolder({ cwd: project, configHome, env });
    expect(isFolderTrusted({ cwd: dir(home, "code", "app2"), configHome, env })).toBe(false);
    expect(isFolderTrusted({ cwd: dir(home, "code", "other"), configHome, env })).toBe(false);
  });

  it("a narrower parent entry covers the projects below it", () => {
    const work = dir(home, "work");
    writeStore({ [work]: { trustedAt: "x" } });
    expect(isFolderTrusted({ cwd: dir(work, "a", "b"), configHome, env })).toBe(true);
  });

  it("entries for the home directory, / or above home trust only themselves", () => {
    const project = dir(home, "code", "app");
    writeStore({ [home]: { trustedAt: "x" }, "/": { trustedAt: "x" }, [root]: { trustedAt: "x" } });
    expect(isFolderTrusted({ cwd: project, configHome, env })).toBe(false);
    expect(isFolderTrusted({ cwd: dir(root, "elsewhere"), configHome, env })).toBe(false);
    expect(isFolderTrusted({ cwd: home, configHome, env })).toBe(true);
    expect(isFolderTrusted({ cwd: root, configHome, env })).toBe(true);
  });

  it("keeps other folders and other top-level keys when adding one", async () => {
    const a = dir(home, "a");
    const b = dir(home, "b");
    writeStore({ [a]: { trustedAt: "earlier" } }, { version: 1 });
    await trustFolder({ cwd: b, configHome, env });
    const doc = JSON.parse(readFileSync(trustStorePath(configHome), "utf8"));
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.folders).sort()).toEqual([a, b].sort());
    expect(doc.folders[a].trustedAt).toBe("earlier");
  });

  it("keeps every folder when several are trusted at once (the write holds the file's lock)", async () => {
    const folders = Array.from({ length: 8 }, (_, i) => dir(home, `project-${i}`));
    await Promise.all(folders.map((cwd) => trustFolder({ cwd, configHome, env })));
    for (const cwd of folders) expect(isFolderTrusted({ cwd, configHome, env }), cwd).toBe(true);
  });

  it("creates the config home when it does not exist yet", async () => {
    const freshHome = join(root, "fresh", ".claude");
    const project = dir(root, "p");
    await trustFolder({ cwd: project, configHome: freshHome, env });
    expect(isFolderTrusted({ cwd: project, configHome: freshHome, env })).toBe(true);
  });
});
