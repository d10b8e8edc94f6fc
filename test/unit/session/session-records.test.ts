// Session records are checked in depth on resume: a damaged record is reported and left out, never trusted;
// unknown and newer fields survive.
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadSession } from "../../../src/session/session-load.js";
import { classifyRecord } from "../../../src/session/session-record-schemas.js";
import { SessionStore } from "../../../src/session/session-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("classifyRecord", () => {
  it("rejects a known record whose content blocks are malformed", () => {
    const toolUseWithoutId = {
      type: "assistant",
      message: { content: [{ type: "tool_use", name: "Read", input: {} }] },
    };
    expect(classifyRecord(toolUseWithoutId)).toBeUndefined();
    const resultWithNumber = {
      type: "tool_results",
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: 42 }] },
    };
    expect(classifyRecord(resultWithNumber)).toBeUndefined();
    expect(
      classifyRecord({ type: "usage", model: "m", usage: { input_tokens: "many", output_tokens: 1 } }),
    ).toBeUndefined();
    expect(classifyRecord({ type: "user", message: { role: "system", content: "x" } })).toBeUndefined();
  });

  it("keeps fields it does not know and passes unknown record types through", () => {
    const user = classifyRecord({ type: "user", message: { role: "user", content: "hi" }, future: 1 });
    expect(user).toMatchObject({ type: "user", future: 1 });
    expect(classifyRecord({ type: "from_the_future", x: 1 })).toEqual({
      type: "unknown",
      raw: { type: "from_the_future", x: 1 },
    });
  });
});

describe("resuming a session with a damaged record", () => {
  it("leaves the damaged record out of the conversation and reports it", () => {
    const home = mkdtempSync(join(tmpdir(), "claw-records-"));
    dirs.push(home);
    const store = SessionStore.create({ configHome: home, cwd: home, model: "m", clawVersion: "v" });
    store.append({ type: "user", message: { role: "user", content: "first" } });
    store.close();
    appendFileSync(
      store.path,
      `${JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "text", text: 7 }] } })}\n`,
    );
    const loaded = loadSession(store.path);
    expect(JSON.stringify(loaded.messages)).not.toContain('"text":7');
    expect(loaded.messages[0]).toEqual({ role: "user", content: "first" });
    expect(loaded.warnings.join("\n")).toMatch(/line 3/);
  });
});
