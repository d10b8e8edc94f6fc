// FAULTS.md T7, T8, T9, T11 and T13 through the built CLI: read-only mode refuses every write (shell tricks included)
// before anything runs, protected files need approval even where writes are allowed, and `env` inside Bash
// shows no credentials. The proof is the workspace hash and what the model was sent back.
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

/** Hash of every path, mode and content under the workspace (dot-dirs included). */
function workspaceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      hash.update(`${relative(e2e.sandbox.workspace, path)}\0${st.mode}\0`);
      if (st.isDirectory()) walk(path);
      else if (st.isSymbolicLink()) hash.update(readlinkSync(path));
      else hash.update(readFileSync(path));
    }
  };
  walk(e2e.sandbox.workspace);
  return hash.digest("hex");
}

function seedWorkspace(): void {
  const ws = e2e.sandbox.workspace;
  for (const dir of [".claude/hooks", ".git/hooks", "src"]) mkdirSync(join(ws, dir), { recursive: true });
  writeFileSync(join(ws, "keep.txt"), "keep me\n");
  writeFileSync(join(ws, "src", "a.ts"), "export const a = 1;\n");
  writeFileSync(join(ws, ".claude", "settings.json"), '{"permissions":{"allow":[]}}\n');
  writeFileSync(join(ws, ".claude", "hooks", "check.sh"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  writeFileSync(join(ws, ".git", "config"), "[core]\n\tbare = false\n");
  writeFileSync(join(ws, ".git", "hooks", "pre-commit"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
}

type ToolResult = { type: string; tool_use_id: string; content: unknown; is_error?: boolean };
function resultFor(id: string): ToolResult | undefined {
  for (const request of e2e.mock.messageRequests()) {
    for (const message of request.body.messages as Array<{ content: unknown }>) {
      if (!Array.isArray(message.content)) continue;
      const found = (message.content as ToolResult[]).find(
        (b) => b.type === "tool_result" && b.tool_use_id === id,
      );
      if (found) return found;
    }
  }
  return undefined;
}

type Call = [label: string, tool: string, input: Record<string, unknown>];

/** Runs one tool call per model turn, then a final answer; returns the JSON result. */
async function runCalls(calls: Call[], args: string[]) {
  e2e.mock.enqueue(
    ...calls.map(([, name, input], i) => reply.toolUse({ name, input, id: `toolu_${i}` })),
    reply.text("done"),
  );
  const r = await runClaw(["-p", "do it", "--output-format", "json", "--max-turns", "40", ...args], {
    sandbox: e2e.sandbox,
    env: e2e.env(),
  });
  expect(r.stderr).not.toMatch(/^\s*at /m);
  return {
    ...r,
    result: JSON.parse(r.stdout || "{}") as { is_error: boolean; permission_denials: unknown[] },
  };
}

const marker = (name: string) => `touch ${name}`;

/** Writes by tools and by shell commands that try to slip past a command check. */
const readOnlyAttempts: Call[] = [
  ["Write a new file", "Write", { file_path: "new.txt", content: "x" }],
  ["Write over a file", "Write", { file_path: "keep.txt", content: "x" }],
  ["Edit", "Edit", { file_path: "src/a.ts", old_string: "1", new_string: "2" }],
  ["rm", "Bash", { command: "rm -f keep.txt" }],
  ["cd .claude && echo>x", "Bash", { command: "cd .claude && echo>x" }],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
  ["$IFS in the command", "Bash", { command: "rm${IFS}-f${IFS}keep.txt" }],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
  ["$IFS after the name", "Bash", { command: "touch$IFS/dev/null;touch${IFS}ifs.txt" }],
  ["variable as command", "Bash", { command: "X=rm; $X -f keep.txt" }],
  ["brace expansion", "Bash", { command: "{touch,brace.txt}" }],
  ["ANSI-C quoted name", "Bash", { command: "$'\\x74ouch' ansi.txt" }],
  ["command substitution", "Bash", { command: "echo $(touch subst.txt)" }],
  ["backticks", "Bash", { command: "echo `touch tick.txt`" }],
  ["redirect after a read-only command", "Bash", { command: "ls > listing.txt" }],
  ["tee", "Bash", { command: "echo x | tee tee.txt" }],
  ["find -exec", "Bash", { command: "find . -name keep.txt -exec rm {} +" }],
  ["sed -i", "Bash", { command: "sed -i s/keep/gone/ keep.txt" }],
  ["git config write", "Bash", { command: "git config core.bare true" }],
  ["eval", "Bash", { command: `eval "${marker("eval.txt")}"` }],
  ["sh -c", "Bash", { command: `sh -c '${marker("shc.txt")}'` }],
  ["env prefix", "Bash", { command: `env ${marker("env.txt")}` }],
  ["newline separated", "Bash", { command: `ls\n${marker("nl.txt")}` }],
];

describe("T9: read-only mode", () => {
  it.each([
    ["no rules", []],
    ["even with an allow rule for Bash, Write and Edit", ["--allowedTools", "Bash", "Write", "Edit"]],
  ])("denies every write before it runs (%s); the model gets the reason", async (_label, extra) => {
    seedWorkspace();
    const before = workspaceHash();
    const r = await runCalls(readOnlyAttempts, ["--permission-mode", "read-only", ...extra]);
    expect(r.code).toBe(0);
    expect(workspaceHash()).toBe(before);
    readOnlyAttempts.forEach(([label], i) => {
      const result = resultFor(`toolu_${i}`);
      expect(result, label).toBeDefined();
      expect(result?.is_error, label).toBe(true);
      expect(JSON.stringify(result?.content), label).toMatch(/read-only|denied|not allowed|permission/i);
    });
    expect(r.result.permission_denials).toHaveLength(readOnlyAttempts.length);
  });

  it("still runs read-only commands, so the denials above are not a blanket refusal", async () => {
    seedWorkspace();
    const r = await runCalls(
      [
        ["ls", "Bash", { command: "ls" }],
        ["cat", "Bash", { command: "cat keep.txt" }],
        ["Read", "Read", { file_path: "src/a.ts" }],
      ],
      ["--permission-mode", "read-only"],
    );
    expect(r.code).toBe(0);
    expect(JSON.stringify(resultFor("toolu_0")?.content)).toContain("keep.txt");
    expect(JSON.stringify(resultFor("toolu_1")?.content)).toContain("keep me");
    expect(JSON.stringify(resultFor("toolu_2")?.content)).toContain("export const a");
  });
});

const protectedWrites: Call[] = [
  ["Write .git/config", "Write", { file_path: ".git/config", content: "[core]\n" }],
  [
    "Edit .claude/settings.json",
    "Edit",
    { file_path: ".claude/settings.json", old_string: "[]", new_string: '["Bash"]' },
  ],
  ["Write .claude/settings.local.json", "Write", { file_path: ".claude/settings.local.json", content: "{}" }],
  ["Write a .claude hook", "Write", { file_path: ".claude/hooks/check.sh", content: "#!/bin/sh\nevil\n" }],
  ["Write a git hook", "Write", { file_path: ".git/hooks/pre-commit", content: "#!/bin/sh\nevil\n" }],
  ["Write a new git hook", "Write", { file_path: ".git/hooks/post-checkout", content: "#!/bin/sh\nevil\n" }],
  ["Bash redirect into .git/config", "Bash", { command: "echo '[alias]' >> .git/config" }],
  ["Bash cp over a hook", "Bash", { command: "cp keep.txt .claude/hooks/check.sh" }],
];

describe("T11: protected files in a writable workspace", () => {
  it("need approval even in acceptEdits with broad allow rules, so print mode denies them", async () => {
    seedWorkspace();
    // Read first, so a refusal cannot come from the read-before-write rule instead of the permission gate.
    const reads: Call[] = [
      ".git/config",
      ".claude/settings.json",
      ".claude/hooks/check.sh",
      ".git/hooks/pre-commit",
    ].map((p) => [`Read ${p}`, "Read", { file_path: p }]);
    const before = workspaceHash();
    const r = await runCalls(
      [...reads, ...protectedWrites],
      ["--permission-mode", "acceptEdits", "--allowedTools", "Bash(echo:*)", "Bash(cp:*)", "Edit", "Write"],
    );
    expect(r.code).toBe(0);
    expect(workspaceHash()).toBe(before);
    protectedWrites.forEach(([label], i) => {
      const result = resultFor(`toolu_${reads.length + i}`);
      expect(result?.is_error, label).toBe(true);
    });
    expect(r.result.permission_denials).toHaveLength(protectedWrites.length);
  });

  it("ordinary files in the same workspace are written without asking", async () => {
    seedWorkspace();
    const r = await runCalls(
      [["Write", "Write", { file_path: "src/b.ts", content: "export const b = 2;\n" }]],
      ["--permission-mode", "acceptEdits"],
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "src", "b.ts"), "utf8")).toBe("export const b = 2;\n");
  });
});

describe("T13: `env` inside Bash", () => {
  it("shows no ANTHROPIC_* variable, token, key or config-dir override", async () => {
    const secrets = {
      ANTHROPIC_API_KEY: "sk-ant-t13-secret-key",
      ANTHROPIC_CUSTOM_HEADERS: "x-secret: t13-header-secret",
      CLAUDE_CONFIG_DIR: "/tmp/t13-config-dir",
      GITHUB_TOKEN: "ghp_t13secret",
      NPM_TOKEN: "npm_t13secret",
      MY_SERVICE_API_KEY: "t13-service-key",
    };
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "env; echo ENV-DONE" }, id: "toolu_env" }),
    );
    e2e.mock.enqueue(reply.text("seen"));
    const r = await runClaw(["-p", "show env", "--allowedTools", "Bash(env:*)", "--output-format", "json"], {
      sandbox: e2e.sandbox,
      env: {
        ...e2e.env(),
        ...secrets,
        ANTHROPIC_API_KEY: secrets.ANTHROPIC_API_KEY,
        MY_PLAIN_VAR: "plain-value",
      },
    });
    expect(r.code).toBe(0);
    const output = JSON.stringify(resultFor("toolu_env")?.content);
    expect(output).toContain("ENV-DONE");
    expect(output).toContain("MY_PLAIN_VAR=plain-value"); // the environment is there, only filtered
    const names = [...output.matchAll(/(?:^|\\n|")([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] ?? "");
    expect(names.filter((n) => /^ANTHROPIC_|^CLAUDE_CONFIG|TOKEN|API_KEY/.test(n))).toEqual([]);
    for (const value of [...Object.values(secrets), e2e.sandbox.configHome])
      expect(output).not.toContain(value);
  });
});

describe("T7/T8: writes that leave the workspace, directly or through links", () => {
  it("are denied in acceptEdits and nothing is created outside (CVE-2025-54794, CVE-2026-25724)", async () => {
    seedWorkspace();
    const { root, home, workspace } = e2e.sandbox;
    const evil = `${workspace}-evil`; // same prefix as the workspace: a sibling, not inside
    const outside = join(root, "outside");
    mkdirSync(evil, { recursive: true });
    mkdirSync(outside, { recursive: true });
    mkdirSync(join(home, ".ssh"), { recursive: true });
    const etcTarget = `/etc/claw-t7-${process.pid}`;
    const outsideFiles = [
      join(root, "x"),
      etcTarget,
      join(home, ".bashrc"),
      join(evil, "x"),
      join(home, ".ssh", "authorized_keys"),
      join(outside, "authorized_keys"),
    ];
    const calls: Call[] = [
      ["../x", "Write", { file_path: "../x", content: "x" }],
      ["/etc/x", "Write", { file_path: etcTarget, content: "x" }],
      ["~/.bashrc", "Write", { file_path: "~/.bashrc", content: "x" }],
      ["sibling with the same prefix", "Write", { file_path: join(evil, "x"), content: "x" }],
      // A link to a protected directory is refused even though ln is allowed.
      ["ln -s ~/.ssh", "Bash", { command: `ln -s ${join(home, ".ssh")} sshlink` }],
      // A link made by Bash inside the workspace, then written through by Write.
      ["ln -s outside", "Bash", { command: `ln -s ${outside} outlink` }],
      [
        "write through the link",
        "Write",
        { file_path: "outlink/authorized_keys", content: "ssh-ed25519 evil" },
      ],
      ["dangling link", "Bash", { command: `ln -s ${join(root, "dangling-target")} dangling` }],
      ["write through the dangling link", "Write", { file_path: "dangling", content: "x" }],
    ];
    try {
      const r = await runCalls(calls, ["--permission-mode", "acceptEdits", "--allowedTools", "Bash(ln:*)"]);
      expect(r.code).toBe(0);
      for (const file of [...outsideFiles, join(root, "dangling-target")])
        expect(existsSync(file), file).toBe(false);
      for (const i of [0, 1, 2, 3, 4, 6, 8])
        expect(resultFor(`toolu_${i}`)?.is_error, calls[i]![0]).toBe(true);
      // The other links were made (ln was allowed), so the denials of the writes came from resolving them.
      expect(existsSync(join(workspace, "sshlink"))).toBe(false);
      expect(lstatSync(join(workspace, "outlink")).isSymbolicLink()).toBe(true);
      expect(lstatSync(join(workspace, "dangling")).isSymbolicLink()).toBe(true);
    } finally {
      rmSync(etcTarget, { force: true });
    }
  });

  it("a deny rule on a directory holds when the file is reached through a link", async () => {
    seedWorkspace();
    const ws = e2e.sandbox.workspace;
    mkdirSync(join(ws, "secret"));
    writeFileSync(join(ws, "secret", "key"), "TOP-SECRET-T8\n");
    symlinkSync(join(ws, "secret"), join(ws, "innocent"));
    writeFileSync(
      join(ws, ".claude", "settings.json"),
      JSON.stringify({ permissions: { deny: ["Read(./secret/**)"] } }),
    );
    const r = await runCalls(
      [
        ["Read via link", "Read", { file_path: "innocent/key" }],
        ["Grep via link", "Grep", { pattern: "TOP", path: "innocent" }],
        ["cat via link", "Bash", { command: "cat innocent/key" }],
      ],
      ["--permission-mode", "acceptEdits", "--allowedTools", "Bash(cat:*)", "Read", "Grep"],
    );
    expect(r.code).toBe(0);
    for (const i of [0, 1, 2]) expect(resultFor(`toolu_${i}`)?.is_error).toBe(true);
    expect(JSON.stringify(e2e.mock.messageRequests().map((q) => q.body.messages))).not.toContain(
      "TOP-SECRET-T8",
    );
  });
});
