// Which read-only commands read more than the paths they name (issue 11, class 3).
import { describe, expect, it } from "vitest";
import { readScope } from "../../../src/policy/bash-reads.js";
import { ruleMayCoverBelow } from "../../../src/policy/permission-rules.js";

const scope = (command: string) => {
  const [head = "", ...args] = command.split(" ");
  return readScope(head, args);
};

describe("readScope", () => {
  it.each([
    "grep -r x",
    "grep -Rn x",
    "grep --recursive x",
    "grep -d recurse x",
    "rg x",
    "find .",
    "du",
    "tree",
    "ls -laR",
  ])("%s is recursive", (command) => expect(scope(command).recursive).toBe(true));
  it.each(["grep -n x f", "cat f", "ls -la", "head f"])("%s is not recursive", (command) =>
    expect(scope(command).recursive).toBe(false),
  );
  it.each([
    "git show HEAD:x",
    "git grep x",
    "git blame f",
    "git cat-file -p HEAD:x",
    "git log -p",
    "git log --oneline -U1",
    "git log -L1,2:f",
    "git log --word-diff",
    "git diff",
    "git diff --stat -p",
    "git --no-pager diff HEAD",
  ])("%s prints files", (command) => expect(scope(command).printsRepository).toBe(true));
  it.each([
    "git status",
    "git log --oneline -5",
    "git log",
    "git diff --stat",
    "git diff --name-only HEAD~1",
    "git ls-files",
  ])("%s prints no file contents", (command) => expect(scope(command).printsRepository).toBe(false));
});

describe("ruleMayCoverBelow", () => {
  const ctx = { cwds: ["/w"], home: "/h" };
  const rule = (content: string) => ({ source: content, tool: "Read", content });
  it.each([
    ["./secrets/**", "/w"],
    ["./secrets/**", "/w/secrets/sub"],
    ["*.env", "/anywhere"],
    ["~/.ssh/**", "/h"],
    ["//etc/shadow", "/"],
    ["./a/*/key", "/w/a"],
  ])("%s may cover something below %s", (content, dir) =>
    expect(ruleMayCoverBelow(rule(content), dir, ctx)).toBe(true),
  );
  it.each([
    ["./secrets/**", "/w/src"],
    ["~/.ssh/**", "/w"],
    ["//etc/shadow", "/w"],
  ])("%s covers nothing below %s", (content, dir) =>
    expect(ruleMayCoverBelow(rule(content), dir, ctx)).toBe(false),
  );
});
