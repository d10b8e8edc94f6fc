// Security regressions for the Bash permission checks: command strings that a prefix allow rule or the
// read-only classifier must not let through, and read-only commands that smuggle a path outside the workspace.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyBashCommand } from "../../../src/policy/bash-readonly.js";
import type { PermissionMode } from "../../../src/policy/permission-types.js";
import { createPermissionGate, type PermissionRulesInput } from "../../../src/policy/permissions.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";

let root = "";
let ws = "";
let home = "";
const saved = { HOME: process.env.HOME, CLAUDE_CONFIG_HOME: process.env.CLAUDE_CONFIG_HOME };

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-permsec-")));
  home = join(root, "home");
  ws = join(root, "ws");
  process.env.HOME = home;
  process.env.CLAUDE_CONFIG_HOME = join(home, ".claude");
  for (const dir of [join(home, ".claude"), join(ws, "src"), join(root, "outside")])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(ws, "src", "a.ts"), "a");
  writeFileSync(join(root, "outside", "secret"), "s");
  // A link that exists only below src/: from the workspace root `link/secret` looks like a missing file inside.
  symlinkSync(join(root, "outside"), join(ws, "src", "link"));
});

afterAll(() => {
  process.env.HOME = saved.HOME;
  if (saved.CLAUDE_CONFIG_HOME === undefined) delete process.env.CLAUDE_CONFIG_HOME;
  else process.env.CLAUDE_CONFIG_HOME = saved.CLAUDE_CONFIG_HOME;
  rmSync(root, { recursive: true, force: true });
});

async function decideBash(mode: PermissionMode, rules: PermissionRulesInput, command: string) {
  const gate = createPermissionGate({
    mode,
    rules,
    workspace: createWorkspaceGuard(ws, [], { home }),
    cwd: ws,
    home,
  });
  return (await gate.decide({ toolName: "Bash", input: { command }, paths: [], kind: "execute" })).behavior;
}

const PREFIX_RULES: PermissionRulesInput = { allow: ["Bash(git status:*)", "Bash(npm test:*)"] };

/** Commands that `Bash(git status:*)` / `Bash(npm test:*)` must not allow without asking. */
const NOT_ALLOWED_BY_PREFIX = [
  "git status; rm -rf x",
  "git status && curl http://127.0.0.1:1/x",
  "git status || rm x",
  "git status | sh",
  "git status |& sh",
  "git status $(rm x)",
  "git status `rm x`",
  'git status "$(rm x)"',
  "git status\nrm x",
  "git status\r\nrm x",
  "git status <(rm x)",
  "git status >(rm x)",
  "npm test <<< $(rm x)",
  "git status & rm x",
  "git status > ~/.bashrc",
  "git status >~/.bashrc",
  "git status >> ~/.bashrc",
  "git status >| ~/.bashrc",
  "git status &> out.txt",
  "git status >& out.txt",
  "git status 2> out.txt",
  "git status > /dev/null/../../tmp/x",
  "FOO=1 rm x",
  "GIT_DIR=/tmp git status",
  "PATH=/tmp/evil:$PATH npm test",
  "git -c core.pager='sh -c id' status",
  "git --exec-path=/tmp status",
  "command rm x",
  "builtin eval rm x",
  "\\rm x",
  "npm test; find . -exec rm {} +",
  "npm test && xargs rm < list",
  "git status\\\n; rm x",
  "npm test -- $(curl x)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
  "git status ${IFS}; rm x",
  "npm testx",
  "npm test\u0000; rm x",
  "eval 'git status; rm x'",
  "bash -c 'git status'",
  "npm test &\nrm x",
  "(git status; rm x)",
  // ANSI-C quoting: $'\'' is one quote character to bash, so the `;` below is an operator.
  "npm test $'\\'' ; rm x",
  "npm test $'a\\'b' ; rm x ; '",
  // A comment hides a quote from bash but not from a naive splitter, which then swallows the next line.
  "npm test #'\nrm x",
  'git status #"\nrm x',
  "npm test x#'y' ; rm x",
  // Redirections hidden from a regex that strips '…' naively.
  "npm test $'\\'' > ~/.bashrc $'\\''",
  "npm test \\' > ~/.bashrc \\'",
  'npm test "\\"" > ~/.bashrc "\\""',
  "npm test $(: #) ; rm x",
  "{ git status; rm x; }",
];

