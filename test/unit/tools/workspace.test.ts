import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bashTool } from "../../../src/tools/bash.js";
import { createWorkspaceGuard, isProtectedPath } from "../../../src/tools/workspace.js";
import { run, type TempWorkspace, tempWorkspace } from "./tool-context.js";

let root: string;
let proj: string;
let evil: string;
let home: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-guard-")));
  proj = join(root, "w", "proj");
  evil = join(root, "w", "proj-evil");
  home = join(root, "home");
  for (const d of [proj, evil, home, join(root, "extra")]) mkdirSync(d, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("createWorkspaceGuard", () => {
  it("realpaths its roots and includes --add-dir directories", () => {
    symlinkSync(proj, join(root, "link-to-proj"));
    const guard = createWorkspaceGuard(join(root, "link-to-proj"), ["../../extra"], { home });
    expect(guard.roots).toEqual([proj, join(root, "extra")]);
  });

  it("resolves relative, .., ~ and absolute paths", async () => {
    const guard = createWorkspaceGuard(proj, [], { home });
    expect(await guard.resolve("src/a.ts")).toBe(join(proj, "src", "a.ts"));
    expect(await guard.resolve("./x/../b.ts")).toBe(join(proj, "b.ts"));
    expect(await guard.resolve("../x")).toBe(join(root, "w", "x"));
    expect(await guard.resolve("~/.bashrc")).toBe(join(home, ".bashrc"));
    expect(await guard.resolve("/etc/x")).toBe("/etc/x");
  });

  it("is separator-aware: a sibling with the same prefix is outside", async () => {
    const guard = createWorkspaceGuard(proj, [], { home });
    expect(guard.contains(proj)).toBe(true);
    expect(guard.contains(join(proj, "a", "b"))).toBe(true);
    expect(guard.contains(await guard.resolve("../proj-evil/x"))).toBe(false);
    expect(guard.contains(join(root, "w", "proj-evil"))).toBe(false);
    expect(guard.contains(await guard.resolve("../x"))).toBe(false);
    expect(guard.contains(await guard.resolve("/etc/x"))).toBe(false);
    expect(guard.contains(await guard.resolve("~/.bashrc"))).toBe(false);
  });

  it("follows a symlink that points outside", async () => {
    const guard = createWorkspaceGuard(proj, [], { home });
    mkdirSync(join(home, ".ssh"));
    writeFileSync(join(home, ".ssh", "id"), "key");
    symlinkSync(join(home, ".ssh"), join(proj, "keys"));
    const resolved = await guard.resolve("keys/id");
    expect(resolved).toBe(join(home, ".ssh", "id"));
    expect(guard.contains(resolved)).toBe(false);
    // A file that does not exist yet under the linked directory is outside too.
    const fresh = await guard.resolve("keys/new/deeper.txt");
    expect(fresh).toBe(join(home, ".ssh", "new", "deeper.txt"));
    expect(guard.contains(fresh)).toBe(false);
  });

  it("follows a dangling symlink to where a write would land", async () => {
    const guard = createWorkspaceGuard(proj, [], { home });
    symlinkSync(join(evil, "not-yet.txt"), join(proj, "dangling"));
    const resolved = await guard.resolve("dangling");
    expect(resolved).toBe(join(evil, "not-yet.txt"));
    expect(guard.contains(resolved)).toBe(false);
    // A relative dangling link resolves against the link's directory.
    symlinkSync("../proj-evil/rel.txt", join(proj, "rel"));
    expect(await guard.resolve("rel")).toBe(join(evil, "rel.txt"));
  });

  it("keeps links that stay inside inside, and reports link loops", async () => {
    const guard = createWorkspaceGuard(proj, [], { home });
    mkdirSync(join(proj, "real"));
    symlinkSync(join(proj, "real"), join(proj, "alias"));
    expect(await guard.resolve("alias/f")).toBe(join(proj, "real", "f"));
    symlinkSync(join(proj, "loop2"), join(proj, "loop1"));
    symlinkSync(join(proj, "loop1"), join(proj, "loop2"));
    await expect(guard.resolve("loop1")).rejects.toThrow(/symbolic links/);
  });
});

describe("a symlink created by Bash", () => {
  let ws: TempWorkspace;
  beforeEach(() => {
    ws = tempWorkspace();
  });
  afterEach(() => ws.cleanup());

  it("is resolved to its target", async () => {
    writeFileSync(join(ws.outside, "target.txt"), "outside\n");
    const r = await run(bashTool, { command: `ln -s ${ws.outside}/target.txt sneaky.txt` }, ws.ctx);
    expect(r.isError).toBeFalsy();
    const resolved = await ws.ctx.workspace.resolve("sneaky.txt");
    expect(resolved).toBe(join(ws.outside, "target.txt"));
    expect(ws.ctx.workspace.contains(resolved)).toBe(false);
  });
});

describe("isProtectedPath", () => {
  it.each([
    ["/w/proj/.git/config", true],
    ["/w/proj/.git/hooks/pre-commit", true],
    ["/w/proj/sub/.git/HEAD", true],
    ["/w/proj/.claude/settings.json", true],
    ["/w/proj/.claude/settings.local.json", true],
    ["/w/proj/.claude/hooks/check.sh", true],
    ["/w/proj/.husky/pre-commit", true],
    ["/w/proj/.claude/agents/x.md", false],
    ["/w/proj/.claude/CLAUDE.md", false],
    ["/w/proj/src/settings.json", false],
    ["/w/proj/.github/workflows/ci.yml", false],
    ["/w/proj/.gitignore", false],
  ])("%s → %s", (path, expected) => {
    expect(isProtectedPath(path, ["/w/proj"])).toBe(expected);
  });
});
