// Finding, listing, opening and pruning sessions in a temp config home (FAULTS S3, S5).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSessionForRun } from "../../../src/session/open-session.js";
import {
  findLatestSession,
  findSessionById,
  listSessions,
  pruneOldSessions,
} from "../../../src/session/session-list.js";
import { projectDir } from "../../../src/session/session-paths.js";
import { SessionStore } from "../../../src/session/session-store.js";

let home: string;
const cwd = "/tmp/proj-a";
const otherCwd = "/tmp/proj-b";

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "claw-sessions-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function session(dir: string, prompt: string, ageSeconds: number): SessionStore {
  const store = SessionStore.create({ configHome: home, cwd: dir, model: "m", clawVersion: "v" });
  store.append({ type: "user", message: { role: "user", content: prompt } });
  store.append({
    type: "assistant",
    message: {
      id: "x",
      model: "m",
      content: [{ type: "text", text: "ok" }],
      stopReason: "end_turn",
      usage: {
        input_tokens: 1,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
  store.close();
  const t = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(store.path, t, t);
  return store;
}

describe("finding sessions", () => {
  it("picks the most recently written session of this directory, with no index (S3, S5)", () => {
    const older = session(cwd, "first", 100);
    const newer = session(cwd, "second", 10);
    session(otherCwd, "elsewhere", 1);
    expect(findLatestSession(home, cwd)?.id).toBe(newer.id);
    expect(older.path).not.toBe(newer.path);
    expect(findLatestSession(home, "/tmp/empty")).toBeUndefined();
  });

  it("finds by full id in any project, and by unique prefix here", () => {
    const here = session(cwd, "here", 5);
    const there = session(otherCwd, "there", 5);
    expect(findSessionById(home, cwd, here.id)?.path).toBe(here.path);
    expect(findSessionById(home, cwd, there.id)?.path).toBe(there.path);
    expect(findSessionById(home, cwd, here.id.slice(0, 8))?.path).toBe(here.path);
    expect(findSessionById(home, cwd, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });

  it("lists this directory's sessions newest first with the last prompt", () => {
    session(cwd, "an old question", 100);
    session(cwd, "the\nnewest   question", 1);
    writeFileSync(join(projectDir(home, cwd), "notes.txt"), "not a session");
    const list = listSessions(home, cwd);
    expect(list.map((s) => s.lastPrompt)).toEqual(["the newest question", "an old question"]);
    expect(list[0]).toMatchObject({ messageCount: 2, cwd });
    expect(list[0]!.size).toBeGreaterThan(0);
  });
});

describe("pruneOldSessions", () => {
  it("deletes sessions older than the period, keeps recent, kept and foreign files", async () => {
    const old = session(cwd, "old", 40 * 86_400);
    const oldKept = session(otherCwd, "old but in use", 40 * 86_400);
    const recent = session(cwd, "recent", 60);
    const foreign = join(projectDir(home, cwd), "readme.jsonl");
    writeFileSync(foreign, "{}");
    utimesSync(foreign, new Date(0), new Date(0));
    // Subagent transcripts sit in a folder named like the session file: they go with it.
    const oldAgents = join(old.path.replace(/\.jsonl$/, ""), "subagents");
    const keptAgents = join(oldKept.path.replace(/\.jsonl$/, ""), "subagents");
    for (const dir of [oldAgents, keptAgents]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "agent-1.jsonl"), "{}");
    }
    // A writer lock a killed claw left goes with its session.
    writeFileSync(`${old.path}.lock`, "999999999 0\n");
    const deleted = await pruneOldSessions({ configHome: home, cleanupPeriodDays: 30, keep: [oldKept.path] });
    expect(deleted).toBe(1);
    expect(() => readFileSync(old.path)).toThrow();
    expect(existsSync(`${old.path}.lock`)).toBe(false);
    expect(existsSync(oldAgents)).toBe(false);
    expect(existsSync(keptAgents)).toBe(true);
    expect(readFileSync(oldKept.path, "utf8")).toContain("old but in use");
    expect(readFileSync(recent.path, "utf8")).toContain("recent");
    expect(readFileSync(foreign, "utf8")).toBe("{}");
  });

  it("does nothing when the period is 0 or there is no projects folder", async () => {
    session(cwd, "old", 400 * 86_400);
    expect(await pruneOldSessions({ configHome: home, cleanupPeriodDays: 0 })).toBe(0);
    expect(await pruneOldSessions({ configHome: join(home, "missing") })).toBe(0);
  });
});

describe("openSessionForRun", () => {
  const base = { configHome: "", cwd, model: "m", clawVersion: "v", onWarning: () => undefined };

  it("creates a new session, with a given UUID when asked", async () => {
    const id = "3f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f";
    const result = await openSessionForRun({ ...base, configHome: home, sessionId: id });
    expect(result.ok && result.store.id).toBe(id);
    expect(result.ok && result.history).toEqual([]);
    const again = await openSessionForRun({ ...base, configHome: home, sessionId: id });
    expect(again).toEqual({ ok: false, message: expect.stringMatching(/already exists/) });
    expect(await openSessionForRun({ ...base, configHome: home, sessionId: "abc" })).toEqual({
      ok: false,
      message: expect.stringMatching(/needs a UUID/),
    });
  });

  it("says so and creates nothing when there is no session to continue or resume", async () => {
    const cont = await openSessionForRun({ ...base, configHome: home, continue: true });
    expect(cont).toEqual({ ok: false, message: expect.stringMatching(/No session to continue/) });
    const res = await openSessionForRun({
      ...base,
      configHome: home,
      resume: "4f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f",
    });
    expect(res).toEqual({ ok: false, message: expect.stringMatching(/No session found with id/) });
    expect(listSessions(home, cwd)).toEqual([]);
  });

  it("continues the latest session: history back, appends to the same file, records a model change", async () => {
    const first = session(cwd, "remember 42", 5);
    const result = await openSessionForRun({
      ...base,
      configHome: home,
      continue: true,
      model: "other-model",
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.store.path).toBe(first.path);
    expect(result.history.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(result.usageByModel.m).toMatchObject({ input_tokens: 1 });
    result.store.append({ type: "user", message: { role: "user", content: "what number?" } });
    const text = readFileSync(first.path, "utf8");
    expect(text).toContain('"model_change"');
    expect(text).toContain("what number?");
  });

  it("refuses --session-id together with --resume", async () => {
    const result = await openSessionForRun({
      ...base,
      configHome: home,
      continue: true,
      sessionId: "3f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f",
    });
    expect(result.ok).toBe(false);
  });

  it("keeps a torn file resumable", async () => {
    const first = session(cwd, "hello", 5);
    writeFileSync(first.path, `${readFileSync(first.path, "utf8")}{"type":"assis`);
    const warnings: string[] = [];
    const result = await openSessionForRun({
      ...base,
      configHome: home,
      resume: first.id,
      onWarning: (m) => warnings.push(m),
    });
    expect(result.ok).toBe(true);
    expect(warnings.join("\n")).toMatch(/cut off/);
  });
});
