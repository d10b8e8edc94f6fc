// The permission matrix: mode × rule × tool × inside/outside/protected/symlinked paths, on a real temp tree.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PermissionMode, ToolKindForGate } from "../../../src/policy/permission-types.js";
import {
  type ClawPermissionGate,
  createPermissionGate,
  type PermissionRulesInput,
  parsePermissionMode,
} from "../../../src/policy/permissions.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";

let root = "";
let ws = "";
let home = "";
const saved = { HOME: process.env.HOME, CLAUDE_CONFIG_HOME: process.env.CLAUDE_CONFIG_HOME };

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "claw-perm-")));
  home = join(root, "home");
  ws = join(root, "ws");
  process.env.HOME = home;
  process.env.CLAUDE_CONFIG_HOME = join(home, ".claude");
  for (const dir of [
    home,
    join(home, ".claude"),
    join(home, ".ssh"),
    join(ws, "src"),
    join(ws, "secrets"),
    join(ws, ".git"),
    join(ws, ".claude"),
    join(root, "ws-evil"),
    join(root, "outside"),
  ])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(ws, "src", "a.ts"), "a");
  writeFileSync(join(ws, "secrets", "key"), "k");
  writeFileSync(join(ws, ".git", "config"), "");
  writeFileSync(join(ws, ".claude", "settings.json"), "{}");
  writeFileSync(join(root, "outside", "y"), "y");
  symlinkSync(join(ws, "secrets"), join(ws, "link-secret"));
  symlinkSync(join(root, "outside"), join(ws, "link-out"));
  symlinkSync(join(home, ".ssh"), join(ws, "link-ssh"));
  symlinkSync(join(root, "outside", "missing"), join(ws, "dangling"));
});

afterAll(() => {
  process.env.HOME = saved.HOME;
  if (saved.CLAUDE_CONFIG_HOME === undefined) delete process.env.CLAUDE_CONFIG_HOME;
  else process.env.CLAUDE_CONFIG_HOME = saved.CLAUDE_CONFIG_HOME;
  rmSync(root, { recursive: true, force: true });
});

function gate(mode: PermissionMode, rules: PermissionRulesInput = {}): ClawPermissionGate {
  return createPermissionGate({
    mode,
    rules,
    workspace: createWorkspaceGuard(ws, [], { home }),
    cwd: ws,
    home,
  });
}

const KINDS: Record<string, ToolKindForGate> = {
  Read: "read",
  Glob: "read",
  Grep: "read",
  TodoWrite: "read",
  Write: "write",
  Edit: "write",
  NotebookEdit: "write",
  Bash: "execute",
  WebFetch: "network",
  mcp__fs__read: "execute",
  mcp__fs__write: "execute",
  read_file: "read",
  write_file: "write",
  bash: "execute",
};

type Row = [
  mode: PermissionMode,
  rules: PermissionRulesInput,
  tool: string,
  target: string,
  expected: "allow" | "ask" | "deny",
];