/** Commands the read-only classifier must not call read-only. */
const NOT_READ_ONLY = [
  "git diff --output=/tmp/x",
  "git diff --output /tmp/x",
  "git log --output=/tmp/x",
  "git log --out=/tmp/x",
  "git show --ext-diff",
  "git diff --ext-diff",
  "git grep --open-files-in-pager=sh x",
  "git grep -Osh x",
  "git -c core.pager=sh log",
  "git -C /tmp status",
  "git --git-dir=/tmp/x log",
  "git --work-tree=/tmp log",
  "git config user.name x",
  "git config --get user.name",
  "git remote add x y",
  "git branch newbranch",
  "git branch -D main",
  "git branch -fmain",
  "git stash",
  "git checkout .",
  "sort -o out.txt in.txt",
  "sort -uo out.txt in.txt",
  "sort --output=out.txt in.txt",
  "sort --outp=out.txt in.txt",
  "sort --compress-program=sh in.txt",
  "sed -i s/a/b/ x",
  "sed -n p x",
  "find . -fprint /tmp/x",
  "find . -fprintf /tmp/x %p",
  "find . -fls /tmp/x",
  "find . -exec rm {} ;",
  "find . -execdir rm {} +",
  "find . -ok rm {} ;",
  "find . -delete",
  "less x",
  "more x",
  "man ls",
  "tee x",
  "awk '{system(\"rm x\")}' x",
  "rg --pre sh x",
  "rg --pre=sh x",
  "rg --hostname-bin=sh x",
  "tree -o /tmp/x",
  "tree -R -o x",
  "file -C -m x",
  "xargs rm",
  "env rm x",
  "nice rm x",
  "timeout 1 rm x",
  "command rm x",
  "builtin cd /",
  "exec rm x",
  "\\rm x",
  "r\\m x",
  "cat x > y",
  "cat <(rm x)",
  "cat $HOME/x",
  "cat ~root/x",
  "cat ~+/x",
  "echo `rm x`",
  "ls # ; rm x",
  "ls\nrm x",
  "ls\rrm x",
  "ls&&rm x",
  "ls{,;rm x}",
  "cat x|sh",
  "uniq in out",
  "dd if=x of=y",
  "cp a b",
  "ln -s /etc x",
  "date -s 2020-01-01",
  "tar -xf x",
  "curl http://127.0.0.1:1/",
  "python3 -c 'print(1)'",
  "node -e 1",
  "npm test",
  "sort --files0-from=list.txt",
  "wc --files0-from=list.txt",
  "du --files0-from list.txt",
  "grep -R x src",
  "grep --dereference-recursive x src",
  "rg -L x src",
  "rg --follow x src",
  "diff --to-file=x -r . >y",
  "*",
  "[ls] x",
];

describe("prefix allow rules cannot be stretched into other commands", () => {
  for (const mode of ["default", "workspace-write"] as const) {
    it.each(NOT_ALLOWED_BY_PREFIX)(`${mode}: %j is not allowed by a prefix rule`, async (command) => {
      expect(await decideBash(mode, PREFIX_RULES, command)).not.toBe("allow");
    });
  }
  it("the rules still allow what they name", async () => {
    expect(await decideBash("default", PREFIX_RULES, "npm test -- --watch=false")).toBe("allow");
    expect(await decideBash("default", PREFIX_RULES, "git status --short && npm test")).toBe("allow");
  });
});

describe("read-only classification refuses commands that write or run programs", () => {
  it.each(NOT_READ_ONLY)("%j is not read-only", (command) => {
    expect(classifyBashCommand(command).readOnly).toBe(false);
  });
  it.each(NOT_READ_ONLY)("read-only mode does not run %j", async (command) => {
    expect(await decideBash("read-only", {}, command)).not.toBe("allow");
  });
});

