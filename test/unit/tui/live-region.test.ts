import { describe, expect, it } from "vitest";
import { ReplStore } from "../../../src/tui/repl-state.js";
import { lastRows } from "../../../src/tui/turn-view.js";

describe("live region bounds", () => {
  it("keeps only the rows that fit, counting wrapped lines", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const out = lastRows(text, 80, 10).split("\n");
    expect(out).toHaveLength(10);
    expect(out[0]).toBe("… 91 lines above (shown when the block is finished)");
    expect(out.at(-1)).toBe("line 99");
    const wide = lastRows(["a", "b".repeat(200), "c"].join("\n"), 80, 5).split("\n");
    expect(wide).toEqual(["… 1 lines above (shown when the block is finished)", "b".repeat(200), "c"]);
    expect(lastRows("short", 80, 10)).toBe("short");
  });

  it("drops printed scrollback items so memory stays bounded", () => {
    const store = new ReplStore({
      model: "m",
      mode: "default",
      contextPercent: 0,
      costUsd: 0,
      sessionId: "s",
    });
    for (let i = 0; i < 1000; i++) {
      store.print(`item ${i}`);
      const state = store.getSnapshot();
      store.markPrinted(state.staticEpoch, state.staticItems.length);
    }
    const state = store.getSnapshot();
    expect(state.staticItems.length).toBeLessThanOrEqual(300);
    expect(state.staticItems.at(-1)?.text).toBe("item 999");
    expect(state.staticEpoch).toBeGreaterThan(0);
  });

  it("keeps items that were not printed yet", () => {
    const store = new ReplStore({
      model: "m",
      mode: "default",
      contextPercent: 0,
      costUsd: 0,
      sessionId: "s",
    });
    for (let i = 0; i < 400; i++) store.print(`item ${i}`);
    expect(store.getSnapshot().staticItems).toHaveLength(400);
  });
});