/** target: a path for file tools, a command for Bash, a URL for WebFetch, "" for none. */
const matrix: Row[] = [
  // read-only
  ["read-only", {}, "Read", "src/a.ts", "allow"],
  ["read-only", {}, "Glob", ".", "allow"],
  ["read-only", {}, "Grep", "src", "allow"],
  ["read-only", {}, "TodoWrite", "", "allow"],
  ["read-only", {}, "Read", "../outside/y", "ask"],
  ["read-only", {}, "Write", "src/new.ts", "deny"],
  ["read-only", {}, "Edit", "src/a.ts", "deny"],
  ["read-only", {}, "NotebookEdit", "nb.ipynb", "deny"],
  ["read-only", { allow: ["Edit"] }, "Edit", "src/a.ts", "deny"],
  ["read-only", {}, "Bash", "ls -la src", "allow"],
  ["read-only", {}, "Bash", "git status", "allow"],
  ["read-only", {}, "Bash", "rm -rf src", "deny"],
  ["read-only", {}, "Bash", "cd .claude && echo > x", "deny"],
  ["read-only", {}, "Bash", "ls$IFS-la", "deny"],
  ["read-only", {}, "Bash", "find . -delete", "deny"],
  ["read-only", {}, "Bash", "cat $(echo x)", "deny"],
  ["read-only", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test", "deny"],
  ["read-only", {}, "Bash", "cat /etc/passwd", "ask"],
  ["read-only", {}, "WebFetch", "https://example.com/", "ask"],
  ["read-only", {}, "mcp__fs__read", "", "ask"],
  ["read-only", { allow: ["mcp__fs"] }, "mcp__fs__read", "", "allow"],
  // workspace-write
  ["workspace-write", {}, "Write", "src/new.ts", "allow"],
  ["workspace-write", {}, "Edit", "src/a.ts", "allow"],
  ["workspace-write", {}, "write_file", "src/new.ts", "allow"],
  ["workspace-write", {}, "Write", "../outside/x", "ask"],
  ["workspace-write", {}, "Write", "/etc/x", "ask"],
  ["workspace-write", {}, "Write", "~/.bashrc", "ask"],
  ["workspace-write", {}, "Write", "../ws-evil/x", "ask"],
  ["workspace-write", {}, "Write", "link-out/x", "ask"],
  ["workspace-write", {}, "Write", "link-ssh/authorized_keys", "ask"],
  ["workspace-write", {}, "Write", "dangling", "ask"],
  ["workspace-write", {}, "Read", "link-out/y", "ask"],
  ["workspace-write", {}, "Write", ".git/config", "ask"],
  ["workspace-write", {}, "Edit", ".claude/settings.json", "ask"],
  ["workspace-write", {}, "Write", ".claude/settings.local.json", "ask"],
  ["workspace-write", {}, "Write", ".git/hooks/pre-commit", "ask"],
  ["workspace-write", { allow: ["Edit"] }, "Write", ".git/config", "ask"],
  ["workspace-write", { allow: ["Edit(.git/config)"] }, "Write", ".git/config", "allow"],
  ["workspace-write", { allow: ["Edit(//tmp/**)"] }, "Write", "/tmp/claw-x", "allow"],
  ["workspace-write", { allow: ["Edit(../outside/**)"] }, "Write", "../outside/x", "ask"],
  ["workspace-write", {}, "Bash", "npm test", "ask"],
  ["workspace-write", {}, "bash", "ls", "allow"],
  ["workspace-write", {}, "Bash", "cat link-ssh/id_rsa", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test -- --watch", "allow"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm testing", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test && rm -rf /", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)", "Bash(rm:*)"] }, "Bash", "npm test && rm -rf x", "allow"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test $(rm -rf x)", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test > .git/config", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "npm test 2>&1 | ls", "allow"],
  ["workspace-write", { allow: ["Bash(git log)"] }, "Bash", "git log", "allow"],
  ["workspace-write", { allow: ["Bash(git commit)"] }, "Bash", "git commit -m x", "ask"],
  ["workspace-write", { allow: ["Bash(git commit *)"] }, "Bash", "git commit -m x", "allow"],
  ["workspace-write", { allow: ["Bash"] }, "Bash", "anything at all", "allow"],
  ["workspace-write", {}, "WebFetch", "https://example.com/", "ask"],
  [
    "workspace-write",
    { allow: ["WebFetch(domain:example.com)"] },
    "WebFetch",
    "https://docs.example.com/x",
    "allow",
  ],
  ["workspace-write", { allow: ["WebFetch(domain:example.com)"] }, "WebFetch", "https://example.org/", "ask"],
  ["workspace-write", { allow: ["mcp__fs__read"] }, "mcp__fs__read", "", "allow"],
  ["workspace-write", { allow: ["mcp__fs__read"] }, "mcp__fs__write", "", "ask"],
  ["workspace-write", { allow: ["mcp__fs__*"] }, "mcp__fs__write", "", "allow"],
  // deny rules win in every mode, including through symlinks and compound commands
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Read", "secrets/key", "deny"],
  // Braces expand as the Glob tool's do; `../` anchors above the working directory.
  ["workspace-write", { deny: ["Read(./{secrets,private}/**)"] }, "Read", "secrets/key", "deny"],
  ["workspace-write", { deny: ["Read(./src/{b,c}.ts)"] }, "Read", "src/a.ts", "allow"],
  ["workspace-write", { deny: ["Read(src/{a,b}.ts)"] }, "Read", "src/a.ts", "deny"],
  ["workspace-write", { deny: ["Read(../outside/**)"] }, "Read", "../outside/y", "deny"],
  ["danger-full-access", { deny: ["Read(../outside/*)"] }, "Read", "../outside/y", "deny"],
  ["workspace-write", { deny: ["Read(*.ts)"] }, "Read", "src/a.ts", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Read", "link-secret/key", "deny"],
  ["workspace-write", { deny: ["Read(./secrets)"] }, "Read", "link-secret/key", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Grep", "secrets", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Bash", "cat link-secret/key", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Bash", "ls && cat secrets/key", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Bash", "cat secrets/key | wc -c", "deny"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Bash", "grep -f secrets/key src", "deny"],
  ["workspace-write", {}, "Bash", "grep -rn /api/v1 src", "allow"],
  ["workspace-write", { deny: ["Read(./secrets/**)"] }, "Read", "src/a.ts", "allow"],
  ["workspace-write", { deny: ["Read(*.ts)"] }, "Read", "src/a.ts", "deny"],
  ["workspace-write", { deny: ["Edit(src/**)"] }, "Write", "src/new.ts", "deny"],
  ["workspace-write", { deny: ["Edit(src/**)"] }, "NotebookEdit", "src/nb.ipynb", "deny"],
  ["workspace-write", { deny: ["edit_file(src/**)"] }, "Edit", "src/a.ts", "deny"],
  ["workspace-write", { deny: ["Bash(rm:*)"] }, "Bash", "ls && rm -rf x", "deny"],
  ["workspace-write", { deny: ["Bash(rm:*)"] }, "Bash", "echo $(rm -rf x)", "deny"],
  ["workspace-write", { deny: ["Bash(rm:*)"] }, "Bash", "sudo rm -rf x", "deny"],
  ["workspace-write", { deny: ["Bash(rm:*)"] }, "Bash", "rmdir x", "ask"],
  ["workspace-write", { deny: ["WebFetch"] }, "WebFetch", "https://example.com/", "deny"],
  ["workspace-write", { deny: ["mcp__fs"] }, "mcp__fs__read", "", "deny"],
  ["workspace-write", { deny: ["Bash"], allow: ["Bash"] }, "Bash", "ls", "deny"],
  ["workspace-write", { ask: ["Bash(git push:*)"], allow: ["Bash"] }, "Bash", "git push origin", "ask"],
  ["workspace-write", { ask: ["Edit(src/**)"] }, "Edit", "src/a.ts", "ask"],
  ["danger-full-access", { deny: ["Bash(rm:*)"] }, "Bash", "rm -rf x", "deny"],
  ["danger-full-access", { deny: ["Read(./secrets/**)"] }, "Read", "link-secret/key", "deny"],
  ["read-only", { deny: ["Read"] }, "Read", "src/a.ts", "deny"],
  // default: edits ask too
  ["default", {}, "Edit", "src/a.ts", "ask"],
  ["default", {}, "Write", "src/new.ts", "ask"],
  ["default", {}, "Read", "src/a.ts", "allow"],
  ["default", { allow: ["Edit(src/**)"] }, "Edit", "src/a.ts", "allow"],
  ["default", {}, "Bash", "git diff", "allow"],
  ["default", {}, "Bash", "make", "ask"],
  ["workspace-write", {}, "Bash", "git log | head -5 && pwd", "allow"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "cd src && npm test", "allow"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "cd /etc && npm test", "ask"],
  ["workspace-write", { allow: ["Bash(npm test:*)"] }, "Bash", "cd link-out && npm test", "ask"],
  ["workspace-write", {}, "Bash", "git log | head -5 > out.txt", "ask"],
  ["workspace-write", {}, "Bash", "ls | cat /etc/passwd", "ask"],
  ["read-only", {}, "Bash", "git log | head -5", "deny"],
  // danger-full-access: everything
  ["danger-full-access", {}, "Write", "/etc/x", "allow"],
  ["danger-full-access", {}, "Write", ".git/config", "allow"],
  ["danger-full-access", {}, "Bash", "rm -rf x", "allow"],
  ["danger-full-access", {}, "WebFetch", "https://example.com/", "allow"],
  ["danger-full-access", { ask: ["Bash"] }, "Bash", "ls", "allow"],
];

function callFor(tool: string, target: string) {
  const kind = KINDS[tool] ?? "execute";
  if (tool === "Bash" || tool === "bash")
    return { toolName: tool, input: { command: target }, paths: [], kind };
  if (tool === "WebFetch") return { toolName: tool, input: { url: target, prompt: "x" }, paths: [], kind };
  return { toolName: tool, input: {}, paths: target ? [target] : [], kind };
}

describe("permission matrix", () => {
  it.each(matrix)("%s %j: %s %s → %s", async (mode, rules, tool, target, expected) => {
    const decision = await gate(mode, rules).decide(callFor(tool, target));
    expect(decision.behavior).toBe(expected);
    if (decision.behavior !== "allow") expect(decision.reason.length).toBeGreaterThan(10);
  });
});

describe("decisions the model and user can act on", () => {
  it("suggests a prefix rule from the command's first words", async () => {
    const g = gate("workspace-write");
    expect(await g.decide(callFor("Bash", "npm test -- --watch"))).toMatchObject({
      behavior: "ask",
      suggestedRule: "Bash(npm test:*)",
    });
    expect(await g.decide(callFor("Bash", "npm run build --prod"))).toMatchObject({
      suggestedRule: "Bash(npm run build:*)",
    });
    expect(await g.decide(callFor("Bash", "ls && make -j4"))).toMatchObject({
      suggestedRule: "Bash(make:*)",
    });
    // A plain command's arguments are never part of the rule: they would make it a one-off.
    for (const [command, rule] of [
      ["touch hello.txt", "Bash(touch:*)"],
      ["echo hello > out.txt", "Bash(echo:*)"],
      ["git commit -m 'fix it'", "Bash(git commit:*)"],
      ["CI=1 cargo test --all", "Bash(cargo test:*)"],
      ["python3 scripts/gen.py --all", "Bash(python3 scripts/gen.py:*)"],
    ])
      expect(await g.decide(callFor("Bash", command!)), command).toMatchObject({ suggestedRule: rule });
    expect(await gate("default").decide(callFor("Edit", "src/a.ts"))).toMatchObject({
      suggestedRule: "Edit",
    });
    expect(await g.decide(callFor("WebFetch", "https://example.com/a"))).toMatchObject({
      suggestedRule: "WebFetch(domain:example.com)",
    });
  });

  it("a suggested rule, once added, allows the same call", async () => {
    const g = gate("workspace-write");
    const first = await g.decide(callFor("Write", "../outside/new.txt"));
    expect(first.behavior).toBe("ask");
    if (first.behavior !== "ask" || !first.suggestedRule) throw new Error("expected a suggestion");
    expect(first.suggestedRule).toBe(`Edit(/${join(root, "outside")}/**)`);
    expect(first.reason).toContain("outside the workspace");
    g.addSessionRule("allow", first.suggestedRule);
    expect((await g.decide(callFor("Write", "../outside/new.txt"))).behavior).toBe("allow");

    const protectedAsk = await g.decide(callFor("Write", ".git/config"));
    if (protectedAsk.behavior !== "ask" || !protectedAsk.suggestedRule)
      throw new Error("expected a suggestion");
    expect(protectedAsk.reason).toMatch(/protected/);
    expect(protectedAsk.suggestedRule).toBe(`Edit(/${join(ws, ".git", "config")})`);
    g.addSessionRule("allow", protectedAsk.suggestedRule);
    expect((await g.decide(callFor("Write", ".git/config"))).behavior).toBe("allow");
    expect((await g.decide(callFor("Write", ".git/HEAD"))).behavior).toBe("ask");

    const bash = await g.decide(callFor("Bash", "make test"));
    if (bash.behavior !== "ask" || !bash.suggestedRule) throw new Error("expected a suggestion");
    g.addSessionRule("allow", bash.suggestedRule);
    expect((await g.decide(callFor("Bash", "make test --verbose"))).behavior).toBe("allow");
  });

  it("session deny rules and mode switches take effect at once", async () => {
    const g = gate("workspace-write");
    expect((await g.decide(callFor("Edit", "src/a.ts"))).behavior).toBe("allow");
    g.setMode("read-only");
    expect(g.mode).toBe("read-only");
    const denied = await g.decide(callFor("Edit", "src/a.ts"));
    expect(denied).toMatchObject({ behavior: "deny" });
    if (denied.behavior === "deny") expect(denied.reason).toMatch(/read-only mode/);
    g.setMode("danger-full-access");
    g.addSessionRule("deny", "Edit(src/**)");
    expect((await g.decide(callFor("Edit", "src/a.ts"))).behavior).toBe("deny");
  });

  it("names the deny rule in the reason", async () => {
    const decision = await gate("workspace-write", { deny: ["Bash(rm:*)"] }).decide(callFor("Bash", "rm x"));
    expect(decision).toMatchObject({ behavior: "deny" });
    if (decision.behavior === "deny") expect(decision.reason).toContain('"Bash(rm:*)"');
  });

  it("reports invalid rules as warnings and ignores them", () => {
    const g = gate("workspace-write", { allow: ["Bash(npm test", "Read"] });
    expect(g.warnings).toHaveLength(1);
    expect(g.warnings[0]).toMatch(/Invalid permission rule "Bash\(npm test"/);
    expect(g.addSessionRule("allow", "(oops)")).toMatch(/Invalid permission rule/);
  });
});

describe("parsePermissionMode", () => {
  it.each([
    ["read-only", "read-only"],
    ["plan", "read-only"],
    ["workspace-write", "workspace-write"],
    ["acceptEdits", "workspace-write"],
    ["danger-full-access", "danger-full-access"],
    ["bypassPermissions", "danger-full-access"],
    ["default", "default"],
  ])("%s → %s", (text, mode) => {
    expect(parsePermissionMode(text)).toEqual({ ok: true, mode });
  });

  it("lists the valid modes for an invalid one", () => {
    const result = parsePermissionMode("yolo");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain('"yolo"');
      expect(result.error).toContain("workspace-write");
      expect(result.error).toContain("bypassPermissions");
    }
  });
});

