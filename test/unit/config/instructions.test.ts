import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractImports } from "../../../src/config/instruction-imports.js";
import { loadInstructionFiles } from "../../../src/config/instructions.js";

let root: string;
let home: string;
let configHome: string;
let repo: string;

function write(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-instr-")));
  home = join(root, "home");
  configHome = join(home, ".claude");
  repo = join(root, "outer", "repo");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(join(repo, ".git"), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const load = (cwd: string, extra: { maxFileBytes?: number; maxTotalBytes?: number } = {}) =>
  loadInstructionFiles({ cwd, configHome, home, ...extra });

describe("instruction file discovery", () => {
  it("reads the config home file first, then root → cwd in each directory's order, and nothing above the repo", () => {
    write(join(root, "outer", "CLAUDE.md"), "above the repo");
    write(join(configHome, "CLAUDE.md"), "user");
    write(join(repo, "AGENTS.md"), "root agents");
    write(join(repo, "CLAUDE.md"), "root claude");
    write(join(repo, ".claude", "CLAUDE.md"), "root dot-claude");
    write(join(repo, "CLAUDE.local.md"), "root local");
    write(join(repo, "pkg", "CLAUDE.md"), "pkg claude");
    write(join(repo, "pkg", "deep", "AGENTS.md"), "deep agents");
    write(join(repo, "other", "CLAUDE.md"), "sibling, not on the path");
    const files = load(join(repo, "pkg", "deep"));
    expect(files.map((f) => f.content)).toEqual([
      "user",
      "root claude",
      "root local",
      "root dot-claude",
      "root agents",
      "pkg claude",
      "deep agents",
    ]);
    expect(files[1]?.path).toBe(join(repo, "CLAUDE.md"));
    expect(files.every((f) => !f.truncated)).toBe(true);
  });

  it("walks from the filesystem root outside a repository", () => {
    const plain = join(root, "plain", "dir");
    write(join(root, "plain", "CLAUDE.md"), "parent of cwd");
    write(join(plain, "CLAUDE.md"), "cwd");
    expect(load(plain).map((f) => f.content)).toEqual(["parent of cwd", "cwd"]);
  });

  it("drops a file reached twice (same real path)", () => {
    write(join(repo, "CLAUDE.md"), "shared");
    symlinkSync(join(repo, "CLAUDE.md"), join(repo, "AGENTS.md"));
    expect(load(repo).map((f) => f.content)).toEqual(["shared"]);
  });
});

describe("@path imports", () => {
  it("follows relative, nested and absolute imports inside the project, each labelled with its importer", () => {
    write(join(repo, "CLAUDE.md"), "Rules. See @docs/style.md and @~/personal.md.\n");
    write(join(repo, "docs", "style.md"), "style; also @./nested/more.md");
    write(
      join(repo, "docs", "nested", "more.md"),
      `more, and @${join(repo, "abs.md")} and @${join(root, "out.md")}`,
    );
    write(join(repo, "abs.md"), "absolute");
    write(join(root, "out.md"), "outside");
    write(join(home, "personal.md"), "personal");
    const skipped: string[] = [];
    const files = loadInstructionFiles({
      cwd: repo,
      configHome,
      home,
      onSkippedImport: (path) => skipped.push(path),
    });
    expect(files.map((f) => [f.content.split(/[;,.]/)[0], f.importedFrom])).toEqual([
      ["Rules", undefined],
      ["style", join(repo, "CLAUDE.md")],
      ["more", join(repo, "docs", "style.md")],
      ["absolute", join(repo, "docs", "nested", "more.md")],
    ]);
    // Outside the project and the config home: left out and reported (issue 11, class 4).
    expect(skipped.sort()).toEqual([join(home, "personal.md"), join(root, "out.md")].sort());
  });

  it("ignores cycles and imports of files already loaded", () => {
    write(join(repo, "CLAUDE.md"), "a imports @b.md");
    write(join(repo, "b.md"), "b imports @CLAUDE.md and @b.md");
    const files = load(repo);
    expect(files.map((f) => f.path)).toEqual([join(repo, "CLAUDE.md"), join(repo, "b.md")]);
  });

  it("stops at depth 5", () => {
    write(join(repo, "CLAUDE.md"), "level 0 @l1.md");
    for (let level = 1; level <= 7; level++)
      write(join(repo, `l${level}.md`), `level ${level} @l${level + 1}.md`);
    const files = load(repo);
    expect(files.map((f) => f.content.split(" @")[0])).toEqual([
      "level 0",
      "level 1",
      "level 2",
      "level 3",
      "level 4",
      "level 5",
    ]);
  });

  it("does not treat code, emails or missing files as imports", () => {
    write(join(repo, "secret.md"), "SHOULD NOT APPEAR");
    write(
      join(repo, "CLAUDE.md"),
      [
        "Mail me at me@secret.md",
        "Run `cat @secret.md` first",
        "```sh",
        "echo @secret.md",
        "```",
        "@missing.md",
      ].join("\n"),
    );
    expect(load(repo).map((f) => f.path)).toEqual([join(repo, "CLAUDE.md")]);
  });

  it("extracts tokens from prose only", () => {
    expect(extractImports("see @a.md, then (@b/c.md).\n~~~\n@d.md\n~~~\n`@e.md` @f.md")).toEqual([
      "a.md",
      "b/c.md",
      "f.md",
    ]);
  });
});

describe("budgets", () => {
  it("cuts a file over the per-file budget at a line end and says so", () => {
    const big = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(20)}`).join("\n");
    write(join(repo, "CLAUDE.md"), big);
    const [file] = load(repo, { maxFileBytes: 2048 });
    expect(file?.truncated).toBe(true);
    expect(file?.content).toMatch(
      /\nline \d+ x+\n\n\[claw: truncated here — .*CLAUDE\.md is 12 KB; only the first 2 KB/,
    );
    expect(Buffer.byteLength(file?.content.split("\n\n[claw:")[0] ?? "")).toBeLessThanOrEqual(2048);
  });

  it("keeps the files nearest cwd whole when the total budget runs out, and marks the rest", () => {
    write(join(configHome, "CLAUDE.md"), "u".repeat(3000));
    write(join(repo, "CLAUDE.md"), "r".repeat(3000));
    write(join(repo, "pkg", "CLAUDE.md"), "p".repeat(3000));
    const files = load(join(repo, "pkg"), { maxTotalBytes: 7200 });
    expect(files.map((f) => f.truncated)).toEqual([true, false, false]);
    expect(files[0]?.content).toContain(
      "[claw: truncated here — instruction files exceed the 7 KB total budget",
    );
    expect(files[2]?.content).toBe("p".repeat(3000));

    const tight = load(join(repo, "pkg"), { maxTotalBytes: 3500 });
    expect(tight[0]?.content).toMatch(/^\[claw: not included — .*Read .*CLAUDE\.md/);
    expect(tight[2]?.content).toBe("p".repeat(3000));
  });

  it("never splits a multi-byte character", () => {
    write(join(repo, "CLAUDE.md"), "é".repeat(3000));
    const [file] = load(repo, { maxFileBytes: 1001 });
    expect(file?.content).not.toContain("\uFFFD");
  });
});
