// The permission dialog in a real terminal: allow once, deny with a message, allow and save to settings.local.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-perm-" });

function lastToolResult(): string {
  const body = e2e.mock.messageRequests().at(-1)!.body;
  return JSON.stringify(body.messages.at(-1));
}

/** Starts claw and asks for a file; the model wants Bash `command`, then says `after`. Returns the dialog. */
async function askToRun(command: string, after: string): Promise<string> {
  e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command } }), reply.text(after));
  e2e.start();
  await e2e.ready();
  e2e.submit("make a file");
  return e2e.tmux.waitFor("wants permission");
}

describe("permission dialog", () => {
  it("allow once runs the command; the model sees its output", async () => {
    const dialog = await askToRun("touch made-by-tool.txt && echo created", "All set.");
    expect(dialog).toContain("touch made-by-tool.txt && echo created");
    expect(dialog).toContain("Yes, and don't ask again");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("All set.");
    expect(existsSync(join(e2e.sandbox.workspace, "made-by-tool.txt"))).toBe(true);
    expect(lastToolResult()).toContain("created");
  });

  it("deny with a message: nothing runs and the model gets the message", async () => {
    await askToRun("touch nope.txt", "Understood.");
    e2e.tmux.type("4");
    await e2e.tmux.waitFor("Message to the model");
    e2e.submit("use a different name");
    await e2e.tmux.waitFor("Understood.");
    expect(existsSync(join(e2e.sandbox.workspace, "nope.txt"))).toBe(false);
    const result = lastToolResult();
    expect(result).toContain("denied");
    expect(result).toContain("use a different name");
  });

  it("Esc denies; the REPL carries on", async () => {
    await askToRun("touch esc.txt", "Fine, skipped.");
    e2e.tmux.send("Escape");
    await e2e.tmux.waitFor("Fine, skipped.");
    expect(existsSync(join(e2e.sandbox.workspace, "esc.txt"))).toBe(false);
    expect(lastToolResult()).toContain("denied");
  });

  it("allow and save writes the rule to .claude/settings.local.json, keeping other keys", async () => {
    mkdirSync(join(e2e.sandbox.workspace, ".claude"), { recursive: true });
    writeFileSync(
      join(e2e.sandbox.workspace, ".claude", "settings.local.json"),
      JSON.stringify({ model: "claude-x", permissions: { deny: ["Read(./secret)"] } }),
    );
    await askToRun("touch saved.txt", "Saved it.");
    e2e.tmux.type("3");
    await e2e.tmux.waitFor("Saved it.");
    await e2e.tmux.waitFor("settings.local.json");
    const saved = JSON.parse(
      readFileSync(join(e2e.sandbox.workspace, ".claude", "settings.local.json"), "utf8"),
    );
    expect(saved.model).toBe("claude-x");
    expect(saved.permissions.deny).toEqual(["Read(./secret)"]);
    expect(saved.permissions.allow).toHaveLength(1);
    expect(saved.permissions.allow[0]).toMatch(/^Bash\(touch/);
  });
});
