// A long answer streamed in small pieces lands in the terminal's scrollback exactly as rendered: no blank line
// where the renderer cut a long paragraph or code block into parts (issue 16, bug 1). Driven through tmux.
import { describe, expect, it } from "vitest";
import { messageEvents, reply, type SseItem } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-stream-", width: 100 });

/** The reply's events with a short pause after every few, so the REPL renders many frames along the way. */
function trickled(text: string, chunkChars: number): SseItem[] {
  const events = messageEvents({
    kind: "message",
    content: [{ type: "text", text, chunks: Math.ceil(text.length / chunkChars) }],
  });
  return events.flatMap((event, i) => (i % 20 === 19 ? [event, { pauseMs: 2 }] : [event]));
}

describe("long streamed answers", () => {
  it("scrollback holds exactly the rendered answer: 2,000 text lines and a 200-line code block", async () => {
    // Paragraphs of seven lines (each rendered as it is written) and one long paragraph with no break at all.
    const prose = Array.from(
      { length: 2000 },
      (_, i) => `Line ${String(i + 1).padStart(4, "0")} of the answer, words to fill it out.`,
    );
    const paragraphs = [...prose.slice(0, 700)].reduce<string[]>((out, line, i) => {
      if (i > 0 && i % 7 === 0) out.push("");
      out.push(line);
      return out;
    }, []);
    const longParagraph = prose.slice(700);
    const code = Array.from(
      { length: 200 },
      (_, i) => `value_${String(i + 1).padStart(3, "0")} = compute(${i + 1})  # keep`,
    );
    const answer = [
      ...paragraphs,
      "",
      ...longParagraph,
      "",
      "```python",
      ...code,
      "```",
      "",
      "END-OF-ANSWER",
    ].join("\n");
    e2e.mock.enqueue(reply.sse(trickled(answer, 37)));
    e2e.start([], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("write a lot");
    await e2e.tmux.waitFor("END-OF-ANSWER", { timeoutMs: 120_000 });
    await e2e.tmux.waitFor((s) => !s.includes("esc to interrupt"));
    const lines = e2e.tmux
      .capture({ history: true })
      .split("\n")
      .map((l) => l.trimEnd());

    // The answer's first line carries the marker (⏺), its other prose lines are indented under it.
    const expectedProse = [...paragraphs, "", ...longParagraph].map((line, i) =>
      i === 0 ? `⏺ ${line}` : line === "" ? "" : `  ${line}`,
    );
    const start = lines.indexOf(expectedProse[0]!);
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + expectedProse.length)).toEqual(expectedProse);

    const codeStart = lines.indexOf(code[0]!);
    expect(codeStart).toBeGreaterThan(start);
    expect(lines.slice(codeStart, codeStart + code.length)).toEqual(code);
    // Between the prose and the code: one blank line and the language label (no fences), nothing else.
    expect(lines.slice(start + expectedProse.length, codeStart)).toEqual(["", "python"]);
    expect(lines[codeStart + code.length]).toBe("");
    expect(lines.filter((l) => l.startsWith("```"))).toEqual([]);
    expect(lines.filter((l) => l === "  END-OF-ANSWER")).toHaveLength(1);
  }, 180_000);
});
