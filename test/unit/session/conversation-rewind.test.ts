// A conversation_rewind record: replay (and so `claw -c` after /rewind) continues from just before the named
// prompt, while every record stays in the file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rewindConversation } from "../../../src/session/conversation-rewind.js";
import { loadSession } from "../../../src/session/session-load.js";
import { SessionStore } from "../../../src/session/session-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const usage = {
  input_tokens: 1,
  output_tokens: 1,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};
const answer = (text: string) => ({
  type: "assistant" as const,
  message: {
    id: text,
    model: "m",
    content: [{ type: "text" as const, text }],
    stopReason: "end_turn",
    usage,
  },
});

describe("conversation_rewind", () => {
  it("replays the history before the prompt, keeps later records in the file, and a new branch continues from there", async () => {
    const home = mkdtempSync(join(tmpdir(), "claw-conv-rewind-"));
    dirs.push(home);
    const store = SessionStore.create({ configHome: home, cwd: home, model: "m", clawVersion: "v" });
    store.append({ type: "user", uuid: "p1", message: { role: "user", content: "first" } });
    store.append(answer("one"));
    store.append({ type: "user", uuid: "p2", message: { role: "user", content: "second" } });
    store.append(answer("two"));
    store.append({ type: "user", uuid: "p3", message: { role: "user", content: "third" } });
    store.append(answer("three"));

    const rewound = await rewindConversation(store, store.path, "p2");
    expect(rewound).toEqual({
      promptText: "second",
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: [{ type: "text", text: "one" }] },
      ],
    });
    store.append({ type: "user", uuid: "p4", message: { role: "user", content: "another way" } });
    store.close();

    expect(loadSession(store.path).messages).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: [{ type: "text", text: "one" }] },
      { role: "user", content: "another way" },
    ]);
    const text = readFileSync(store.path, "utf8");
    for (const kept of ["second", "third", "three"]) expect(text).toContain(kept);
    expect(await rewindConversation(store, store.path, "nope")).toEqual({
      error: "That prompt is not in this session's file.",
    });
  });
});
