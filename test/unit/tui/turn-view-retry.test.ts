// A retried response in the REPL: the failed attempt's unfinished text is dropped, the retried answer shown once.
import { describe, expect, it, onTestFinished } from "vitest";
import { emptyUsage } from "../../../src/api/types.js";
import { makeCommandRepl, makeReplRuntime } from "../../support/repl-fixture.js";

describe("REPL retry", () => {
  it("drops the failed attempt's partial text and shows the retried answer once", async () => {
    const fixture = makeReplRuntime({
      replies: [
        {
          events: [
            { type: "message_start", id: "m1", model: "claude-test", usage: emptyUsage() },
            { type: "text_delta", index: 0, text: "HALF-WRITTEN sentence that" },
            { type: "retry", attempt: 1, delayMs: 0, reason: "the stream broke" },
            { type: "message_start", id: "m2", model: "claude-test", usage: emptyUsage() },
            { type: "text_delta", index: 0, text: "The complete answer." },
            {
              type: "message_end",
              message: {
                id: "m2",
                model: "claude-test",
                content: [{ type: "text", text: "The complete answer." }],
                stopReason: "end_turn",
                usage: emptyUsage(),
              },
            },
          ],
        },
      ],
    });
    onTestFinished(fixture.cleanup);
    const repl = makeCommandRepl(fixture);
    await repl.run("question");
    const out = repl.output();
    expect(out).not.toContain("HALF-WRITTEN");
    expect(out.split("The complete answer.").length - 1).toBe(1);
    // The retry status line is gone; one line remains saying what happened.
    expect(out).toContain("⚠ The stream broke · recovered on attempt 1");
    expect(out).not.toContain("retrying in");
  });
});
