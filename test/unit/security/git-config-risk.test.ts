// Which repository configurations let claw run git without asking (issue 11, class 5).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitConfigRisk } from "../../../src/util/git-config-risk.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repoWithConfig(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "claw-gitcfg-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, ".git", "config"), config);
  mkdirSync(join(dir, "sub"));
  return join(dir, "sub");
}

const CLONED = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = true
[remote "origin"]
\turl = https://example.com/x/y.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
\tmerge = refs/heads/main
[lfs]
\trepositoryformatversion = 0
`;

describe("gitConfigRisk", () => {
  it("a freshly cloned repository's config is inert", () => {
    expect(gitConfigRisk(repoWithConfig(CLONED))).toBeUndefined();
  });

  it.each([
    ["[core]\n\tfsmonitor = ./x\n", /core\.fsmonitor/],
    ["[CORE]\n\tsshCommand = ./x\n", /core\.sshcommand/],
    ["[core]\n\thooksPath = ./h\n", /core\.hookspath/],
    ["[core]\n\tworktree = /\n", /core\.worktree/],
    ['[diff "x"]\n\ttextconv = ./x\n', /diff\.<name>\.textconv/],
    ['[filter "lfs"]\n\tprocess = ./x\n', /filter\.<name>\.process/],
    ["[alias]\n\tst = !./x\n", /alias\.st/],
    ["[include]\n\tpath = ../x\n", /include\.path/],
    ['[includeIf "gitdir:/"]\n\tpath = ../x\n', /includeif\.<name>\.path/],
    ["[core] fsmonitor = ./x\n", /section's line/],
    ["[core]\n\tpager = a \\\n b\n", /core\.pager|continued/],
    ["= orphan value\n", /read differently/],
  ])("%j asks", (config, reason) => {
    expect(gitConfigRisk(repoWithConfig(CLONED + config))).toMatch(reason);
  });

  it("follows a .git file to the real git directory", () => {
    const sub = repoWithConfig(CLONED);
    const real = join(sub, "..", "elsewhere");
    mkdirSync(real);
    writeFileSync(join(real, "config"), "[core]\n\tfsmonitor = ./x\n");
    mkdirSync(join(sub, "wt"));
    writeFileSync(join(sub, "wt", ".git"), `gitdir: ${real}\n`);
    expect(gitConfigRisk(join(sub, "wt"))).toMatch(/fsmonitor/);
  });

  it("settings env that steers git asks", () => {
    expect(gitConfigRisk(repoWithConfig(CLONED), { GIT_SSH_COMMAND: "./x" })).toMatch(/GIT_SSH_COMMAND/);
    expect(gitConfigRisk(repoWithConfig(CLONED), { GIT_AUTHOR_NAME: "me" })).toBeUndefined();
  });
});
