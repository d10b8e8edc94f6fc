// Subagents and skills in the REPL, in a real terminal (tmux): progress under the Agent call collapsing to a
// summary line, an approval dialog that names the subagent, Esc stopping a subagent, /agents, /skills, /<skill>.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LoggedRequest, type MockReply, reply } from "../support/mock-anthropic.js";
import { expectValidConversation, setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-agents-" });

function systemText(request: LoggedRequest): string {
  return ((request.body?.system ?? []) as Array<{ text: string }>).map((b) => b.text).join("\n");
}
/** Subagent requests (marked by the general-purpose prompt) get `sub(turn)`; the parent gets `parent(turn)`. */
function route(parent: (turn: number) => MockReply, sub: (turn: number) => MockReply): void {
  let parentTurn = 0;
  let subTurn = 0;
  e2e.mock.handle((request) =>
    systemText(request).includes("subagent of claw") ? sub(subTurn++) : parent(parentTurn++),
  );
}
const agentCall = (prompt: string) =>
  reply.message([
    {
      type: "tool_use",
      id: "call_gp",
      name: "Agent",
      input: { description: "look around", prompt, subagent_type: "general-purpose" },
    },
  ]);

describe("subagents in the REPL", () => {
  it("the Agent call shows the subagent's progress under it, then one summary line (also when resumed)", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "hello\n");
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    route(
      (turn) => (turn === 0 ? agentCall("read notes.txt") : reply.text("The subagent is done.")),
      (turn) =>
        turn === 0
          ? reply.toolUse(
              { name: "Read", input: { file_path: "notes.txt" }, id: "r1" },
              { usage: { input_tokens: 1200, output_tokens: 30 } },
            )
          : reply.after(held, reply.text("notes.txt says hello")),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("what is in notes?");
    const running = await e2e.tmux.waitFor(/1 tool use · [\d.]+k tokens/);
    expect(running).toContain("general-purpose(look around)");
    expect(running).toMatch(/Read\(notes\.txt\) · 1 tool use/);
    release();
    const done = await e2e.tmux.waitFor("The subagent is done.");
    expect(done).toMatch(/general-purpose\(look around\)\n.*Done \(1 tool use · [\d.]+k tokens\)/);
    expect(done).not.toMatch(/Read\(notes\.txt\) · 1 tool use/);

    // A resumed session shows the Agent call with its result.
    e2e.newTmux();
    e2e.start(["-c"]);
    const resumed = await e2e.tmux.waitFor("Resumed session");
    expect(resumed).toMatch(/general-purpose\(look around\)\n.*Done \(1 tool use · [\d.]+k tokens\)/);
    expect(resumed).toContain("The subagent is done.");
  });

  it("an approval dialog says which subagent asks; allowing it runs the command", async () => {
    route(
      (turn) => (turn === 0 ? agentCall("make a file") : reply.text("Parent finished.")),
      (turn) =>
        turn === 0
          ? reply.toolUse({ name: "Bash", input: { command: "touch from-subagent.txt" }, id: "b1" })
          : reply.text("made it"),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("make a file");
    const dialog = await e2e.tmux.waitFor("wants to use Bash");
    expect(dialog).toContain("The general-purpose agent wants to use Bash");
    expect(dialog).toContain("touch from-subagent.txt");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Parent finished.");
    expect(existsSync(join(e2e.sandbox.workspace, "from-subagent.txt"))).toBe(true);
  });

  it("Esc stops a running subagent; the conversation stays valid for the next prompt", async () => {
    route(
      (turn) => (turn === 0 ? agentCall("search forever") : reply.text("Back again.")),
      () => reply.stall({ afterText: "searching" }),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("go");
    await e2e.mock.waitForRequests(2, 20_000);
    await e2e.tmux.waitFor("general-purpose(look around)");
    e2e.tmux.send("Escape");
    await e2e.tmux.waitFor(/Interrupted/);
    e2e.submit("are you there?");
    await e2e.tmux.waitFor("Back again.");
    const last = e2e.mock.messageRequests().at(-1)!;
    expect(systemText(last)).not.toContain("subagent of claw");
    expectValidConversation(last.body.messages);
  });

  it("/agents lists the agents and where each comes from; /skills lists skills; /<skill> runs one", async () => {
    const agents = join(e2e.sandbox.workspace, ".claude", "agents");
    mkdirSync(agents, { recursive: true });
    writeFileSync(
      join(agents, "reviewer.md"),
      "---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep\n---\nReview.",
    );
    const skill = join(e2e.sandbox.configHome, "skills", "haiku");
    mkdirSync(skill, { recursive: true });
    writeFileSync(
      join(skill, "SKILL.md"),
      "---\nname: haiku\ndescription: Answers in haiku\n---\nHAIKU-RULES: three lines.",
    );
    e2e.mock.enqueue(reply.text("Autumn moonlight"));
    e2e.start();
    await e2e.ready();
    e2e.submit("/agents");
    const list = await e2e.tmux.waitFor("reviewer");
    expect(list).toMatch(/general-purpose \(built-in\)/);
    expect(list).toMatch(/Explore \(built-in\)/);
    expect(list).toContain(`reviewer (project: ${join(agents, "reviewer.md")})`);
    expect(list).toContain("tools: Read, Grep");
    e2e.submit("/skills");
    await e2e.tmux.waitFor("Answers in haiku");
    e2e.submit("/haiku about the sea");
    await e2e.tmux.waitFor("Autumn moonlight");
    const sent = JSON.stringify(e2e.mock.messageRequests()[0]!.body.messages[0].content);
    expect(sent).toContain("HAIKU-RULES: three lines.");
    expect(sent).toContain("ARGUMENTS: about the sea");
  });
});
