// Slash commands and !commands run through the controller with a real Agent over a scripted provider.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { makeCommandRepl, makeReplRuntime } from "../../support/repl-fixture.js";
import type { ScriptedReply } from "../../support/scripted-provider.js";

function setup(replies: ScriptedReply[] = []) {
  const fixture = makeReplRuntime({ replies, prefix: "claw-cmd-" });
  onTestFinished(fixture.cleanup);
  return { ...fixture, ...makeCommandRepl(fixture) };
}

describe("slash commands", () => {
  it("/model and /permissions change the session and the footer", async () => {
    const { controller, run } = setup();
    await run("/model claude-other");
    await run("/permissions read-only");
    const footer = controller.store.getSnapshot().footer;
    expect(footer.model).toBe("claude-other");
    expect(footer.mode).toBe("read-only");
    expect(controller.runtime.agent.model).toBe("claude-other");
  });

  it("/permissions allow adds a session rule that /status lists; bad rules are refused", async () => {
    const { run, output } = setup();
    await run("/permissions allow Bash(npm test:*)");
    await run("/permissions allow Bash(");
    await run("/status");
    expect(output()).toContain("Added session rule: allow Bash(npm test:*)");
    expect(output()).toContain("Session rules      allow Bash(npm test:*)");
    expect(output()).toMatch(/✗ .+/);
  });

  it("/model resolves aliases and records the change; /permissions remove drops a session rule", async () => {
    const { controller, run, output } = setup();
    const records: unknown[] = [];
    controller.runtime.appendRecord = (r) => records.push(r);
    await run("/model haiku");
    expect(controller.runtime.agent.model).toMatch(/^claude-haiku/);
    await run("/permissions read-only");
    expect(records).toEqual([
      { type: "model_change", model: controller.runtime.agent.model },
      { type: "permission_mode_change", mode: "read-only" },
    ]);
    await run("/permissions allow Bash(npm test:*)");
    await run("/permissions remove Bash(npm test:*)");
    await run("/permissions remove Bash(nothing:*)");
    expect(controller.runtime.gate.sessionRules()).toEqual([]);
    expect(output()).toContain("Removed session rule: allow Bash(npm test:*)");
    expect(output()).toContain('No session rule "Bash(nothing:*)"');
  });

  it("/mcp says servers are still connecting rather than that none are configured", async () => {
    const { controller, run, output } = setup();
    controller.runtime.mcpStarting = () => true;
    await run("/mcp");
    expect(output()).toContain("still connecting");
    expect(output()).not.toContain("No MCP servers configured");
  });

  it("unknown commands get a did-you-mean and nothing is sent", async () => {
    const { run, output, provider } = setup();
    await run("/modle x");
    expect(output()).toContain("Unknown command /modle. Did you mean /model?");
    expect(provider.requests).toHaveLength(0);
  });

  it("custom commands expand $ARGUMENTS and are sent as a prompt", async () => {
    const { run, cwd, provider, output } = setup([{ text: "reviewed" }]);
    mkdirSync(join(cwd, ".claude", "commands"), { recursive: true });
    writeFileSync(join(cwd, ".claude", "commands", "review.md"), "Please review $ARGUMENTS for bugs.");
    await run("/review src/a.ts");
    expect(JSON.stringify(provider.requests[0]?.messages.at(-1))).toContain(
      "Please review src/a.ts for bugs.",
    );
    expect(output()).toContain("reviewed");
  });

  it("!command output rides along with the next prompt", async () => {
    const { run, provider, output } = setup([{ text: "seen" }]);
    await run("!echo from-the-shell");
    expect(output()).toContain("from-the-shell");
    expect(provider.requests).toHaveLength(0);
    await run("what did it print?");
    const sent = JSON.stringify(provider.requests[0]?.messages.at(-1));
    expect(sent).toContain("from-the-shell");
    expect(sent).toContain("what did it print?");
  });

  it("!command runs without secrets in its environment, since its output goes to the model", async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, gh: process.env.GITHUB_TOKEN };
    process.env.ANTHROPIC_API_KEY = "sk-ant-test-not-for-the-model";
    process.env.GITHUB_TOKEN = "ghp-test-not-for-the-model";
    try {
      const { run, output, env } = setup();
      await run("!env");
      // What the model will receive is the pending context, in full.
      const context = env.pendingContext.join("\n");
      expect(context).toContain("PATH=");
      expect(context).not.toContain("not-for-the-model");
      expect(output()).not.toContain("not-for-the-model");
    } finally {
      for (const [name, value] of [
        ["ANTHROPIC_API_KEY", saved.key],
        ["GITHUB_TOKEN", saved.gh],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("/export writes the transcript as markdown; /cost and /context report", async () => {
    const { run, cwd, output } = setup([{ text: "an **answer**" }]);
    await run("question one");
    await run("/export out.md");
    const md = readFileSync(join(cwd, "out.md"), "utf8");
    expect(md).toContain("## User\n\nquestion one");
    expect(md).toContain("## Assistant\n\nan **answer**");
    await run("/cost");
    await run("/context");
    expect(output()).toContain("Total cost: $");
    expect(output()).toMatch(/· .+ of 200k tokens/);
    expect(output()).toMatch(/Messages\s+\d/);
  });

  it("/export to a folder that does not exist says so in one line, without temp-file names", async () => {
    const { run, cwd, output } = setup();
    await run(`/export ${join(cwd, "missing", "out.md")}`);
    expect(output()).toContain(
      `Cannot write the export to ${join(cwd, "missing", "out.md")} (its folder does not exist).`,
    );
    expect(output()).not.toContain(".tmp");
  });

  it("/init never overwrites an existing CLAUDE.md without asking", async () => {
    const { run, cwd, provider } = setup([
      // Read first, so the Write could run and it is the permission that stops it.
      { toolUses: [{ id: "r1", name: "Read", input: { file_path: "CLAUDE.md" } }] },
      { toolUses: [{ id: "w1", name: "Write", input: { file_path: "CLAUDE.md", content: "replaced" } }] },
      { text: "ok" },
    ]);
    writeFileSync(join(cwd, "CLAUDE.md"), "original\n");
    await run("/init");
    expect(readFileSync(join(cwd, "CLAUDE.md"), "utf8")).toBe("original\n");
    expect(JSON.stringify(provider.requests[0]?.messages[0])).toContain("CLAUDE.md");
    expect(JSON.stringify(provider.requests[2]?.messages.at(-1))).toMatch(/not granted|denied/);
  });

  it("/exit leaves with status 0", async () => {
    const { run, exited } = setup();
    await run("/exit");
    expect(exited()).toBe(0);
  });
});
