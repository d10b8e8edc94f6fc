// The prompt echo stays cheap to render: a huge pasted line is clipped on screen (the model still gets it all).
import { describe, expect, it } from "vitest";
import { formatUserPrompt } from "../../../src/tui/format.js";
import { createStyle } from "../../../src/tui/style.js";

const style = createStyle(false);

describe("formatUserPrompt with long lines", () => {
  it("clips a line longer than 2000 characters and says how much is hidden", () => {
    const out = formatUserPrompt(`${"a".repeat(1_000_000)}\nshort`, style);
    const [first, second] = out.split("\n");
    expect(first).toBe(`> ${"a".repeat(2000)}… (+998000 characters)`);
    expect(second).toBe("  short");
  });

  it("leaves ordinary lines alone", () => {
    expect(formatUserPrompt("fix the build\nplease", style)).toBe("> fix the build\n  please");
  });
});
