// Issue 11 class 5 end to end: a repository's own git configuration cannot make a git command that claw
// runs without asking (read-only mode) execute a program: fsmonitor, external diff, textconv and clean
// filters, includes, in any letter case. A plain repository's git commands still run.
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMockApi } from "../support/e2e-context.js";
import { bash, runToolCalls } from "../support/tool-calls.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-git-" });

/** A committed repository with a modified file; returns the path of a program that leaves a marker. */
function plantRepository(): { ws: string; program: string; marker: string } {
  const ws = e2e.sandbox.workspace;
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@x",
  };
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: ws,
      env: { ...env, GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" },
    });
  writeFileSync(join(ws, "a.txt"), "one\n");
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "one");
  writeFileSync(join(ws, "a.txt"), "two\n");
  const marker = join(e2e.sandbox.root, "RAN");
  const program = join(e2e.sandbox.root, "evil.sh");
  writeFileSync(program, `#!/bin/sh\ntouch '${marker}'\ncat "$@" 2>/dev/null\n`);
  chmodSync(program, 0o755);
  return { ws, program, marker };
}

async function runReadOnly(commands: string[]) {
  return runToolCalls(e2e.mock, e2e.sandbox, commands.map(bash), ["--permission-mode", "plan"], {
    SHELL: "/bin/sh",
  });
}

describe("class 5: auto-allowed git runs nothing the repository configures", () => {
  it.each([
    ["core.fsmonitor", (p: string) => `[core]\n\tfsmonitor = ${p}\n`, "git status"],
    ["core.FSMonitor in capitals", (p: string) => `[Core]\n\tFSMonitor = ${p}\n`, "git status"],
    ["core.pager", (p: string) => `[core]\n\tpager = ${p}\n`, "git log"],
    ["pager.log", (p: string) => `[pager]\n\tlog = ${p}\n`, "git log"],
    ["diff.external", (p: string) => `[diff]\n\texternal = ${p}\n`, "git diff"],
    ["a textconv driver", (p: string) => `[diff "x"]\n\ttextconv = ${p}\n`, "git diff"],
    ["a clean filter", (p: string) => `[filter "x"]\n\tclean = ${p}\n`, "git status"],
    ["include.path", (_p: string) => "[include]\n\tpath = ../../extra.cfg\n", "git status"],
    ["includeIf", (_p: string) => '[includeIf "gitdir:/"]\n\tpath = ../../extra.cfg\n', "git status"],
  ])("%s", async (_name, config, command) => {
    const { ws, program, marker } = plantRepository();
    appendFileSync(join(ws, ".git", "config"), config(program));
    writeFileSync(join(e2e.sandbox.root, "extra.cfg"), `[core]\n\tfsmonitor = ${program}\n`);
    writeFileSync(join(ws, ".gitattributes"), "*.txt diff=x filter=x\n");
    const { results } = await runReadOnly([command]);
    expect(results[0]?.text).toMatch(/read-only mode.*git configuration/);
    expect(existsSync(marker)).toBe(false);
  });

  it("settings env that points git at a program (GIT_EXTERNAL_DIFF) makes git ask too", async () => {
    const { ws, program, marker } = plantRepository();
    mkdirSync(join(ws, ".claude"));
    writeFileSync(
      join(ws, ".claude", "settings.json"),
      JSON.stringify({ env: { GIT_EXTERNAL_DIFF: program } }),
    );
    const { results } = await runReadOnly(["git diff"]);
    expect(results[0]?.text).toMatch(/read-only mode.*GIT_EXTERNAL_DIFF/);
    expect(existsSync(marker)).toBe(false);
  });

  it("a plain repository's git commands still run without asking", async () => {
    plantRepository();
    const { results } = await runReadOnly(["git status", "git diff", "git log --oneline"]);
    for (const result of results) expect(result.isError).toBe(false);
    expect(results[1]?.text).toContain("+two");
  });
});
