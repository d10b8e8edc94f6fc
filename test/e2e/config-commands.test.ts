// End to end: `claw config` and `claw system-prompt` through the built dist/claw.js in a temp HOME/workspace.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runClaw, type Sandbox } from "../support/claw-runner.js";

const SECRET = "sk-live-DO-NOT-LEAK-4242";
let sandbox: Sandbox;

function write(path: string, content: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

beforeEach(() => {
  sandbox = makeSandbox("claw-config-e2e-");
});
afterEach(() => sandbox.cleanup());

describe("claw config", () => {
  it("shows effective values with their source, in precedence order, with secrets masked", async () => {
    const user = write(join(sandbox.configHome, "settings.json"), {
      model: "user-model",
      theme: "dark",
      env: { SERVICE_API_KEY: SECRET, PLAIN_VALUE: "shown" },
      permissions: { allow: ["Read"] },
      mysteryKey: true,
    });
    const project = write(join(sandbox.workspace, ".claude", "settings.json"), {
      model: "project-model",
      permissions: { allow: ["Bash(npm test:*)"] },
    });
    const local = write(join(sandbox.workspace, ".claude", "settings.local.json"), {
      permissions: { deny: ["Bash(rm:*)"] },
      cleanupPeriodDays: 9,
    });
    const r = await runClaw(["--settings", '{"cleanupPeriodDays": 3}', "config"], { sandbox });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const line = (prefix: string) => lines.find((l) => l.trimStart().startsWith(prefix)) ?? "";
    expect(line("model =")).toBe(`  model = "project-model"    [${project}]`);
    expect(line("theme =")).toContain(`[${user}]`);
    expect(line("cleanupPeriodDays =")).toBe("  cleanupPeriodDays = 3    [--settings]");
    expect(line("permissions.allow[0] =")).toContain(`"Read"    [${user}]`);
    expect(line("permissions.allow[1] =")).toContain(`"Bash(npm test:*)"    [${project}]`);
    expect(line("permissions.deny[0] =")).toContain(`[${local}]`);
    expect(line("env.SERVICE_API_KEY =")).toBe(`  env.SERVICE_API_KEY = ****    [${user}]`);
    expect(line("env.PLAIN_VALUE =")).toContain('"shown"');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    // The unknown key is kept, and warned about exactly once, naming the file.
    expect(line("mysteryKey =")).toContain("true");
    const warnings = r.stderr.split("\n").filter((l) => l.includes("mysteryKey"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(user);
  });

  it("reports a malformed settings file with line and column, skips it, and still works", async () => {
    write(join(sandbox.configHome, "settings.json"), { model: "user-model" });
    const broken = write(
      join(sandbox.workspace, ".claude", "settings.json"),
      '{\n  "model": "x"\n  "theme": "y"\n}\n',
    );
    write(join(sandbox.workspace, ".claude", "settings.local.json"), {
      autoCompact: "sometimes",
      theme: "light",
    });
    const r = await runClaw(["config"], { sandbox });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${broken} is not valid JSON at line 3, column 3`);
    expect(r.stderr).toMatch(/"autoCompact" ignored/);
    expect(r.stdout).toContain('model = "user-model"');
    expect(r.stdout).toContain('theme = "light"');
    expect(r.stdout).not.toContain("autoCompact");
    expect(r.stderr.split("\n").filter((l) => l.trim() !== "")).toHaveLength(2);
  });
});

describe("claw system-prompt", () => {
  it("prints the fixed part, the instruction files root → cwd with imports, and the environment", async () => {
    const repo = sandbox.workspace;
    const gitEnv = { PATH: process.env.PATH, HOME: sandbox.home, GIT_CONFIG_GLOBAL: "/dev/null" };
    execFileSync("git", ["init", "-q", "-b", "trunk-e2e"], { cwd: repo, env: gitEnv });
    write(join(sandbox.configHome, "settings.json"), {
      model: "settings-model",
      env: { GITHUB_TOKEN: SECRET },
    });
    write(join(sandbox.configHome, "CLAUDE.md"), "USER-LEVEL-RULE");
    write(join(repo, "CLAUDE.md"), "ROOT-RULE see @docs/style.md\n```\n@docs/not-imported.md\n```\n");
    write(join(repo, "docs", "style.md"), "IMPORTED-STYLE-RULE and @../CLAUDE.md (a cycle)");
    write(join(repo, "docs", "not-imported.md"), "MUST-NOT-APPEAR");
    write(join(repo, "pkg", "AGENTS.md"), "PKG-AGENTS-RULE");
    write(join(repo, "pkg", "untracked.txt"), "x");
    const cwd = join(repo, "pkg");
    const before = localDate(new Date());
    const r = await runClaw(["system-prompt", "--append-system-prompt", "APPENDED-BY-FLAG"], {
      sandbox,
      cwd,
    });
    const after = localDate(new Date());
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out.startsWith("You are claw")).toBe(true);
    const order = [
      "You are claw",
      "USER-LEVEL-RULE",
      "ROOT-RULE",
      "IMPORTED-STYLE-RULE",
      "PKG-AGENTS-RULE",
      "# Environment",
      "APPENDED-BY-FLAG",
    ];
    const positions = order.map((marker) => out.indexOf(marker));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(out.split("IMPORTED-STYLE-RULE")).toHaveLength(2); // the cycle did not repeat it
    expect(out).not.toContain("MUST-NOT-APPEAR");
    expect(out).toContain(
      `<instructions path="${join(repo, "docs", "style.md")}" imported-by="${join(repo, "CLAUDE.md")}">`,
    );
    expect(out).toContain(`Working directory: ${cwd}`);
    expect([before, after].some((d) => out.includes(`Today's date: ${d}`))).toBe(true);
    expect(out).toContain("Model: settings-model");
    expect(out).toContain("Git branch: trunk-e2e");
    expect(out).toMatch(/^\?\? (pkg\/|\.\.\/)?/m);
    // Settings contents, including env secrets, never reach the prompt.
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("GITHUB_TOKEN");
  });

  it("lets --system-prompt replace the fixed part only, and --model pick the model", async () => {
    write(join(sandbox.workspace, "CLAUDE.md"), "PROJECT-RULE");
    const r = await runClaw(
      ["system-prompt", "--system-prompt", "CUSTOM-BASE-PROMPT", "--model", "flag-model"],
      {
        sandbox,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("CUSTOM-BASE-PROMPT\n\n")).toBe(true);
    expect(r.stdout).not.toContain("You are claw");
    expect(r.stdout).toContain("PROJECT-RULE");
    expect(r.stdout).toContain("Model: flag-model");
    expect(r.stdout).toContain("Git repository: no");
  });
});
