// A prompt the REPL took back (no answer came; it went back to the input) leaves the replayed history.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadSession } from "../../../src/session/session-load.js";
import { SessionStore } from "../../../src/session/session-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("prompt_withdrawn", () => {
  it("replays the history as it was before the withdrawn prompt, so a resend is not doubled", () => {
    const home = mkdtempSync(join(tmpdir(), "claw-withdrawn-"));
    dirs.push(home);
    const store = SessionStore.create({ configHome: home, cwd: home, model: "m", clawVersion: "v" });
    const usage = {
      input_tokens: 1,
      output_tokens: 1,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    store.append({ type: "user", message: { role: "user", content: "first" } });
    store.append({
      type: "assistant",
      message: {
        id: "a",
        model: "m",
        content: [{ type: "text", text: "answer" }],
        stopReason: "end_turn",
        usage,
      },
    });
    store.append({ type: "user", message: { role: "user", content: "failed attempt" } });
    store.append({ type: "prompt_withdrawn" });
    store.append({ type: "user", message: { role: "user", content: "second" } });
    store.close();

    const loaded = loadSession(store.path);
    expect(loaded.messages).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: [{ type: "text", text: "answer" }] },
      { role: "user", content: "second" },
    ]);
  });
});
