// Issue 11, classes 1 and 2 end to end: a glob the read-only check cannot see through must not become an
// option (find's -exec/-delete) or a path out of the workspace (symlinks, dash's `.?` → `..`, /proc).
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMockApi } from "../support/e2e-context.js";
import { bash, everythingSent, runToolCalls } from "../support/tool-calls.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-glob-" });
const API_KEY = "sk-ant-probe-4242-key";
const SECRET = "TOPSECRET-outside-0451";

/** A repository a prompt-injected model (or its author) prepared: files named like find's options. */
function plantOptionFiles(marker: string): void {
  const ws = e2e.sandbox.workspace;
  for (const name of ["-exec", "-delete", "x", "keep.txt"]) writeFileSync(join(ws, name), "");
  writeFileSync(join(ws, "evil.sh"), `touch '${marker}'\n`);
}

describe("class 1: a glob that expands into an option", () => {
  it("read-only mode runs no code through [-]exec and its variants", async () => {
    const marker = join(e2e.sandbox.root, "PWNED");
    plantOptionFiles(marker);
    const commands = [
      "find . -name x [-]exec sh evil.sh \\;",
      "find . -name x -[e]xec sh evil.sh \\;",
      "find . -name x -e?ec sh evil.sh \\;",
      "find . -name x -exe[c] sh evil.sh \\;",
      "find . -name x [[:punct:]]exec sh evil.sh \\;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      "find . -name x ${IFS}-exec sh evil.sh \\;",
    ];
    const { results } = await runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), [
      "--permission-mode",
      "plan",
    ]);
    expect(results).toHaveLength(commands.length);
    for (const result of results) expect(result.text).toMatch(/read-only mode/);
    expect(existsSync(marker)).toBe(false);
  });

  it("default mode does not delete the workspace through [-]delete or find *", async () => {
    plantOptionFiles(join(e2e.sandbox.root, "unused"));
    mkdirSync(join(e2e.sandbox.workspace, ".git"));
    writeFileSync(join(e2e.sandbox.workspace, ".git", "HEAD"), "ref: refs/heads/main\n");
    const commands = ["find . [-]delete", "find *", "find . -[d]elete", "ls -la && find . -de*e"];
    const { results } = await runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), []);
    for (const result of results) expect(result.isError).toBe(true);
    expect(readdirSync(e2e.sandbox.workspace).sort()).toEqual(
      [".git", "-delete", "-exec", "evil.sh", "keep.txt", "x"].sort(),
    );
    expect(existsSync(join(e2e.sandbox.workspace, ".git", "HEAD"))).toBe(true);
  });

  it("a glob that expands to plain file names is still read-only", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "alpha\n");
    writeFileSync(join(e2e.sandbox.workspace, "b.txt"), "beta\n");
    const { results } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [bash("cat *.txt")],
      ["--permission-mode", "plan"],
    );
    expect(results[0]).toEqual({ isError: false, text: expect.stringMatching(/alpha.*beta/s) });
  });
});

describe("class 2: a glob that leaves the workspace", () => {
  it("read-only mode reads nothing outside through links, `.?` or /proc", async () => {
    const { root, workspace } = e2e.sandbox;
    mkdirSync(join(root, "outside"));
    writeFileSync(join(root, "outside", "secret"), `${SECRET}\n`);
    symlinkSync(join(root, "outside"), join(workspace, "d1"));
    symlinkSync(join(root, "outside", "secret"), join(workspace, "link"));
    writeFileSync(join(workspace, "notes.md"), "inside\n");
    const commands = [
      "cat *",
      "head d*/*",
      "cat .?/outside/*",
      "cat ./.?/outside/secre?",
      "grep -r TOP .?",
      "cat /proc/self/envi*",
      "cat /proc/[0-9]*/environ",
      "head -c 100 /pro?/self/environ",
      "wc -c d[0-9]/*",
    ];
    const { results } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      commands.map(bash),
      ["--permission-mode", "plan"],
      { ANTHROPIC_API_KEY: API_KEY, SHELL: "/bin/sh" },
    );
    expect(results).toHaveLength(commands.length);
    for (const result of results) expect(result.isError).toBe(true);
    const sent = everythingSent(e2e.mock);
    expect(sent).not.toContain(SECRET);
    expect(sent).not.toContain(API_KEY);
  });
});

describe("an allowed command cannot reach a protected file through a pattern or another case", () => {
  it("Bash(cp:*) asks before writing a git hook named by a glob, a variable or capital letters", async () => {
    const ws = e2e.sandbox.workspace;
    mkdirSync(join(ws, ".git", "hooks"), { recursive: true });
    mkdirSync(join(ws, ".claude"));
    writeFileSync(join(ws, "payload"), "#!/bin/sh\ntouch PWNED\n");
    const commands = [
      "cp payload .gi?/hooks/pre-commit",
      "cp payload .[g]it/hooks/post-checkout",
      "cp payload .*/hooks/pre-push",
      "cp payload $PWD/.git/hooks/pre-rebase",
      "cp payload .GIT/hooks/post-merge",
      "cp payload .Claude/settings.json",
    ];
    const { results } = await runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), [
      "--permission-mode",
      "acceptEdits",
      "--allowedTools",
      "Bash(cp:*)",
    ]);
    expect(results).toHaveLength(commands.length);
    for (const result of results) expect(result.text).toMatch(/protected path/);
    expect(readdirSync(join(ws, ".git", "hooks"))).toEqual([]);
    expect(readdirSync(join(ws, ".claude"))).toEqual([]);
  });
});