describe("session rules", () => {
  it("a session allow rule takes effect, is listed, and stops applying once removed", async () => {
    const g = gate("workspace-write", { allow: ["Bash(ls:*)"] });
    const bash = (command: string) =>
      g.decide({ toolName: "Bash", input: { command }, paths: [], kind: "execute" });
    expect((await bash("npm test")).behavior).toBe("ask");
    expect(g.addSessionRule("allow", "Bash(npm test:*)")).toBeUndefined();
    expect((await bash("npm test")).behavior).toBe("allow");
    expect(g.sessionRules()).toEqual([{ behavior: "allow", rule: "Bash(npm test:*)" }]);
    expect(g.removeSessionRule("allow", "Bash(npm test:*)")).toBe(true);
    expect((await bash("npm test")).behavior).toBe("ask");
    // Settings rules are not session rules: they cannot be removed this way.
    expect(g.removeSessionRule("allow", "Bash(ls:*)")).toBe(false);
    expect(g.sessionRules()).toEqual([]);
  });
});

describe("allowed Bash commands that name protected paths (T11)", () => {
  const bash = (g: ClawPermissionGate, command: string) =>
    g.decide({ toolName: "Bash", input: { command }, paths: [], kind: "execute" });

  it("asks even though an allow rule matches, by name and through a symlink", async () => {
    const g = gate("acceptEdits" as PermissionMode, {
      allow: ["Bash(cp:*)", "Bash(tee:*)", "Bash(touch:*)"],
    });
    expect((await bash(g, "cp notes.txt copy.txt")).behavior).toBe("allow");
    expect((await bash(g, "cp notes.txt .claude/hooks/check.sh")).behavior).toBe("ask");
    expect((await bash(g, "touch .git/hooks/post-merge")).behavior).toBe("ask");
    expect((await bash(g, "echo x | tee .git/config")).behavior).toBe("ask");
    expect((await bash(g, "cp a --target-directory=.claude/hooks")).behavior).toBe("ask");
    mkdirSync(join(ws, ".git"), { recursive: true });
    writeFileSync(join(ws, ".git", "config"), "");
    symlinkSync(join(ws, ".git", "config"), join(ws, "innocent-link"));
    try {
      expect((await bash(g, "cp notes.txt innocent-link")).behavior).toBe("ask");
    } finally {
      rmSync(join(ws, "innocent-link"));
    }
  });
});

describe("rules that can never match", () => {
  it("are reported when the gate is built, naming the fix", () => {
    const g = gate("workspace-write", {
      allow: ["WebFetch(example.com)", "Read(src/**)"],
      deny: ["Read(src/[)"],
    });
    expect(g.warnings.join("\n")).toContain(
      'Permission rule "WebFetch(example.com)" can never match: WebFetch rules name a domain; write WebFetch(domain:example.com)',
    );
    expect(g.warnings.some((w) => w.includes("Read(src/**)"))).toBe(false);
  });
});