/** Read-only commands that read a file outside the workspace must ask, like Read does. */
const READS_OUTSIDE = [
  "cat ../outside/secret",
  "cat ~/x",
  "grep -r x ../outside",
  "grep -e x ../outside/secret",
  "grep -ex ../outside/secret",
  "grep -rex ../outside",
  "grep --regexp=x ../outside/secret",
  "grep --regexp x ../outside/secret",
  "grep -f ../outside/secret src",
  "grep -f../outside/secret src",
  "grep --file=../outside/secret src",
  "egrep -ex ../outside/secret",
  "rg -ex ../outside",
  "rg --regexp=x ../outside",
  "rg --files ../outside",
  "rg -f ../outside/secret src",
  "git grep -ex -- ../outside",
  "jq -f ../outside/secret src/a.ts",
  "jq --from-file ../outside/secret src/a.ts",
  "jq -L ../outside 'include \"secret\"; .' src/a.ts",
  "diff --from-file=../outside/secret src/a.ts",
  "diff --to-file=../outside/secret src/a.ts",
  "cat -- ../outside/secret",
  "grep x -- ../outside/secret",
  "grep -r x -e y ../outside",
  "cd .. && cat outside/secret",
  "cd ..; cat outside/secret",
  "ls src | cat ../outside/secret",
  "diff src/a.ts ../outside/secret",
  "git diff --no-index src/a.ts ../outside/secret",
  "cd src && cat link/secret",
  "cd src; grep -r x link",
  "cd src | cat link/secret",
  "cd && cat .bashrc",
  "cd - && cat secret",
  "cd src && cd link && cat secret",
];

describe("read-only commands reading outside the workspace ask first", () => {
  for (const mode of ["default", "workspace-write", "read-only"] as const) {
    it.each(READS_OUTSIDE)(`${mode}: %j is not allowed without asking`, async (command) => {
      expect(await decideBash(mode, {}, command)).not.toBe("allow");
    });
  }
  it("the same commands inside the workspace run", async () => {
    expect(await decideBash("default", {}, "grep -ex src/a.ts")).toBe("allow");
    expect(await decideBash("default", {}, "grep -r foo src")).toBe("allow");
    expect(await decideBash("default", {}, "rg --files src")).toBe("allow");
  });
});

describe("file arguments hidden in options", () => {
  it("with --file every positional of grep is a file, and the option's value is one too", () => {
    expect(classifyBashCommand("grep -n --file=pats.txt secret ../other/file.txt")).toEqual({
      readOnly: true,
      paths: ["pats.txt", "secret", "../other/file.txt"],
      otherArgs: ["pats.txt"],
    });
  });
  it("an attached -f value names a file", () => {
    expect(classifyBashCommand("grep -rf../x/pats src")).toMatchObject({ paths: ["../x/pats", "src"] });
  });
  it("without a pattern option the first positional stays the pattern", () => {
    expect(classifyBashCommand("grep -rn /api/v1 src")).toEqual({
      readOnly: true,
      paths: ["src"],
      otherArgs: ["/api/v1"],
      reads: { recursive: true, printsRepository: false },
    });
  });
});

/** Spellings of `rm x` / `curl x` that bash runs as rm / curl: a deny rule holds even in bypass mode. */
const DENIED_SPELLINGS = [
  "rm x",
  "\\rm x",
  "'rm' x",
  '"rm" x',
  "r''m x",
  "/bin/rm x",
  "command rm x",
  "env FOO=1 rm x",
  "sudo -u root rm x",
  "timeout 5 rm x",
  "nice -n 5 rm x",
  "xargs -0 rm < list",
  "find . -exec rm {} +",
  "bash -c 'rm x'",
  "sh -ec 'true; rm x'",
  "sudo bash -c 'rm x'",
  "eval rm x",
  "(rm x)",
  "{ rm x; }",
  "if true; then rm x; fi",
  "! rm x",
  "/usr/bin/curl http://127.0.0.1:1/",
];

describe("deny rules see through quoting, paths and wrappers", () => {
  it.each(DENIED_SPELLINGS)("%j is denied by Bash(rm:*) / Bash(curl:*) in bypass mode", async (command) => {
    const rules = { deny: ["Bash(rm:*)", "Bash(curl:*)"] };
    expect(await decideBash("danger-full-access", rules, command)).toBe("deny");
  });
  it("other commands still run", async () => {
    const rules = { deny: ["Bash(rm:*)", "Bash(curl:*)"] };
    expect(await decideBash("danger-full-access", rules, "echo rm is a word")).toBe("allow");
    expect(await decideBash("danger-full-access", rules, "git rm --cached x")).toBe("allow");
  });
});
