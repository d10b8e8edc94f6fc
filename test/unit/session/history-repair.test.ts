// repairHistory: every tool_use answered, orphan results dropped, roles alternating.
import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/api/types.js";
import { INTERRUPTED_TOOL_RESULT, repairHistory } from "../../../src/session/history-repair.js";

const use = (id: string) => ({ type: "tool_use" as const, id, name: "Read", input: { file_path: "a" } });
const result = (id: string) => ({ type: "tool_result" as const, tool_use_id: id, content: "ok" });
const interrupted = (id: string) => ({
  type: "tool_result" as const,
  tool_use_id: id,
  content: INTERRUPTED_TOOL_RESULT,
  is_error: true,
});

describe("repairHistory", () => {
  it("leaves a valid history unchanged", () => {
    const history: Message[] = [
      { role: "user", content: "go" },
      { role: "assistant", content: [use("a")] },
      { role: "user", content: [result("a")] },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
    ];
    const out = repairHistory(history);
    expect(out.messages).toEqual(history);
    expect(out.addedResults + out.droppedResults + out.otherFixes).toBe(0);
  });

  it("adds missing results to the next user message, results first", () => {
    const out = repairHistory([
      { role: "user", content: "go" },
      { role: "assistant", content: [use("a"), use("b")] },
      { role: "user", content: [{ type: "text", text: "also this" }, result("a")] },
    ]);
    expect(out.messages[2]!.content).toEqual([
      result("a"),
      interrupted("b"),
      { type: "text", text: "also this" },
    ]);
    expect(out.addedResults).toBe(1);
  });

  it("inserts a result message when an assistant or a prompt follows a tool call", () => {
    const out = repairHistory([
      { role: "user", content: "go" },
      { role: "assistant", content: [use("a")] },
      { role: "assistant", content: [{ type: "text", text: "hm" }] },
    ]);
    expect(out.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(out.messages[2]!.content).toEqual([interrupted("a")]);
  });

  it("drops orphan results, empty and leading assistant messages, merges same-role runs", () => {
    const out = repairHistory([
      { role: "assistant", content: [{ type: "text", text: "stray" }] },
      { role: "user", content: "one" },
      { role: "user", content: [result("zz")] },
      { role: "assistant", content: [] },
      { role: "user", content: "two" },
    ]);
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
    ]);
    expect(out.droppedResults).toBe(1);
  });
});
