// Path containment end to end: through dist/claw.js in workspace-write mode, file tools never write outside
// the workspace (sibling-prefix dirs, `..`, `~`, symlinks made by Bash, dangling links, mkdir -p through a
// linked dir, NotebookEdit), and protected files (.git, .claude settings, hook scripts) are never written unasked.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, startMockAnthropic } from "../support/mock-anthropic.js";
import { runToolCalls, type ToolCall } from "../support/tool-calls.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let outside = "";

beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  sandbox = makeSandbox("claw-sec-paths-");
  mock.reset();
  outside = join(sandbox.root, "outside");
  mkdirSync(outside);
  mkdirSync(`${sandbox.workspace}-evil`);
  writeFileSync(join(outside, "file.txt"), "original\n");
  writeFileSync(
    join(outside, "nb.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", source: ["x"], metadata: {}, outputs: [] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  mkdirSync(join(sandbox.workspace, ".git", "hooks"), { recursive: true });
  mkdirSync(join(sandbox.workspace, ".claude"));
  symlinkSync(outside, join(sandbox.workspace, "link-out"));
  symlinkSync(join(outside, "file.txt"), join(sandbox.workspace, "link-file"));
  symlinkSync(join(outside, "dangled.txt"), join(sandbox.workspace, "dangle"));
  symlinkSync(join(outside, "deeper", "x.txt"), join(sandbox.workspace, "dangle-deep"));
});
afterEach(() => sandbox.cleanup());

type Call = ToolCall;

/** Runs one -p turn in which the mock model makes each call in order; returns the tool results it saw. */
async function runCalls(calls: Call[], args: string[] = []) {
  const { results, run } = await runToolCalls(
    mock,
    sandbox,
    calls,
    ["--permission-mode", "acceptEdits", ...args],
    {
      SHELL: "/bin/sh",
    },
  );
  expect(run.code).toBe(0);
  return results;
}

describe("file tools stay inside the workspace", () => {
  it("no write lands outside, whatever the path looks like", async () => {
    const results = await runCalls([
      { name: "Write", input: { file_path: `${sandbox.workspace}-evil/x.txt`, content: "pwned" } },
      { name: "Write", input: { file_path: "src/../../outside/dots.txt", content: "pwned" } },
      { name: "Write", input: { file_path: "~/home.txt", content: "pwned" } },
      { name: "Write", input: { file_path: "link-out/new/deep/made.txt", content: "pwned" } },
      { name: "Write", input: { file_path: "dangle", content: "pwned" } },
      { name: "Write", input: { file_path: "dangle-deep", content: "pwned" } },
      { name: "Write", input: { file_path: "link-file", content: "pwned" } },
      { name: "Edit", input: { file_path: "link-file", old_string: "original", new_string: "pwned" } },
      {
        name: "NotebookEdit",
        input: {
          notebook_path: "link-out/nb.ipynb",
          cell_number: 0,
          new_source: "pwned",
          edit_mode: "replace",
        },
      },
      {
        name: "NotebookEdit",
        input: {
          notebook_path: "link-out/new.ipynb",
          new_source: "pwned",
          edit_mode: "insert",
          cell_type: "code",
        },
      },
    ]);
    expect(results).toHaveLength(10);
    for (const result of results) {
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toContain("not granted");
    }
    expect(existsSync(`${sandbox.workspace}-evil/x.txt`)).toBe(false);
    expect(existsSync(join(outside, "dots.txt"))).toBe(false);
    expect(existsSync(join(sandbox.home, "home.txt"))).toBe(false);
    expect(existsSync(join(outside, "new"))).toBe(false);
    expect(existsSync(join(outside, "dangled.txt"))).toBe(false);
    expect(existsSync(join(outside, "deeper"))).toBe(false);
    expect(existsSync(join(outside, "new.ipynb"))).toBe(false);
    expect(readFileSync(join(outside, "file.txt"), "utf8")).toBe("original\n");
    expect(readFileSync(join(outside, "nb.ipynb"), "utf8")).not.toContain("pwned");
  });

  it("a symlink the model makes with Bash is checked on its target when Write and Edit use it", async () => {
    const results = await runCalls(
      [
        { name: "Bash", input: { command: `ln -s ${outside} made-link` } },
        { name: "Bash", input: { command: `ln -s ${join(outside, "file.txt")} made-file` } },
        { name: "Write", input: { file_path: "made-link/x.txt", content: "pwned" } },
        { name: "Write", input: { file_path: "made-file", content: "pwned" } },
      ],
      ["--allowedTools", "Bash(ln:*)"],
    );
    expect(results.map((r) => r.isError)).toEqual([false, false, true, true]);
    expect(results[2]?.text).toContain("outside the workspace");
    expect(results[3]?.text).toContain("outside the workspace");
    expect(existsSync(join(sandbox.workspace, "made-link"))).toBe(true);
    expect(existsSync(join(outside, "x.txt"))).toBe(false);
    expect(readFileSync(join(outside, "file.txt"), "utf8")).toBe("original\n");
  });

  it("protected files ask even in workspace-write, also through a symlink", async () => {
    symlinkSync(join(sandbox.workspace, ".git"), join(sandbox.workspace, "gitlink"));
    const results = await runCalls([
      { name: "Write", input: { file_path: ".claude/settings.json", content: "{}" } },
      { name: "Write", input: { file_path: ".claude/settings.local.json", content: "{}" } },
      { name: "Write", input: { file_path: ".claude/hooks/pre.sh", content: "echo" } },
      { name: "Write", input: { file_path: ".git/hooks/pre-commit", content: "echo" } },
      { name: "Write", input: { file_path: "gitlink/config", content: "[core]" } },
      { name: "Write", input: { file_path: `${sandbox.configHome}/settings.json`, content: "{}" } },
      { name: "Write", input: { file_path: ".mcp.json", content: '{"mcpServers":{}}' } },
    ]);
    expect(results).toHaveLength(7);
    for (const result of results) {
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toContain("not granted");
    }
    expect(existsSync(join(sandbox.workspace, ".claude", "settings.json"))).toBe(false);
    expect(existsSync(join(sandbox.workspace, ".claude", "settings.local.json"))).toBe(false);
    expect(existsSync(join(sandbox.workspace, ".claude", "hooks"))).toBe(false);
    expect(existsSync(join(sandbox.workspace, ".git", "hooks", "pre-commit"))).toBe(false);
    expect(existsSync(join(sandbox.workspace, ".git", "config"))).toBe(false);
    expect(existsSync(join(sandbox.configHome, "settings.json"))).toBe(false);
    expect(existsSync(join(sandbox.workspace, ".mcp.json"))).toBe(false);
  });
});
