// Background shells through the built CLI (-p against the mock API): Bash with run_in_background, BashOutput
// until the shell's output shows up, KillShell, then a foreground Bash that checks the process is gone.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

type Block = { type: string; tool_use_id?: string; content?: unknown };

/** The tool_result the request carries back, as { id, text }. */
function lastResult(body: {
  messages: Array<{ content: unknown }>;
}): { id: string; text: string } | undefined {
  const content = body.messages.at(-1)?.content;
  if (!Array.isArray(content)) return undefined;
  const result = (content as Block[]).find((b) => b.type === "tool_result");
  return result ? { id: result.tool_use_id ?? "", text: JSON.stringify(result.content) } : undefined;
}

describe("background shells", () => {
  it("Bash run_in_background, BashOutput and KillShell: output read while running, the process group killed", async () => {
    // Scripts rather than inline $$ / $(…), which the Bash policy asks about.
    const ws = e2e.sandbox.workspace;
    writeFileSync(join(ws, "bg.sh"), "echo $$ > shell.pid\necho bg-marker\nexec sleep 60\n");
    writeFileSync(
      join(ws, "check.sh"),
      'kill -0 "$(cat shell.pid)" 2>/dev/null && echo still-alive || echo is-gone\n',
    );
    const results: Array<{ id: string; text: string }> = [];
    let polls = 0;
    // The model's side: each reply depends on the result it was sent, so BashOutput is asked again until the
    // shell's first line has arrived (the shell runs on its own; its output is not there at a fixed time).
    e2e.mock.handle((request) => {
      const last = lastResult(request.body);
      if (last) results.push(last);
      if (!last)
        return reply.toolUse({
          name: "Bash",
          input: { command: "sh bg.sh", run_in_background: true },
          id: "start",
        });
      if (last.id === "start" || (last.id === "read" && !last.text.includes("bg-marker") && ++polls < 100))
        return reply.toolUse({ name: "BashOutput", input: { bash_id: "bash_1" }, id: "read" });
      if (last.id === "read")
        return reply.toolUse({ name: "KillShell", input: { shell_id: "bash_1" }, id: "kill" });
      if (last.id === "kill")
        return reply.toolUse({
          name: "Bash",
          input: { command: "sh check.sh" },
          id: "check",
        });
      return reply.text("done");
    });
    const r = await runClaw(["-p", "run it in the background", "--allowedTools", "Bash", "KillShell"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
      timeoutMs: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("done\n");
    const byId = (id: string) => results.filter((x) => x.id === id);
    expect(byId("start")[0]?.text).toContain("shell id bash_1");
    const reads = byId("read");
    expect(reads.at(-1)?.text).toContain("bg-marker");
    expect(reads.at(-1)?.text).toContain("status: running");
    expect(byId("kill")[0]?.text).not.toMatch(/unknown|not found/i);
    expect(byId("check")[0]?.text).toContain("is-gone");
  });

  it("a background shell still running when -p ends is killed with claw", async () => {
    const ws = e2e.sandbox.workspace;
    writeFileSync(join(ws, "bg.sh"), "echo $$ > shell.tmp && mv shell.tmp shell.pid\nexec sleep 60\n");
    // The turn goes on until the shell has written its pid, so the shell is surely running when claw ends.
    writeFileSync(
      join(ws, "wait.sh"),
      "i=0\nwhile [ ! -f shell.pid ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n",
    );
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "sh bg.sh", run_in_background: true }, id: "start" }),
      reply.toolUse({ name: "Bash", input: { command: "sh wait.sh" }, id: "wait" }),
      reply.text("left it running"),
    );
    const r = await runClaw(["-p", "start it", "--allowedTools", "Bash"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("left it running\n");
    const pid = Number(readFileSync(join(ws, "shell.pid"), "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
