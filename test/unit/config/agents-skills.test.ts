// Agent and skill discovery: frontmatter parsing, sources and their precedence, malformed files, the budget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAgents } from "../../../src/config/agents.js";
import { listSkillsWithin, loadSkills, readSkillBody } from "../../../src/config/skills.js";

let root: string;
let project: string;
let home: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-agents-"));
  project = join(root, "project");
  home = join(root, "config");
  mkdirSync(join(project, ".git"), { recursive: true });
  mkdirSync(home, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("agent definitions", () => {
  it("reads project and user files; the project wins by name; tools are a comma list; inherit is no model", async () => {
    write(
      join(home, "agents", "reviewer.md"),
      "---\nname: reviewer\ndescription: user reviewer\n---\nUser prompt.\n",
    );
    write(
      join(project, ".claude", "agents", "reviewer.md"),
      "---\nname: reviewer\ndescription: 'Reviews: carefully'\ntools: Read, Grep, Bash(git diff:*)\nmodel: inherit\n---\n\nProject prompt.\n",
    );
    write(
      join(home, "agents", "tester.md"),
      "---\nname: tester\ndescription: runs tests\nmodel: haiku\ntools:\n  - Bash\n---\nTest prompt.",
    );
    const { agents, warnings } = await loadAgents({ cwd: join(project), configHome: home });
    expect(warnings).toEqual([]);
    const reviewer = agents.find((a) => a.name === "reviewer")!;
    expect(reviewer).toMatchObject({
      description: "Reviews: carefully",
      prompt: "Project prompt.",
      tools: ["Read", "Grep", "Bash(git diff:*)"],
      source: "project",
    });
    expect(reviewer.model).toBeUndefined();
    expect(agents.find((a) => a.name === "tester")).toMatchObject({
      model: "haiku",
      tools: ["Bash"],
      source: "user",
    });
    expect(agents.map((a) => a.name)).toEqual(["general-purpose", "Explore", "reviewer", "tester"]);
  });

  it("reads files with Windows line endings and a byte-order mark", async () => {
    write(
      join(project, ".claude", "agents", "crlf.md"),
      "\uFEFF---\r\nname: crlf\r\ndescription: written on Windows\r\n---\r\nPrompt line.\r\n",
    );
    const { agents, warnings } = await loadAgents({ cwd: project, configHome: home });
    expect(warnings).toEqual([]);
    expect(agents.find((a) => a.name === "crlf")).toMatchObject({
      description: "written on Windows",
      prompt: "Prompt line.",
    });
  });

  it("a malformed file is one warning naming it and the problem; the others still load", async () => {
    write(
      join(project, ".claude", "agents", "broken.md"),
      "---\nname: broken\ndescription: [unclosed\n---\nx",
    );
    write(join(project, ".claude", "agents", "nodesc.md"), "---\nname: nodesc\n---\nx");
    write(join(project, ".claude", "agents", "open.md"), "---\nname: open\n");
    write(join(project, ".claude", "agents", "ok.md"), "---\nname: ok\ndescription: fine\n---\nbody");
    const { agents, warnings } = await loadAgents({ cwd: project, configHome: home });
    expect(agents.map((a) => a.name)).toContain("ok");
    expect(warnings).toHaveLength(3);
    expect(warnings.find((w) => w.includes("broken.md"))).toMatch(/invalid YAML.*skipped$/);
    expect(warnings.find((w) => w.includes("nodesc.md"))).toContain("`description` is required");
    expect(warnings.find((w) => w.includes("open.md"))).toContain("never closed");
    for (const w of warnings) expect(w).not.toContain("\n");
  });

  it("--agents JSON adds agents (over user ones, under project ones) and reports bad entries", async () => {
    write(join(project, ".claude", "agents", "a.md"), "---\nname: a\ndescription: from project\n---\nP");
    const flagJson = JSON.stringify({
      a: { description: "from flag", prompt: "F" },
      b: { description: "flag b", prompt: "B", tools: ["Read"], model: "sonnet" },
      c: { description: "no prompt" },
    });
    const { agents, warnings } = await loadAgents({ cwd: project, configHome: home, flagJson });
    expect(agents.find((x) => x.name === "a")?.description).toBe("from project");
    expect(agents.find((x) => x.name === "b")).toMatchObject({
      source: "flag",
      tools: ["Read"],
      model: "sonnet",
    });
    expect(warnings).toEqual(['--agents: "c": `prompt` is required; skipped']);
    const bad = await loadAgents({ cwd: project, configHome: home, flagJson: "{nope" });
    expect(bad.warnings[0]).toMatch(/^--agents is not valid JSON/);
  });
});

describe("skills", () => {
  it("finds project and user skills by folder, keeps only name and description, reads the body on demand", async () => {
    write(
      join(project, ".claude", "skills", "pdf", "SKILL.md"),
      "---\nname: pdf\ndescription: Work with PDF files\nallowed-tools: Bash(pdftotext:*), Read\n---\n# PDF\nUse pdftotext.\n",
    );
    write(
      join(home, "skills", "commit", "SKILL.md"),
      "---\nname: commit\ndescription: Write commits\n---\nBody",
    );
    write(join(home, "skills", "bad", "SKILL.md"), "no frontmatter at all");
    mkdirSync(join(home, "skills", "not-a-skill"), { recursive: true });
    const { skills, warnings } = await loadSkills({ cwd: project, configHome: home });
    expect(skills.map((s) => s.name).sort()).toEqual(["commit", "pdf"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(home, "skills", "bad", "SKILL.md"));
    const pdf = skills.find((s) => s.name === "pdf")!;
    expect(pdf.allowedTools).toEqual(["Bash(pdftotext:*)", "Read"]);
    expect(pdf.dir).toBe(join(project, ".claude", "skills", "pdf"));
    expect(await readSkillBody(pdf)).toBe("# PDF\nUse pdftotext.");
  });

  it("lists skills within the budget and counts the rest", () => {
    const skills = Array.from({ length: 10 }, (_, i) => ({
      name: `s${i}`,
      description: "d".repeat(50),
      dir: "/x",
      path: "/x/SKILL.md",
      source: "user" as const,
    }));
    const listing = listSkillsWithin(skills, 200);
    expect(listing.listed).toBe(3);
    expect(listing.omitted).toBe(7);
    expect(listing.text.split("\n")).toHaveLength(3);
  });
});
