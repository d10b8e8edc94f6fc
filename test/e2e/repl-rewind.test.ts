// /rewind in a real terminal: Esc Esc on an empty prompt opens it; picking a prompt restores the code and the
// conversation, so the next request no longer carries the rewound prompts; a file changed outside claw is asked about.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { expectValidConversation, setupReplE2E } from "../support/repl-e2e.js";

/** Steps that take snapshots or restore files: generous on a loaded machine. */
const SLOW = { timeoutMs: 30_000 };
const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-rewind-" });
const file = (name: string) => join(e2e.sandbox.workspace, name);

/** Waits until the picker's highlighted row (marked › ) contains `text`, pressing Down until it does. */
async function highlight(text: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const screen = await e2e.tmux.waitFor(/› /);
    const current = screen.split("\n").find((line) => line.includes("› "));
    if (current?.includes(text)) return;
    e2e.tmux.send("Down");
    await e2e.tmux.waitFor((s) => s.split("\n").find((line) => line.includes("› ")) !== current);
  }
  throw new Error(`no picker row with ${text}`);
}

/** Waits until the session file holds `count` "after" checkpoints (written just after each prompt ends). */
async function checkpointsWritten(count: number): Promise<void> {
  const projects = join(e2e.sandbox.configHome, "projects");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = existsSync(projects)
      ? readdirSync(projects).flatMap((dir) =>
          readdirSync(join(projects, dir))
            .filter((name) => name.endsWith(".jsonl"))
            .map((name) => join(projects, dir, name)),
        )
      : [];
    const text = files.map((path) => readFileSync(path, "utf8")).join("");
    if ((text.match(/"stage":"after"/g) ?? []).length >= count) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} checkpoints written`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** /rewind, the latest prompt, "code only". */
async function restoreLatestCodeOnly(): Promise<void> {
  e2e.submit("/rewind");
  await e2e.tmux.waitFor("Rewind to just before a prompt", SLOW);
  e2e.tmux.send("Enter");
  await e2e.tmux.waitFor("what to restore?", SLOW);
  await highlight("the conversation stays");
  e2e.tmux.send("Enter");
}

describe("/rewind in the REPL", () => {
  it("Esc Esc opens it; restoring code and conversation undoes both prompts' files and drops them from the next request", async () => {
    writeFileSync(file("a.txt"), "one\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: "a.txt" } }),
      reply.toolUse({ name: "Edit", input: { file_path: "a.txt", old_string: "one", new_string: "two" } }),
      reply.text("first done"),
      reply.toolUse({ name: "Write", input: { file_path: "b.txt", content: "bee\n" } }),
      reply.text("second done"),
      reply.text("fresh start"),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("alpha prompt");
    await e2e.tmux.waitFor("first done");
    e2e.submit("beta prompt");
    await e2e.tmux.waitFor("second done");
    await checkpointsWritten(2); // also: the turn is over, so Esc is not an interrupt
    expect(readFileSync(file("a.txt"), "utf8")).toBe("two\n");
    expect(existsSync(file("b.txt"))).toBe(true);

    e2e.tmux.send("Escape");
    e2e.tmux.send("Escape");
    const picker = await e2e.tmux.waitFor("Rewind to just before a prompt", SLOW);
    expect(picker).toMatch(/alpha prompt\s+· 1 file: a\.txt/);
    expect(picker).toMatch(/beta prompt\s+· 1 file: b\.txt/);
    await highlight("alpha prompt");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("what to restore?", SLOW);
    await highlight("code and the conversation");
    e2e.tmux.send("Enter");
    const after = await e2e.tmux.waitFor("The conversation continues from just before", SLOW);
    expect(after).toContain("restored  a.txt");
    expect(after).toContain("removed   b.txt");
    expect(readFileSync(file("a.txt"), "utf8")).toBe("one\n");
    expect(existsSync(file("b.txt"))).toBe(false);

    // The rewound prompt is offered again in the input; replace it with a new one.
    await e2e.tmux.waitFor(/> alpha prompt\s*(│\s*)?$/m);
    e2e.tmux.send("C-u");
    e2e.submit("gamma prompt");
    await e2e.tmux.waitFor("fresh start", SLOW);
    const requests = e2e.mock.messageRequests();
    const last = JSON.stringify(requests.at(-1)!.body.messages);
    expect(last).toContain("gamma prompt");
    expect(last).not.toContain("alpha prompt");
    expect(last).not.toContain("beta prompt");
    expectValidConversation(requests.at(-1)!.body.messages as unknown[]);
    // Nothing was deleted: the rewound prompts stay in the session file, on their own branch.
    await checkpointsWritten(3);
    const projects = join(e2e.sandbox.configHome, "projects");
    const [dir] = readdirSync(projects);
    const [session] = readdirSync(join(projects, dir!)).filter((n) => n.endsWith(".jsonl"));
    const saved = readFileSync(join(projects, dir!, session!), "utf8");
    expect(saved).toContain("beta prompt");
    expect(saved).toContain('"type":"conversation_rewind"');
  }, 120_000);

  it("asks before overwriting a file changed outside claw, and restores only after a yes", async () => {
    writeFileSync(file("a.txt"), "original\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: "new.txt", content: "by claw\n" } }),
      reply.text("wrote it"),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("make new");
    await e2e.tmux.waitFor("wrote it");
    await checkpointsWritten(1);
    writeFileSync(file("new.txt"), "edited by the user\n");

    await restoreLatestCodeOnly();
    await e2e.tmux.waitFor("Changed outside claw since it last wrote them: new.txt", SLOW);
    e2e.tmux.send("Enter"); // the first answer is "No"
    await e2e.tmux.waitFor("Nothing was restored.", SLOW);
    expect(readFileSync(file("new.txt"), "utf8")).toBe("edited by the user\n");

    await restoreLatestCodeOnly();
    await e2e.tmux.waitFor("Overwrite?", SLOW);
    await highlight("Yes");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("removed   new.txt", SLOW);
    expect(existsSync(file("new.txt"))).toBe(false);
  }, 120_000);
});
