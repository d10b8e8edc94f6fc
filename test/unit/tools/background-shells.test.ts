import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bashOutputTool,
  killAllBackgroundShells,
  killShellTool,
  listBackgroundShells,
} from "../../../src/tools/background-shells.js";
import { bashTool } from "../../../src/tools/bash.js";
import {
  liveProcesses,
  run,
  type TempWorkspace,
  tempWorkspace,
  text,
  uniqueSleepSeconds,
} from "./tool-context.js";

async function startBackground(command: string, ws: TempWorkspace): Promise<string> {
  const r = await run(bashTool, { command, run_in_background: true }, ws.ctx);
  expect(r.isError).toBeFalsy();
  const id = (r.details as { backgroundTaskId: string }).backgroundTaskId;
  expect(text(r)).toContain(id);
  return id;
}

/** Polls BashOutput until the shell is no longer running; returns all output seen. */
async function readUntilDone(id: string, ws: TempWorkspace): Promise<string> {
  let all = "";
  for (let i = 0; i < 200; i++) {
    const r = await run(bashOutputTool, { bash_id: id }, ws.ctx);
    all += `${text(r)}\n`;
    if (!text(r).startsWith("status: running")) return all;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("background shell did not finish");
}

let ws: TempWorkspace;
beforeAll(() => {
  process.env.CLAW_KILL_GRACE_MS = "300";
});
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe("background shells", () => {
  it("returns an id at once; BashOutput returns only new output and the final status", async () => {
    const id = await startBackground(
      "for i in 1 2 3; do echo line$i; sleep 0.05; done; echo oops >&2; exit 4",
      ws,
    );
    const all = await readUntilDone(id, ws);
    expect(all).toContain("line1");
    expect(all).toContain("line3");
    expect(all).toContain("<stderr>\noops\n</stderr>");
    expect(all).toContain("failed (exit code 4)");
    expect(all.match(/line2/g)).toHaveLength(1);
    const again = await run(bashOutputTool, { bash_id: id }, ws.ctx);
    expect(text(again)).toContain("(no new output)");
  });

  it("filters new output by a regular expression", async () => {
    const id = await startBackground("printf 'ok 1\\nERROR a\\nok 2\\nERROR b\\n'", ws);
    let seen = "";
    for (let i = 0; i < 200 && !seen.includes("ERROR b"); i++) {
      const r = await run(bashOutputTool, { bash_id: id, filter: "^ERROR" }, ws.ctx);
      seen += text(r);
      if (!text(r).startsWith("status: running") && !seen.includes("ERROR b")) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toContain("ERROR a\nERROR b");
    expect(seen).not.toContain("ok 1");
    const bad = await run(bashOutputTool, { bash_id: id, filter: "(" }, ws.ctx);
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain("not a valid regular expression");
  });

  it("KillShell stops the whole group", async () => {
    const marker = uniqueSleepSeconds();
    const id = await startBackground(`echo up; sleep ${marker} & sleep ${marker}; wait`, ws);
    for (let i = 0; i < 200 && liveProcesses(marker).length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(liveProcesses(marker).length).toBe(2);
    const killed = await run(killShellTool, { shell_id: id }, ws.ctx);
    expect(killed.isError).toBeFalsy();
    expect(liveProcesses(marker)).toEqual([]);
    const status = await run(bashOutputTool, { bash_id: id }, ws.ctx);
    expect(text(status)).toContain("status: killed");
    expect(text(status)).toContain("up");
    const twice = await run(killShellTool, { shell_id: id }, ws.ctx);
    expect(text(twice)).toContain("not running");
  });

  it("a finished shell whose leftover process holds the output does not hang BashOutput; KillShell stops it", async () => {
    const marker = uniqueSleepSeconds();
    const id = await startBackground(`sleep ${marker} & echo done`, ws);
    const all = await readUntilDone(id, ws);
    expect(all).toContain("done");
    expect(all).toContain("completed (exit code 0)");
    expect(liveProcesses(marker).length).toBe(1);
    const k = await run(killShellTool, { shell_id: id }, ws.ctx);
    expect(text(k)).toContain("left running were stopped");
    expect(liveProcesses(marker)).toEqual([]);
  });

  it("unknown ids get an error listing the known shells", async () => {
    const r = await run(bashOutputTool, { bash_id: "bash_999" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('No background shell with id "bash_999"');
    const k = await run(killShellTool, { shell_id: "nope" }, ws.ctx);
    expect(k.isError).toBe(true);
  });

  it("killAllBackgroundShells kills every running group", async () => {
    const marker = uniqueSleepSeconds();
    const id = await startBackground(`sleep ${marker}`, ws);
    for (let i = 0; i < 200 && liveProcesses(marker).length < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(liveProcesses(marker).length).toBe(1);
    killAllBackgroundShells();
    for (let i = 0; i < 200 && liveProcesses(marker).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(liveProcesses(marker)).toEqual([]);
    expect(listBackgroundShells().find((s) => s.id === id)?.status).toBe("killed");
  });
});
