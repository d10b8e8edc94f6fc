// Issue 11 class 9 end to end: a tool input nested 20,000 deep is refused with an is_error result, the
// session file stays valid, and the next `claw -c` resumes it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { block, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-nesting-" });

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("class 9: a tool input nested too deeply", () => {
  it.each([
    ["an object 20,000 deep", deepObject(20_000)],
    ["an array 20,000 deep", deepArray(20_000)],
    ["an object 300 deep", deepObject(300)],
  ])("%s is refused, the other call runs and the session resumes", async (_name, deep) => {
    const { workspace, configHome } = e2e.sandbox;
    writeFileSync(join(workspace, "notes.txt"), "NOTES-CONTENT\n");
    e2e.mock.enqueue(
      reply.message([
        block.toolUse({ name: "Read", id: "deep1", input: {}, rawJson: `{"file_path":"x","extra":${deep}}` }),
        block.toolUse({ name: "Read", id: "ok1", input: { file_path: "notes.txt" } }),
      ]),
      reply.text("first done"),
      reply.text("second done"),
    );
    const r = await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("first done");
    const results = JSON.stringify(e2e.mock.messageRequests()[1]?.body.messages.at(-1));
    expect(results).toMatch(
      /"tool_use_id":"deep1","content":"[^"]*nests more than 256 levels deep[^"]*","is_error":true/,
    );
    expect(results).toContain("NOTES-CONTENT");

    const again = await runClaw(["-p", "-c", "more"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("");
    const history = e2e.mock.messageRequests()[2]?.body.messages as Array<{ content: unknown }>;
    expect(JSON.stringify(history)).toContain('"id":"deep1","name":"Read","input":{}');
    expect(history).toHaveLength(5);

    const folder = join(configHome, "projects", readdirSync(join(configHome, "projects"))[0] as string);
    const [file] = readdirSync(folder).filter((name) => name.endsWith(".jsonl"));
    for (const line of readFileSync(join(folder, file as string), "utf8")
      .trim()
      .split("\n"))
      JSON.parse(line);
  });
});

describe("class 9: a session file holding a record nested too deeply", () => {
  it("claw -c skips that line with a warning and answers at once, instead of retrying a request it cannot build", async () => {
    const { configHome } = e2e.sandbox;
    e2e.mock.enqueue(reply.text("first done"), reply.text("resumed fine"));
    expect((await runClaw(["-p", "go"], { sandbox: e2e.sandbox, env: e2e.env() })).code).toBe(0);
    const folder = join(configHome, "projects", readdirSync(join(configHome, "projects"))[0] as string);
    const [file] = readdirSync(folder).filter((name) => name.endsWith(".jsonl"));
    const path = join(folder, file as string);
    // As a hand edit or a broken tool might leave it: valid JSON, far deeper than claw ever writes.
    const deep = `{"type":"user","uuid":"u-deep","message":{"role":"user","content":[{"type":"text","text":"deep","extra":${deepArray(20_000)}}]}}`;
    writeFileSync(path, `${readFileSync(path, "utf8")}${deep}\n`);

    const again = await runClaw(["-p", "-c", "more"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("resumed fine");
    expect(again.stderr).toMatch(/line \d+ nests too deeply to be used and was skipped/);
    expect(again.stderr).not.toMatch(/retrying/);
    expect(e2e.mock.messageRequests()).toHaveLength(2);
  });
});
