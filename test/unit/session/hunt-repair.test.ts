// Resume after a whitespace-only assistant reply: the replayed history must be one the Messages API accepts.
import { describe, expect, it } from "vitest";
import type { Message } from "../../../src/api/types.js";
import { repairHistory } from "../../../src/session/history-repair.js";

describe("repairHistory and whitespace-only assistant text", () => {
  it("drops a whitespace-only text block and an assistant message left empty by that", () => {
    const out = repairHistory([
      { role: "user", content: "one" },
      { role: "assistant", content: [{ type: "text", text: "\n\n" }] },
      { role: "user", content: "two" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "  " },
          { type: "tool_use", id: "t1", name: "Read", input: {} },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
    ]);
    const expected: Message[] = [
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
    ];
    expect(out.messages).toEqual(expected);
  });
});
