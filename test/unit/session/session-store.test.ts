// SessionStore and loadSession against real temp files: header, flush per record, torn tails,
// dangling tool calls, unknown records, write failures (FAULTS S1, S2, S4, S7, S8).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AssistantMessage, Message } from "../../../src/api/types.js";
import { INTERRUPTED_TOOL_RESULT } from "../../../src/session/history-repair.js";
import { loadSession } from "../../../src/session/session-load.js";
import { sessionFilePath } from "../../../src/session/session-paths.js";
import { SessionError, SessionStore } from "../../../src/session/session-store.js";

let home: string;
const cwd = "/work/some project";

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "claw-session-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function assistant(content: AssistantMessage["content"], input_tokens = 100): AssistantMessage {
  return {
    id: "msg_1",
    model: "claude-test",
    content,
    stopReason: "end_turn",
    usage: { input_tokens, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function newStore(warnings: string[] = []): SessionStore {
  return SessionStore.create({
    configHome: home,
    cwd,
    model: "claude-test",
    clawVersion: "0.1.0",
    onWarning: (m) => warnings.push(m),
  });
}

function lines(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("SessionStore", () => {
  it("writes a versioned header under the config home, outside the project", () => {
    const store = newStore();
    expect(store.path).toBe(sessionFilePath(home, cwd, store.id));
    expect(store.path.startsWith(join(home, "projects"))).toBe(true);
    expect(store.path).toContain("-work-some-project");
    const [header] = lines(store.path);
    expect(header).toMatchObject({
      type: "header",
      version: 1,
      id: store.id,
      cwd,
      model: "claude-test",
      clawVersion: "0.1.0",
    });
    expect(store.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("puts each record on disk before append returns (flush per record)", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "hello" } });
    expect(lines(store.path)).toHaveLength(2);
    store.append({ type: "assistant", message: assistant([{ type: "text", text: "hi" }]) });
    const all = lines(store.path);
    expect(all).toHaveLength(3);
    expect(all[2]).toMatchObject({ type: "assistant", message: { content: [{ type: "text", text: "hi" }] } });
    expect((all[2] as { ts: string }).ts).toMatch(/^\d{4}-/);
  });

  it("rejects a session id that is not a UUID, and one that already exists", () => {
    expect(() =>
      SessionStore.create({ configHome: home, cwd, model: "m", clawVersion: "v", id: "not-a-uuid" }),
    ).toThrow(SessionError);
    const id = "0b9f3a52-6c1e-4a7d-9d7e-2f3c4b5a6d7e";
    SessionStore.create({ configHome: home, cwd, model: "m", clawVersion: "v", id }).close();
    expect(() => SessionStore.create({ configHome: home, cwd, model: "m", clawVersion: "v", id })).toThrow(
      /already exists/,
    );
  });

  it("warns once and continues in memory when the disk is full (S8)", () => {
    const warnings: string[] = [];
    const path = join(home, "full.jsonl");
    symlinkSync("/dev/full", path);
    const header = {
      type: "header" as const,
      version: 1,
      id: "x",
      cwd,
      model: "m",
      created: "",
      clawVersion: "v",
    };
    const store = SessionStore.open({ path, header, onWarning: (m) => warnings.push(m) });
    store.append({ type: "user", message: { role: "user", content: "one" } });
    store.append({ type: "user", message: { role: "user", content: "two" } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ENOSPC/);
    expect(warnings[0]).toMatch(/continues in memory/);
    expect(store.persistent).toBe(false);
  });

  it("warns instead of failing when the session folder cannot be created", () => {
    writeFileSync(join(home, "projects"), "a file where the folder should be");
    const warnings: string[] = [];
    const store = newStore(warnings);
    store.append({ type: "user", message: { role: "user", content: "still works" } });
    expect(warnings).toHaveLength(1);
    expect(store.persistent).toBe(false);
  });
});

describe("loadSession", () => {
  function conversation(store: SessionStore): void {
    store.append({ type: "user", message: { role: "user", content: "list files" } });
    store.append({ type: "usage", model: "claude-test", usage: assistant([]).usage });
    store.append({
      type: "assistant",
      message: assistant([{ type: "tool_use", id: "tu_1", name: "Bash", input: { command: "ls" } }]),
    });
    store.append({
      type: "tool_results",
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "a.txt" }] },
    });
    store.append({
      type: "usage",
      model: "claude-test",
      usage: { ...assistant([]).usage, input_tokens: 250 },
    });
    store.append({ type: "assistant", message: assistant([{ type: "text", text: "There is a.txt" }]) });
    // A side request (compaction summary) counts in the totals but is not the context size.
    store.append({
      type: "usage",
      model: "claude-test",
      usage: { ...assistant([]).usage, input_tokens: 50 },
      purpose: "compaction",
    });
  }

  it("replays messages, usage totals and the last context size", () => {
    const store = newStore();
    conversation(store);
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(loaded.messages[2]!.content).toEqual([
      { type: "tool_result", tool_use_id: "tu_1", content: "a.txt" },
    ]);
    expect(loaded.usageByModel["claude-test"]).toEqual({
      input_tokens: 400,
      output_tokens: 21,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(loaded.lastInputTokens).toBe(250);
    expect(loaded.header.id).toBe(store.id);
  });

  it("drops a torn last line with a warning, and the store cuts it before appending (S1)", () => {
    const store = newStore();
    conversation(store);
    store.close();
    appendFileSync(store.path, '{"type":"user","message":{"role":"user","content":"half');
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/cut off/);
    expect(loaded.messages).toHaveLength(4);

    const resumed = SessionStore.open({
      path: store.path,
      header: loaded.header,
      validLength: loaded.validLength,
      loadedSize: loaded.size,
    });
    resumed.append({ type: "user", message: { role: "user", content: "next" } });
    const again = loadSession(store.path);
    expect(again.warnings).toEqual([]);
    expect(again.messages.at(-1)).toEqual({ role: "user", content: "next" });
  });

  it("does not cut a tail another writer completed after the load", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "one" } });
    store.close();
    const line = `${JSON.stringify({ type: "assistant", message: assistant([{ type: "text", text: "from the other claw" }]) })}\n`;
    appendFileSync(store.path, line.slice(0, 30));
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toHaveLength(1);
    appendFileSync(store.path, line.slice(30));
    const resumed = SessionStore.open({
      path: store.path,
      header: loaded.header,
      validLength: loaded.validLength,
      loadedSize: loaded.size,
    });
    resumed.append({ type: "user", message: { role: "user", content: "two" } });
    const again = loadSession(store.path);
    expect(again.warnings).toEqual([]);
    expect(JSON.stringify(again.messages)).toContain("from the other claw");
    expect(again.messages.at(-1)).toEqual({ role: "user", content: "two" });
  });

  it("keeps a last record that only lacks its newline, and appends after it", () => {
    const store = newStore();
    store.close();
    appendFileSync(
      store.path,
      JSON.stringify({ type: "user", message: { role: "user", content: "no newline" } }),
    );
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toEqual([]);
    const resumed = SessionStore.open({
      path: store.path,
      header: loaded.header,
      validLength: loaded.validLength,
      loadedSize: loaded.size,
    });
    resumed.append({ type: "assistant", message: assistant([{ type: "text", text: "ok" }]) });
    expect(loadSession(store.path).messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("repairs a tool_use that never got a result (S4)", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "run it" } });
    store.append({
      type: "assistant",
      message: assistant([
        { type: "text", text: "Running" },
        { type: "tool_use", id: "tu_9", name: "Bash", input: { command: "sleep 100" } },
      ]),
    });
    const loaded = loadSession(store.path);
    expect(loaded.warnings.join("\n")).toMatch(/marked as interrupted/);
    const last = loaded.messages.at(-1) as Message;
    expect(last.role).toBe("user");
    expect(last.content).toEqual([
      { type: "tool_result", tool_use_id: "tu_9", content: INTERRUPTED_TOOL_RESULT, is_error: true },
    ]);
    // The file is not rewritten by loading.
    expect(lines(store.path)).toHaveLength(3);
  });

  it("skips unknown record types in replay and keeps them in the file (S7)", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "hi" } });
    store.close();
    appendFileSync(store.path, `${JSON.stringify({ type: "future_thing", payload: { x: 1 } })}\n`);
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(loaded.records.some((r) => r.type === "unknown")).toBe(true);
    const resumed = SessionStore.open({
      path: store.path,
      header: loaded.header,
      validLength: loaded.validLength,
      loadedSize: loaded.size,
    });
    resumed.append({ type: "assistant", message: assistant([{ type: "text", text: "hello" }]) });
    expect(readFileSync(store.path, "utf8")).toContain('"future_thing"');
  });

  it("skips a damaged middle line with a warning and loads the rest", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "one" } });
    store.close();
    appendFileSync(store.path, "{garbage\n");
    appendFileSync(
      store.path,
      `${JSON.stringify({ type: "assistant", message: assistant([{ type: "text", text: "two" }]) })}\n`,
    );
    const loaded = loadSession(store.path);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/line 3 is damaged/);
    expect(loaded.messages).toHaveLength(2);
  });

  it("restarts the history at the latest compaction", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "old prompt" } });
    store.append({ type: "assistant", message: assistant([{ type: "text", text: "old answer" }]) });
    store.append({
      type: "compaction",
      summary: "the summary",
      messagesSummarized: 2,
      tokensBefore: 900,
      tokensAfter: 40,
      filesMentioned: [],
      messages: [{ role: "user", content: "SUMMARY" }],
    });
    store.append({ type: "assistant", message: assistant([{ type: "text", text: "after" }]) });
    const loaded = loadSession(store.path);
    expect(loaded.messages).toEqual([
      { role: "user", content: "SUMMARY" },
      { role: "assistant", content: [{ type: "text", text: "after" }] },
    ]);
    expect(loaded.lastInputTokens).toBe(40);
  });

  it("rebuilds an interrupted reply, model changes and permission mode", () => {
    const store = newStore();
    store.append({ type: "user", message: { role: "user", content: "write a poem" } });
    store.append({ type: "interrupted", partialText: "Roses are" });
    store.append({ type: "model_change", model: "claude-other" });
    store.append({ type: "permission_mode_change", mode: "read-only" });
    const loaded = loadSession(store.path);
    expect(loaded.messages[1]).toEqual({
      role: "assistant",
      content: [{ type: "text", text: "Roses are\n\n[interrupted by user]" }],
    });
    expect(loaded.model).toBe("claude-other");
    expect(loaded.permissionMode).toBe("read-only");
  });

  it("fails with one clear line for a missing file or a file without a header", () => {
    expect(() => loadSession(join(home, "nope.jsonl"))).toThrow(/No session file/);
    const bad = join(home, "bad.jsonl");
    writeFileSync(bad, '{"type":"user"}\n');
    expect(() => loadSession(bad)).toThrow(/no valid header/);
    writeFileSync(bad, '{"type":"head');
    expect(() => loadSession(bad)).toThrow(SessionError);
  });
});
