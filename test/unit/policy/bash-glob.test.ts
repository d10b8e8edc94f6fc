// Globs and other expansions in Bash commands: the words claw sees must be the words the shell passes.
// Each expansion below is compared with what dash and bash really produce in the same directory.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandGlob } from "../../../src/policy/bash-glob.js";
import { classifyBashCommand } from "../../../src/policy/bash-readonly.js";
import { shellWords } from "../../../src/policy/bash-words.js";

let root = "";
let ws = "";

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-glob-")));
  ws = join(root, "ws");
  mkdirSync(join(ws, "d0"), { recursive: true });
  mkdirSync(join(root, "outside"));
  writeFileSync(join(root, "outside", "secret"), "s");
  for (const name of ["-exec", "-delete", "x", "evil.sh", ".env", "a.ts", "B.ts", "d0/in.txt"])
    writeFileSync(join(ws, name), "");
  symlinkSync(join(root, "outside"), join(ws, "d1"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const expand = (pattern: string) => expandGlob(pattern, { cwd: ws, home: root });
const words = (command: string) => classifyBashCommand(command, { expandGlob: expand });

/** What a real shell passes for `pattern` in the workspace, one word per line. */
function shellExpansion(shell: string, pattern: string): string[] {
  const out = execFileSync(shell, ["-c", `for w in ${pattern}; do printf '%s\\n' "$w"; done`], { cwd: ws });
  return out.toString().split("\n").filter(Boolean);
}

describe("shellWords marks what the shell would expand", () => {
  it.each([
    ["[-]exec", "[-]exec"],
    ["-[e]xec", "-[e]xec"],
    ["a?b", "a?b"],
    ["'['x\\]*", "\\[x\\]*"],
  ])("%s is a pattern", (word, pattern) => {
    expect(shellWords(`find ${word}`)[1]).toEqual(expect.objectContaining({ pattern }));
  });

  it.each(["'[-]exec'", '"*"', "\\[-]exec", "x\\*"])("%s is quoted, not a pattern", (word) => {
    expect(shellWords(`find ${word}`)[1]?.pattern).toBeUndefined();
  });

  it.each([
    "$X",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    "${IFS}",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    "a${IFS}b",
    '"$X"',
    "$(echo -exec)",
    "`echo x`",
    "$'\\x2dexec'",
    '$"x"',
    "{-exec,x}",
    "-{e,}xec",
    "{1..3}",
    "~root/x",
    "~+/x",
    "--file=~other/x",
    "=curl",
  ])("%s is opaque", (word) => {
    expect(shellWords(`ls ${word}`)[1]?.opaque).toBeTruthy();
  });

  it.each(["{}", "{", "~", "~/x", "a~b", "'$X'", "x=1"])("%s is known", (word) => {
    expect(shellWords(`ls ${word}`)[1]?.opaque).toBeUndefined();
  });
});

describe("expandGlob gives at least the words the shell gives", () => {
  it.each(["[-]exec", "-[e]xec", "*", "d*/*", ".?", ".*", "*.ts", "[a-z].ts", "[!x]*", "d?/*", "nomatch*"])(
    "%s",
    (pattern) => {
      const ours = expand(pattern) ?? [];
      for (const shell of ["/bin/sh", "/bin/bash"]) {
        for (const word of shellExpansion(shell, pattern)) expect(ours).toContain(word);
      }
    },
  );

  it("finds dash's `..` for `.?` and follows a linked directory", () => {
    expect(expand(".?")).toContain("..");
    expect(expand("d*/*")).toContain("d1/secret");
    expect(expand(".?/outside/*")).toContain("../outside/secret");
  });

  it("refuses to predict `**` (recursive in zsh and with globstar)", () => {
    expect(expand("**/*.ts")).toBeUndefined();
  });
});

describe("the read-only check sees the expanded words", () => {
  it.each([
    ["find . -name x [-]exec sh evil.sh \\;", /can write files or run programs/],
    ["find . -name x -[e]xec sh evil.sh \\;", /can write files or run programs/],
    ["find . -name x -e?ec sh evil.sh \\;", /can write files or run programs/],
    ["find . *", /can write files or run programs/],
    ["find . [-]delete", /can write files or run programs/],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    ["find . -name x ${IFS}-exec sh evil.sh \\;", /expansion/],
    ["find . -name x $'-exec' sh evil.sh \\;", /expansion/],
    ["find . -name x {-exec,} sh evil.sh \\;", /brace/],
    ["c?t x", /command name is a glob/],
    ["git s*s", /not a known read-only git command/],
    ["ls **/*.ts", /cannot tell what the glob/],
  ])("%s is not read-only", (command, reason) => {
    const verdict = words(command);
    expect(verdict.readOnly).toBe(false);
    if (!verdict.readOnly) expect(verdict.reason).toMatch(reason);
  });

  it("every expansion is a path, wherever the sort order puts it", () => {
    expect(words("cat d*/*")).toEqual({ readOnly: true, paths: ["d0/in.txt", "d1/secret"], otherArgs: [] });
    expect(words("grep -r x .?")).toMatchObject({ readOnly: true, paths: expect.arrayContaining([".."]) });
    expect(words("grep d*")).toMatchObject({ readOnly: true, paths: ["d0", "d1"] });
  });
});
