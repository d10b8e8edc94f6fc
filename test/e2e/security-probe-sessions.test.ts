// Issue 11 classes 10 and 12 (sessions): two claw processes never write one session file, and a broken latest
// session does not block `claw -c`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-sessions-" });

function sessionDir(): string {
  const root = join(e2e.sandbox.configHome, "projects");
  const [folder] = readdirSync(root);
  return join(root, folder as string);
}

function sessionFiles(): string[] {
  return readdirSync(sessionDir())
    .filter((name) => name.endsWith(".jsonl"))
    .map((name) => join(sessionDir(), name));
}

async function startSession(): Promise<string> {
  e2e.mock.enqueue(reply.text("first answer"));
  const r = await runClaw(["-p", "FIRST-PROMPT"], { sandbox: e2e.sandbox, env: e2e.env() });
  expect(r.code).toBe(0);
  const [file] = sessionFiles();
  return file as string;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("class 10: one writer per session", () => {
  it.each([["-c"], ["-r"]])(
    "a second claw %s on a busy session forks it instead of interleaving",
    async (flag) => {
      const original = await startSession();
      const id = original.replace(/^.*\//, "").replace(/\.jsonl$/, "");
      const resume = flag === "-c" ? ["-c"] : ["-r", id];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      e2e.mock.enqueue(reply.after(gate, reply.text("A-ANSWER")), reply.text("B-ANSWER"));
      const a = spawnClaw(["-p", ...resume, "A-PROMPT"], { sandbox: e2e.sandbox, env: e2e.env() });
      await until(() => e2e.mock.messageRequests().length === 2);
      const b = await runClaw(["-p", ...resume, "B-PROMPT"], { sandbox: e2e.sandbox, env: e2e.env() });
      release();
      const ra = await a.done;
      expect(ra.code).toBe(0);
      expect(b.code).toBe(0);
      expect(b.stdout).toContain("B-ANSWER");
      expect(b.stderr).toMatch(
        new RegExp(
          `session ${id} is in use by another claw process \\(pid \\d+\\); continuing in a new session`,
        ),
      );
      // B was answered with the shared history, not A's half-finished turn.
      const sentByB = JSON.stringify(e2e.mock.messageRequests()[2]?.body);
      expect(sentByB).toContain("FIRST-PROMPT");
      expect(sentByB).not.toContain("A-PROMPT");
      const originalText = readFileSync(original, "utf8");
      expect(originalText).toContain("A-ANSWER");
      expect(originalText).not.toContain("B-PROMPT");
      const fork = sessionFiles().find((file) => file !== original) as string;
      const forkText = readFileSync(fork, "utf8");
      expect(forkText).toContain("FIRST-PROMPT");
      expect(forkText).toContain("B-ANSWER");
      expect(forkText).not.toContain("A-PROMPT");
      // Both locks are gone once the processes exited.
      expect(readdirSync(sessionDir()).filter((name) => name.includes(".lock"))).toEqual([]);
    },
  );

  it("a lock left by a killed claw is taken over", async () => {
    const original = await startSession();
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    writeFileSync(`${original}.lock`, `${dead}\n`);
    e2e.mock.enqueue(reply.text("again"));
    const r = await runClaw(["-p", "-c", "SECOND-PROMPT"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(sessionFiles()).toEqual([original]);
    expect(readFileSync(original, "utf8")).toContain("SECOND-PROMPT");
    expect(existsSync(`${original}.lock`)).toBe(false);
  });
});

describe("class 12: a broken latest session", () => {
  it.each([
    ["empty", ""],
    ["header-less", '{"type":"user","message":{"role":"user","content":"x"}}\n'],
    ["garbage", "\u0000\u0001 not json\n"],
  ])("a latest session that is %s makes claw -c continue the one before, saying so", async (_name, text) => {
    const original = await startSession();
    const broken = join(sessionDir(), "00000000-0000-4000-8000-000000000001.jsonl");
    writeFileSync(broken, text);
    const later = new Date(Date.now() + 60_000);
    utimesSync(broken, later, later);
    for (const prompt of ["SECOND-PROMPT", "THIRD-PROMPT"]) {
      e2e.mock.enqueue(reply.text("continued"));
      const r = await runClaw(["-p", "-c", prompt], { sandbox: e2e.sandbox, env: e2e.env() });
      expect(r.code).toBe(0);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(broken);
      expect(r.stderr).toMatch(/no valid header line; continuing the session before it/);
    }
    const sent = JSON.stringify(e2e.mock.messageRequests().at(-1)?.body);
    expect(sent).toContain("FIRST-PROMPT");
    expect(sent).toContain("SECOND-PROMPT");
    expect(readFileSync(original, "utf8")).toContain("THIRD-PROMPT");
  });

  it("claw -r of a broken session still fails with one line", async () => {
    await startSession();
    const id = "00000000-0000-4000-8000-000000000002";
    writeFileSync(join(sessionDir(), `${id}.jsonl`), "");
    const r = await runClaw(["-p", "-r", id, "x"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no valid header line/);
  });
});
