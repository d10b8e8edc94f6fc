// Issue 11 class 9: a tool input nested too deeply to serialise is refused (an input error), whether it came
// streamed (as JSON text) or in a non-streaming JSON reply (as a parsed value), and never throws.
import { describe, expect, it } from "vitest";
import { eventsFromJsonMessage, MessageAssembler } from "../../../src/api/message-assembler.js";
import type { ProviderEvent } from "../../../src/api/types.js";

function deepValue(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

function assemble(message: Record<string, unknown>): ProviderEvent[] {
  const assembler = new MessageAssembler("m");
  const events: ProviderEvent[] = [];
  const emit = (event: ProviderEvent) => events.push(event);
  for (const event of eventsFromJsonMessage(message)) assembler.feed(event, emit);
  assembler.finish(emit);
  return events;
}

describe("deep tool inputs", () => {
  it.each([300, 20_000, 100_000])("a non-streaming tool input %i levels deep is refused", (levels) => {
    const events = assemble({
      id: "msg_1",
      role: "assistant",
      content: [
        { type: "tool_use", id: "t1", name: "Read", input: { file_path: "x", extra: deepValue(levels) } },
        { type: "tool_use", id: "t2", name: "Read", input: { file_path: "y" } },
      ],
    });
    const ends = events.filter((e) => e.type === "tool_use_end");
    expect(ends[0]).toMatchObject({
      id: "t1",
      input: {},
      inputError: expect.stringMatching(/nests more than 256/),
    });
    expect(ends[1]).toMatchObject({ id: "t2", input: { file_path: "y" } });
    expect(ends[1]).not.toHaveProperty("inputError");
  });

  it("a string holding brackets does not count as nesting", () => {
    const events = assemble({
      id: "msg_1",
      role: "assistant",
      content: [{ type: "tool_use", id: "t1", name: "Write", input: { content: "[{".repeat(5000) } }],
    });
    const end = events.find((e) => e.type === "tool_use_end");
    expect(end).not.toHaveProperty("inputError");
  });
});
