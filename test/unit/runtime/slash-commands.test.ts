import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  expandCustomCommand,
  loadCustomCommands,
  parseSlashCommand,
  suggestCommands,
} from "../../../src/runtime/slash-commands.js";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe("slash commands", () => {
  it("parses names and arguments, and not paths", () => {
    expect(parseSlashCommand("/model  opus 4 ")).toEqual({ name: "model", args: "opus 4" });
    expect(parseSlashCommand("/help")).toEqual({ name: "help", args: "" });
    expect(parseSlashCommand("/usr/bin/env is odd")).toBeUndefined();
  });

  it("suggests close names", () => {
    expect(suggestCommands("stauts", ["status", "help", "model"])).toEqual(["status"]);
    expect(suggestCommands("xyzzy", ["status", "help"])).toEqual([]);
  });

  it("loads project and user commands; project wins; built-ins cannot be shadowed", () => {
    root = mkdtempSync(join(tmpdir(), "claw-slash-"));
    const cwd = join(root, "proj");
    const home = join(root, "home");
    mkdirSync(join(cwd, ".claude", "commands", "git"), { recursive: true });
    mkdirSync(join(home, "commands"), { recursive: true });
    writeFileSync(
      join(cwd, ".claude", "commands", "review.md"),
      "---\ndescription: Review a file\n---\nReview $ARGUMENTS carefully.",
    );
    writeFileSync(join(cwd, ".claude", "commands", "git", "commit.md"), "Write a commit message.");
    writeFileSync(join(home, "commands", "review.md"), "user version");
    writeFileSync(join(home, "commands", "help.md"), "shadow");
    const commands = loadCustomCommands(cwd, home);
    expect(commands.map((c) => c.name).sort()).toEqual(["git:commit", "review"]);
    const review = commands.find((c) => c.name === "review")!;
    expect(review.description).toBe("Review a file");
    expect(expandCustomCommand(review, "src/a.ts")).toBe("Review src/a.ts carefully.");
    const commit = commands.find((c) => c.name === "git:commit")!;
    expect(expandCustomCommand(commit, "be brief")).toBe("Write a commit message.\n\nbe brief");
  });
});
