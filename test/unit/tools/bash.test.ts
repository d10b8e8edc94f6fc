import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bashTool } from "../../../src/tools/bash.js";
import { OutputCapture } from "../../../src/tools/output-capture.js";
import {
  liveProcesses,
  run,
  type TempWorkspace,
  tempWorkspace,
  text,
  uniqueSleepSeconds,
} from "./tool-context.js";

let ws: TempWorkspace;
beforeAll(() => {
  process.env.CLAW_KILL_GRACE_MS = "300";
});
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe("Bash", () => {
  it("reports stdout, then stderr, and a non-zero exit code as an error", async () => {
    const r = await run(bashTool, { command: "echo out; echo err >&2; exit 3" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toBe("Exit code 3\nout\nstderr:\nerr");
    expect(r.details).toMatchObject({ stdout: "out\n", stderr: "err\n", exitCode: 3, interrupted: false });
  });

  it("runs in the workspace directory with the user's shell", async () => {
    const r = await run(bashTool, { command: "pwd" }, ws.ctx);
    expect(r.isError).toBeFalsy();
    expect(text(r)).toBe(ws.dir);
  });

  it("says so when there is no output", async () => {
    const r = await run(bashTool, { command: "true" }, ws.ctx);
    expect(text(r)).toBe("(no output)");
  });

  it("T10: exit 127 goes to the model and the next command still runs", async () => {
    const r = await run(bashTool, { command: "nosuchcmd_claw_test" }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Exit code 127/);
    expect(text(r)).toContain("nosuchcmd_claw_test");
    const next = await run(bashTool, { command: "echo still here" }, ws.ctx);
    expect(text(next)).toBe("still here");
  });

  it("T1: on timeout the whole process group is killed, with partial output and no orphans", async () => {
    const marker = uniqueSleepSeconds();
    const r = await run(
      bashTool,
      { command: `echo partial; sleep ${marker} & sleep ${marker}; wait`, timeout: 1000 },
      ws.ctx,
    );
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("timed out");
    expect(text(r)).toContain("partial");
    expect(r.details).toMatchObject({ timedOut: true, exitCode: null });
    expect(liveProcesses(marker)).toEqual([]);
  });

  it("T1: processes that ignore SIGTERM are SIGKILLed after the grace period", async () => {
    const marker = uniqueSleepSeconds();
    const r = await run(
      bashTool,
      { command: `trap '' TERM; sleep ${marker} & trap '' TERM; sleep ${marker}; wait`, timeout: 500 },
      ws.ctx,
    );
    expect(text(r)).toContain("timed out");
    expect(liveProcesses(marker)).toEqual([]);
  });

  it("stops processes a foreground command leaves running", async () => {
    const marker = uniqueSleepSeconds();
    const r = await run(bashTool, { command: `sleep ${marker} & echo started` }, ws.ctx);
    expect(text(r)).toContain("started");
    expect(text(r)).toContain("left background processes running");
    expect(liveProcesses(marker)).toEqual([]);
  });

  it("an abort (Ctrl-C) interrupts the command and kills its group", async () => {
    const marker = uniqueSleepSeconds();
    ws.ctx.onUpdate = (chunk) => {
      if (chunk.includes("ready")) ws.controller.abort();
    };
    const r = await run(bashTool, { command: `echo ready; sleep ${marker}` }, ws.ctx);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain("interrupted");
    expect(text(r)).toContain("ready");
    expect(r.details).toMatchObject({ interrupted: true });
    expect(liveProcesses(marker)).toEqual([]);
  });

  it("T2: huge output is cut to head + tail with a marker; the full output is saved to a file", async () => {
    const r = await run(bashTool, { command: "yes | head -c 50M" }, ws.ctx);
    const out = text(r);
    expect(r.isError).toBeFalsy();
    expect(Buffer.byteLength(out)).toBeLessThan(32_000);
    expect(out.startsWith("y\ny\n")).toBe(true);
    expect(out).toMatch(/omitted of 26214400 lines in total/);
    const path = (r.details as { stdoutPath: string }).stdoutPath;
    expect(out).toContain(`saved to ${path}`);
    expect(path.startsWith(ws.ctx.scratchDir)).toBe(true);
    expect(statSync(path).size).toBe(50 * 1024 * 1024);
  });

  it("T2: output capture keeps memory bounded while streaming 50 MB (backpressure on the source)", async () => {
    const capture = new OutputCapture({
      spillPath: `${ws.root}/capture.txt`,
      limits: { maxBytes: 30_000, maxLines: 2000 },
    });
    const chunk = Buffer.alloc(64 * 1024, "y\n");
    let maxRetained = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 800; i++) {
          maxRetained = Math.max(maxRetained, capture.retainedBytes);
          yield chunk;
        }
      })(),
    );
    capture.attach(source);
    const result = await capture.finish();
    expect(maxRetained).toBeLessThan(1024 * 1024);
    expect(result.totalBytes).toBe(800 * 64 * 1024);
    expect(statSync(result.fullOutputPath!).size).toBe(800 * 64 * 1024);
  });

  it("small output writes no file", async () => {
    await run(bashTool, { command: "echo hi" }, ws.ctx);
    let files: string[] = [];
    try {
      files = readdirSync(ws.ctx.scratchDir);
    } catch {
      // no scratch dir at all is fine too
    }
    expect(files).toEqual([]);
  });

  it("T12: stdin is /dev/null, so prompts and interactive git do not hang", async () => {
    const r = await run(bashTool, { command: 'read x; echo "got:[$x]"' }, ws.ctx);
    expect(text(r)).toBe("got:[]");
    const git = (args: string) => `git -c user.email=t@e -c user.name=t ${args}`;
    const setup = [
      "git init -q .",
      "echo 1 > f",
      `${git("add f")}`,
      `${git("commit -qm one")}`,
      "echo 2 > f",
      `${git("commit -qam two")}`,
      "echo 3 > f",
      `${git("commit -qam three")}`,
    ].join(" && ");
    expect((await run(bashTool, { command: setup }, ws.ctx)).isError).toBeFalsy();
    const rebase = await run(bashTool, { command: `${git("rebase -i HEAD~2")}`, timeout: 20_000 }, ws.ctx);
    expect(text(rebase)).not.toContain("timed out");
    expect(rebase.details).toMatchObject({ exitCode: 0 });
  });

  it("T13: the environment has no ANTHROPIC_* variables, tokens or config-dir overrides", async () => {
    const saved = { ...process.env };
    process.env.ANTHROPIC_API_KEY = "sk-ant-secret";
    process.env.ANTHROPIC_BASE_URL = "http://127.0.0.1:9";
    process.env.CLAUDE_CONFIG_HOME = "/tmp/claw-config";
    process.env.GITHUB_TOKEN = "ghp_secret";
    try {
      ws.ctx.env = { SETTINGS_VAR: "from-settings", ANTHROPIC_AUTH_TOKEN: "x" };
      const r = await run(bashTool, { command: "env" }, ws.ctx);
      const names = text(r)
        .split("\n")
        .map((line) => line.split("=")[0]);
      expect(names.filter((n) => /^ANTHROPIC_|TOKEN|^CLAUDE_CONFIG/.test(n ?? ""))).toEqual([]);
      expect(names).toContain("PATH");
      expect(names).toContain("SETTINGS_VAR");
      expect(text(r)).not.toContain("sk-ant-secret");
    } finally {
      process.env = saved;
    }
  });

  it("rejects a timeout above 10 minutes with a clear message", () => {
    const parsed = bashTool.parse({ command: "ls", timeout: 700_000 });
    expect(parsed).toEqual({ ok: false, error: "timeout must be at most 600000" });
  });
});

describe("git is available for these tests", () => {
  it("has git", () => {
    expect(execFileSync("git", ["--version"]).toString()).toContain("git version");
  });
});
