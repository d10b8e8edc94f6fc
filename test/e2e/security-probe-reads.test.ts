// Issue 11 classes 3 and 6 end to end: Read deny rules hold for Bash too (recursive reads, globs, git
// commands that print files), claw's own credentials are never readable by any tool, and writes to the
// home directory's dotfiles always ask.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMockApi } from "../support/e2e-context.js";
import { bash, everythingSent, runToolCalls } from "../support/tool-calls.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-reads-" });
const SECRET = "SECRET-KEY-7f3a9";

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
    stdio: "ignore",
  });
}

/** A repository whose secrets/key is committed in two revisions, and a harmless src/. */
function repositoryWithSecret(): string {
  const ws = e2e.sandbox.workspace;
  mkdirSync(join(ws, "secrets"));
  mkdirSync(join(ws, "src"));
  writeFileSync(join(ws, "src", "app.txt"), "hello app\n");
  writeFileSync(join(ws, "secrets", "key"), "old\n");
  git(ws, "init", "-q");
  git(ws, "add", ".");
  git(ws, "commit", "-qm", "one");
  writeFileSync(join(ws, "secrets", "key"), `${SECRET}\n`);
  git(ws, "commit", "-qam", "two");
  return ws;
}

describe("class 3: Read deny rules hold for Bash", () => {
  it("with Read(./secrets/**) denied, no recursive, globbed or git read prints the secret", async () => {
    repositoryWithSecret();
    const commands = [
      "grep -r SECRET .",
      "grep -rn SECRET",
      "rg SECRET",
      "cat secre*/*",
      "cat */key",
      "head s?crets/k?y",
      "git grep SECRET",
      "git show HEAD:secrets/key",
      "git log -p",
      "git log -U1 --oneline",
      "git diff HEAD~1",
      "git blame secrets/key",
      "git cat-file -p HEAD:secrets/key",
      "cd src && grep -r SECRET ..",
    ];
    const { results } = await runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), [
      "--disallowedTools",
      "Read(./secrets/**)",
    ]);
    expect(results).toHaveLength(commands.length);
    for (const result of results) expect(result.isError).toBe(true);
    expect(everythingSent(e2e.mock)).not.toContain(SECRET);
  });

  it("reads that cannot reach the denied files still run without asking", async () => {
    repositoryWithSecret();
    const commands = [
      "grep -r hello src",
      "cat src/*",
      "git log --oneline",
      "git status",
      "git diff --stat HEAD~1",
    ];
    const { results } = await runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), [
      "--disallowedTools",
      "Read(./secrets/**)",
    ]);
    for (const result of results) expect(result.isError).toBe(false);
    expect(results[0]?.text).toContain("hello app");
    expect(results[4]?.text).toContain("secrets/key");
  });
});

describe("class 6: claw's credentials and the user's dotfiles", () => {
  it("run in the home directory, no tool returns the saved login, in any mode", async () => {
    const { home, configHome } = e2e.sandbox;
    const token = "sk-ant-oat01-PROBE-TOKEN-93";
    writeFileSync(join(configHome, "credentials.json"), JSON.stringify({ oauth: { accessToken: token } }));
    writeFileSync(join(home, "notes.txt"), "plain\n");
    const calls = [
      { name: "Read", input: { file_path: join(configHome, "credentials.json") } },
      { name: "Grep", input: { pattern: "PROBE", path: configHome, output_mode: "content" } },
      { name: "Grep", input: { pattern: "PROBE", output_mode: "content" } },
      bash("cat .claude/credentials.json"),
      bash("cat .claude/*"),
      bash("cat .c*/cred*"),
      bash("grep -r PROBE ."),
      bash("cat ~/.claude/credentials.json"),
    ];
    for (const mode of ["default", "bypassPermissions"]) {
      e2e.mock.reset();
      const { results } = await runToolCalls(
        e2e.mock,
        e2e.sandbox,
        calls,
        ["--permission-mode", mode],
        {},
        home,
      );
      expect(results).toHaveLength(calls.length);
      expect(everythingSent(e2e.mock)).not.toContain(token);
    }
  });

  it("writes to the home directory's dotfiles ask, whatever their case", async () => {
    const { home } = e2e.sandbox;
    const write = (file_path: string) => ({ name: "Write", input: { file_path, content: "[alias]\n" } });
    const files = [
      ".gitconfig",
      ".bashrc",
      ".profile",
      ".ssh/config",
      ".npmrc",
      ".config/git/config",
      ".GITCONFIG",
    ];
    const { results } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [...files.map((f) => write(join(home, f))), write(join(home, "project-notes.txt"))],
      ["--permission-mode", "acceptEdits"],
      {},
      home,
    );
    for (const result of results.slice(0, files.length)) expect(result.text).toMatch(/protected/);
    for (const file of files) expect(existsSync(join(home, file))).toBe(false);
    expect(results.at(-1)?.isError).toBe(false);
  });
});
