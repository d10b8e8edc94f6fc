// The Bash read-only classifier and the compound-command splitter, case by case.
import { describe, expect, it } from "vitest";
import { classifyBashCommand } from "../../../src/policy/bash-readonly.js";
import { splitCompoundCommand } from "../../../src/policy/bash-split.js";

const readOnly: string[] = [
  "ls",
  "ls -la src",
  "cat README.md",
  "head -n 20 src/main.ts",
  "tail -5 log.txt",
  "pwd",
  "echo hello world",
  "echo '$IFS is literal in single quotes'",
  "git status",
  "git --no-pager log --oneline -n 5",
  "git diff HEAD~1 -- src",
  "git show HEAD:src/main.ts",
  "git branch",
  "git branch -a -v",
  "git branch --list 'feat*'",
  "git remote -v",
  "grep -rn 'TODO' src",
  "rg -i foo src",
  "rg --pretty foo",
  "find . -name '*.ts' -type f",
  "find src -maxdepth 2",
  "sort -k2 -n data.txt",
  "ls -- -weird-name",
  'grep "a b" file.txt',
  "file a.txt",
  "sha256sum a.txt",
];

const notReadOnly: Array<[string, RegExp]> = [
  ["rm -rf x", /not a known read-only command/],
  ["cd .claude && echo > x", /operator "&&"/],
  ["ls; rm x", /operator ";"/],
  ["ls | head", /operator "\|"/],
  ["ls || rm x", /operator/],
  ["echo hi > x", /redirection/],
  ["cat < /etc/passwd", /redirection/],
  ["cat $(echo x)", /substitution|expansion/],
  ["cat `echo x`", /substitution|expansion/],
  ["ls$IFS-la", /expansion/],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
  ["cat${IFS}/etc/passwd", /expansion/],
  ['echo "$HOME"', /expansion/],
  ["echo $'\\x3b'", /expansion/],
  ["find . -delete", /can write files or run programs/],
  ["find . -name x -exec rm {} ;", /brace|operator|can write/],
  ["find . -execdir ls", /can write/],
  ["find . -fprint out.txt", /can write/],
  ["find . -ok rm", /can write/],
  ["find . -dele\\te", /can write/],
  ["find * -name x", /glob/],
  ["sort -o out.txt in.txt", /can write/],
  ["sort -ro out.txt in.txt", /can write/],
  ["sort --out=x in", /can write/],
  ["rg --pre cat foo", /can write/],
  ["git log --output=x", /can write/],
  ["git diff --out=x", /can write/],
  ["git push", /not a known read-only git/],
  ["git -c core.pager=sh log", /not a known read-only git/],
  ["git branch newbranch", /creates a branch/],
  ["git branch -D main", /creates a branch|can write/],
  ["git branch -D --list x", /can write/],
  ["ls\nrm x", /newline/],
  ["ls a#; rm x", /operator|comment/],
  ["ls a # comment", /comment/],
  ["echo {a,b}", /brace/],
  ["FOO=1 ls", /not a known read-only command/],
  ["cat ~root/.ssh/id_rsa", /tilde/],
  ["ls ~+", /tilde/],
  ["/bin/rm x", /not a known/],
  ["sed -i s/a/b/ file", /not a known/],
  ["cat <(ls)", /redirection|subshell/],
  ["(ls)", /subshell/],
  ["ls &", /operator "&"/],
  ["ls -la && sleep 5", /operator "&&"/],
  ["ls || rm x", /operator "\|\|"/],
  ["echo 'unterminated", /unterminated/],
  ["", /empty/],
  ["npm test", /not a known/],
  // Issue 11 class 12: options that take the names to read from a file claw does not see.
  ["file -f list.txt", /can write files or run programs/],
  ["file -bf list.txt", /can write files or run programs/],
  ["file --files-from list.txt", /can write files or run programs/],
  ["file --files-f=list.txt", /can write files or run programs/],
  ["sha256sum -c sums.txt", /can write files or run programs/],
  ["md5sum --check sums.txt", /can write files or run programs/],
  ["cksum -c sums.txt", /can write files or run programs/],
  ["find . -files0-from list", /can write files or run programs/],
  ["wc --files0-from=list", /can write files or run programs/],
  ["du --files0-from list", /can write files or run programs/],
  ["tree --fromfile list", /can write files or run programs/],
  ["git log --pathspec-from-file=list", /can write files or run programs/],
  ["git diff --pathspec-from-file list", /can write files or run programs/],
  ["tar -T list -cf -", /not a known read-only command/],
  ["xargs -a list cat", /not a known read-only command/],
  ["rsync --files-from=list / x", /not a known read-only command/],
  ["cpio -o < list", /redirection/],
];

describe("classifyBashCommand", () => {
  it.each(readOnly)("%s is read-only", (command) => {
    expect(classifyBashCommand(command)).toMatchObject({ readOnly: true });
  });

  it.each(notReadOnly)("%s is not read-only", (command, reason) => {
    const verdict = classifyBashCommand(command);
    expect(verdict.readOnly).toBe(false);
    if (!verdict.readOnly) expect(verdict.reason).toMatch(reason);
  });

  it("reports the arguments that may be files: with --file= the pattern comes from a file, so every word is a file", () => {
    expect(classifyBashCommand("grep -n --file=pats.txt secret ../other/file.txt")).toEqual({
      readOnly: true,
      paths: ["pats.txt", "secret", "../other/file.txt"],
      otherArgs: ["pats.txt"],
    });
    expect(classifyBashCommand("grep -n secret ../other/file.txt")).toEqual({
      readOnly: true,
      paths: ["../other/file.txt"],
      otherArgs: ["secret"],
    });
    expect(classifyBashCommand("cat ~/.ssh/id_rsa /etc/passwd")).toEqual({
      readOnly: true,
      paths: ["~/.ssh/id_rsa", "/etc/passwd"],
      otherArgs: [],
    });
    // A glob counts only with the words it expands to (bash-glob.test.ts has the filesystem cases).
    expect(classifyBashCommand("ls /etc/*.conf")).toMatchObject({ readOnly: false });
    expect(
      classifyBashCommand("ls /etc/*.conf", { expandGlob: () => ["/etc/a.conf", "/etc/b.conf"] }),
    ).toEqual({ readOnly: true, paths: ["/etc/a.conf", "/etc/b.conf"], otherArgs: [] });
  });
});

describe("splitCompoundCommand", () => {
  it("splits on && || ; | & and newlines, respecting quotes", () => {
    const parts = splitCompoundCommand("npm test && echo 'a && b' || git log | head; ls & pwd\nwc");
    expect(parts.map((p) => p.text)).toEqual([
      "npm test",
      "echo 'a && b'",
      "git log",
      "head",
      "ls",
      "pwd",
      "wc",
    ]);
  });

  it("keeps redirections like 2>&1 and &> inside a part and flags file redirections", () => {
    const [a, b, c] = splitCompoundCommand("npm test 2>&1; npm test > out.txt; npm test &>/dev/null");
    expect(a).toEqual({ text: "npm test 2>&1", hasSubstitution: false, hasFileRedirection: false });
    expect(b?.hasFileRedirection).toBe(true);
    expect(c).toMatchObject({ text: "npm test &>/dev/null", hasFileRedirection: false });
  });

  it("flags substitutions and does not split inside them", () => {
    const parts = splitCompoundCommand("echo $(ls; rm x) `id`");
    expect(parts).toHaveLength(1);
    expect(parts[0]?.hasSubstitution).toBe(true);
    expect(splitCompoundCommand("echo '$(not)'")[0]?.hasSubstitution).toBe(false);
  });
});
