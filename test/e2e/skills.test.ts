// Agent Skills and WebSearch through the built CLI (dist/claw.js -p) against the mock API: skills listed by
// name and description only, the body on a Skill call, allowed-tools while active, /<skill> as a prompt, the
// listing budget; WebSearch answered by the web_search server tool in a side request.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { type LoggedRequest, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-skills-" });

type Block = { type: string; text?: string; tool_use_id?: string; content?: unknown; is_error?: boolean };

function writeSkill(root: string, folder: string, frontmatter: string, body: string): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), `---\n${frontmatter}\n---\n${body}\n`);
  return dir;
}
const projectSkills = () => join(e2e.sandbox.workspace, ".claude", "skills");
const userSkills = () => join(e2e.sandbox.configHome, "skills");
const toolNamed = (request: LoggedRequest, name: string) =>
  (request.body.tools as Array<{ name?: string; description?: string }>).find((t) => t.name === name);
function toolResult(request: LoggedRequest): Block | undefined {
  const content = request.body.messages.at(-1).content;
  return Array.isArray(content) ? (content as Block[]).find((b) => b.type === "tool_result") : undefined;
}
function text(block: Block | undefined): string {
  return typeof block?.content === "string" ? block.content : JSON.stringify(block?.content);
}

describe("skills", () => {
  it("project and user skills are listed by name and description; a Skill call returns the body and base directory", async () => {
    const pdfDir = writeSkill(
      projectSkills(),
      "pdf",
      "name: pdf\ndescription: Extract text and tables from PDF files",
      "# PDF skill\nBODY-MARKER-PDF: run scripts/extract.py",
    );
    writeSkill(
      userSkills(),
      "commit",
      "name: commit\ndescription: Write a commit message",
      "BODY-MARKER-COMMIT",
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "Skill", input: { skill: "pdf", args: "report.pdf" }, id: "s1" }),
      reply.text("done"),
    );
    const r = await runClaw(["-p", "read report.pdf"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const [first, second] = e2e.mock.messageRequests();
    const skill = toolNamed(first!, "Skill");
    expect(skill?.description).toContain("- pdf: Extract text and tables from PDF files");
    expect(skill?.description).toContain("- commit: Write a commit message");
    expect(first!.rawBody).not.toContain("BODY-MARKER");
    const result = toolResult(second!);
    expect(result?.is_error).toBeUndefined();
    expect(text(result)).toContain(`Base directory for this skill: ${pdfDir}`);
    expect(text(result)).toContain("BODY-MARKER-PDF: run scripts/extract.py");
    expect(text(result)).toContain("ARGUMENTS: report.pdf");
    expect(second!.rawBody).not.toContain("BODY-MARKER-COMMIT");
  });

  it("without skills there is no Skill tool", async () => {
    e2e.mock.enqueue(reply.text("hi"));
    await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(toolNamed(e2e.mock.messageRequests()[0]!, "Skill")).toBeUndefined();
  });

  it("while a skill is active its allowed-tools run without asking; deny rules still apply", async () => {
    writeSkill(
      projectSkills(),
      "maker",
      "name: maker\ndescription: Makes files\nallowed-tools: Bash(touch:*)",
      "Use touch.",
    );
    const touch = (id: string, file: string) =>
      reply.toolUse({ name: "Bash", input: { command: `touch ${file}` }, id });
    // Without the skill: touch asks, and print mode denies what would ask.
    e2e.mock.enqueue(touch("t0", "before.txt"), reply.text("no"));
    await runClaw(["-p", "make"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(existsSync(join(e2e.sandbox.workspace, "before.txt"))).toBe(false);

    e2e.mock.reset();
    e2e.mock.enqueue(
      reply.toolUse({ name: "Skill", input: { skill: "maker" }, id: "s1" }),
      touch("t1", "made.txt"),
      reply.text("made"),
    );
    const r = await runClaw(["-p", "make"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(true);

    e2e.mock.reset();
    writeFileSync(
      join(e2e.sandbox.workspace, ".claude", "settings.json"),
      JSON.stringify({ permissions: { deny: ["Bash(touch:*)"] } }),
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "Skill", input: { skill: "maker" }, id: "s1" }),
      touch("t2", "denied.txt"),
      reply.text("no"),
    );
    await runClaw(["-p", "make"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(existsSync(join(e2e.sandbox.workspace, "denied.txt"))).toBe(false);
    expect(toolResult(e2e.mock.messageRequests()[2]!)?.is_error).toBe(true);
  });

  it('-p "/<skill> args" runs the skill: its instructions are the prompt and its allowed-tools hold', async () => {
    writeSkill(
      projectSkills(),
      "stamp",
      "name: stamp\ndescription: Stamps a file\nallowed-tools: Bash(touch:*)",
      "STAMP-BODY: touch the file named in $ARGUMENTS.",
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "touch stamped.txt" }, id: "t" }),
      reply.text("ok"),
    );
    const r = await runClaw(["-p", "/stamp stamped.txt"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const prompt = JSON.stringify(e2e.mock.messageRequests()[0]!.body.messages[0].content);
    expect(prompt).toContain("STAMP-BODY: touch the file named in stamped.txt.");
    expect(prompt).toContain("Base directory for this skill:");
    expect(existsSync(join(e2e.sandbox.workspace, "stamped.txt"))).toBe(true);
  });

  it("past the listing budget the rest are left out with a note; a malformed SKILL.md is a warning", async () => {
    for (let i = 0; i < 12; i++)
      writeSkill(
        userSkills(),
        `skill-${i}`,
        `name: skill-${i}\ndescription: ${"d".repeat(60)} number ${i}`,
        "b",
      );
    writeSkill(projectSkills(), "broken", "name: broken", "no description");
    e2e.mock.enqueue(reply.text("hi"));
    const r = await runClaw(["-p", "hi"], {
      sandbox: e2e.sandbox,
      env: e2e.env({ SLASH_COMMAND_TOOL_CHAR_BUDGET: "400" }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^claw: skill .*broken[/\\]SKILL\.md: `description` is required in the frontmatter; skipped$/,
    );
    const description = toolNamed(e2e.mock.messageRequests()[0]!, "Skill")!.description!;
    const listed = description.split("\n").filter((l) => l.startsWith("- skill-"));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(12);
    expect(description).toContain(`(${12 - listed.length} more skills are installed but not listed here`);
  });
});

describe("WebSearch", () => {
  it("is answered by the web_search server tool in a side request; titles and URLs reach the model", async () => {
    e2e.mock.enqueue(
      reply.toolUse({
        name: "WebSearch",
        input: { query: "node 20 release date", allowed_domains: ["nodejs.org"] },
        id: "w1",
      }),
      reply.text("answered"),
    );
    const r = await runClaw(["-p", "when?", "--allowedTools", "WebSearch"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("answered\n");
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(3);
    const side = requests[1]!;
    expect(side.body.tools).toEqual([
      { type: "web_search_20250305", name: "web_search", max_uses: 5, allowed_domains: ["nodejs.org"] },
    ]);
    expect(JSON.stringify(side.body.messages)).toContain("node 20 release date");
    const result = toolResult(requests[2]!);
    expect(result?.is_error).toBeUndefined();
    expect(text(result)).toContain("First result about");
    expect(text(result)).toContain("https://nodejs.org/first");
    expect(text(result)).toContain("https://docs.nodejs.org/second");
  });

  it("an API that refuses the search tool gives the model a clear error", async () => {
    e2e.mock.handle((request) =>
      request.body.tools?.some((t: { type?: string }) => t.type === "web_search_20250305")
        ? reply.status(400, {
            errorType: "invalid_request_error",
            message:
              "tools.0: Input tag 'web_search_20250305' found using 'type' does not match any of the expected tags",
          })
        : undefined,
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "WebSearch", input: { query: "anything" }, id: "w1" }),
      reply.text("ok"),
    );
    const r = await runClaw(["-p", "search", "--allowedTools", "WebSearch"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    const result = toolResult(e2e.mock.messageRequests().at(-1)!);
    expect(result?.is_error).toBe(true);
    expect(text(result)).toMatch(
      /^WebSearch failed: the API did not accept the web search tool.*web_search_20250305/,
    );
  });
});
