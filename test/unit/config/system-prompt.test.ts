import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInstructionFiles } from "../../../src/config/instructions.js";
import { BUILTIN_TOOL_NAMES, buildSystemPrompt } from "../../../src/config/system-prompt.js";

let root: string;
let repo: string;
let configHome: string;
const savedEnv = { HOME: process.env.HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL };

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-prompt-")));
  // git reads $HOME/.gitconfig: point it at the temp dir so the real home is never involved.
  process.env.HOME = root;
  process.env.GIT_CONFIG_GLOBAL = join(root, "gitconfig");
  writeFileSync(process.env.GIT_CONFIG_GLOBAL, "");
  configHome = join(root, ".claude");
  repo = join(root, "repo");
  mkdirSync(configHome, { recursive: true });
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", "-b", "feature/prompt-test"], { cwd: repo });
  writeFileSync(join(repo, "CLAUDE.md"), "Always run `make check` before finishing.\n");
  writeFileSync(join(repo, "untracked.txt"), "x");
});
afterAll(() => {
  process.env.HOME = savedEnv.HOME;
  if (savedEnv.GIT_CONFIG_GLOBAL === undefined) delete process.env.GIT_CONFIG_GLOBAL;
  else process.env.GIT_CONFIG_GLOBAL = savedEnv.GIT_CONFIG_GLOBAL;
  rmSync(root, { recursive: true, force: true });
});

const date = new Date(2031, 4, 17, 12, 0, 0);

describe("buildSystemPrompt", () => {
  it("puts fixed instructions, then instruction files, then the environment", async () => {
    const blocks = await buildSystemPrompt({
      cwd: repo,
      model: "claude-test-model",
      instructions: loadInstructionFiles({ cwd: repo, configHome, home: root }),
      toolNames: BUILTIN_TOOL_NAMES,
      appendSystemPrompt: "APPENDED-TEXT",
      date,
    });
    expect(blocks).toHaveLength(3);
    const [fixed, files, environment] = blocks as [string, string, string];
    expect(fixed).toContain("You are claw");
    expect(fixed).toContain("Read instead of cat");
    expect(fixed).toContain("Grep instead of grep");
    expect(fixed).toMatch(/force-push/);
    expect(fixed).not.toContain(repo);
    expect(files).toContain(`<instructions path="${join(repo, "CLAUDE.md")}">`);
    expect(files).toContain("Always run `make check` before finishing.");
    expect(environment).toContain(`Working directory: ${repo}`);
    expect(environment).toContain("Today's date: 2031-05-17");
    expect(environment).toContain("Model: claude-test-model");
    expect(environment).toContain("Git branch: feature/prompt-test");
    expect(environment).toContain("?? untracked.txt");
    expect(environment.endsWith("APPENDED-TEXT")).toBe(true);
  });

  it("keeps block 1 identical across directories, dates and models (prompt caching)", async () => {
    const a = await buildSystemPrompt({
      cwd: repo,
      model: "a",
      instructions: [],
      toolNames: BUILTIN_TOOL_NAMES,
      date,
    });
    const b = await buildSystemPrompt({
      cwd: root,
      model: "b",
      instructions: [],
      toolNames: BUILTIN_TOOL_NAMES,
      date: new Date(2040, 0, 1),
    });
    expect(a[0]).toBe(b[0]);
    expect(a).toHaveLength(2); // no instruction files → no empty block
  });

  it("replaces only block 1 with --system-prompt", async () => {
    const blocks = await buildSystemPrompt({
      cwd: repo,
      model: "m",
      instructions: loadInstructionFiles({ cwd: repo, configHome, home: root }),
      toolNames: BUILTIN_TOOL_NAMES,
      systemPromptOverride: "You are a pirate.",
      date,
    });
    expect(blocks[0]).toBe("You are a pirate.");
    expect(blocks.join("\n")).not.toContain("You are claw");
    expect(blocks[1]).toContain("make check");
    expect(blocks[2]).toContain("Git branch: feature/prompt-test");
  });

  it("mentions only the tools that exist", async () => {
    const [fixed] = await buildSystemPrompt({
      cwd: root,
      model: "m",
      instructions: [],
      toolNames: ["Read"],
      date,
    });
    expect(fixed).not.toContain("Bash");
    expect(fixed).not.toContain("TodoWrite");
    const [none] = await buildSystemPrompt({ cwd: root, model: "m", instructions: [], toolNames: [], date });
    expect(none).not.toContain("# Using tools");
  });

  it("caps the git status snapshot", async () => {
    const big = join(root, "big");
    mkdirSync(big);
    execFileSync("git", ["init", "-q"], { cwd: big });
    for (let i = 0; i < 30; i++) writeFileSync(join(big, `f${String(i).padStart(2, "0")}.txt`), "");
    const blocks = await buildSystemPrompt({ cwd: big, model: "m", instructions: [], toolNames: [], date });
    const env = blocks[blocks.length - 1] as string;
    expect(env.match(/^\?\? f\d+\.txt$/gm)).toHaveLength(20);
    expect(env).toContain("… and 10 more");
  });

  it("says when the directory is not a git repository", async () => {
    const plain = join(root, "plain");
    mkdirSync(plain);
    const blocks = await buildSystemPrompt({ cwd: plain, model: "m", instructions: [], toolNames: [], date });
    const env = blocks[blocks.length - 1] as string;
    expect(env).toContain("Git repository: no");
    expect(env).not.toContain("Git branch");
  });
});
