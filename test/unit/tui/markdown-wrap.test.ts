// Word wrapping of rendered markdown: breaks at spaces, hanging indents for list items and quotes, styles
// carried across breaks (Ink styles each line on its own), tight nested lists without blank lines.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../src/tui/markdown/render.js";
import { fitToWidth, visibleWidth, wrapText } from "../../../src/tui/markdown/wrap.js";
import { createStyle, stripAnsi } from "../../../src/tui/style.js";

const plain = (width: number) => ({ style: createStyle(false), width });
const color = (width: number) => ({ style: createStyle(true), width });

describe("wrapText", () => {
  it("breaks at spaces and never starts a wrapped line with a space", () => {
    const text = `${"word ".repeat(23)}end`;
    const lines = wrapText(text, 20).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(visibleWidth(line)).toBeLessThanOrEqual(20);
      expect(line.startsWith(" ")).toBe(false);
    }
    expect(lines.join(" ")).toBe(text);
  });

  it("cuts a word longer than the line and keeps a line's own indent", () => {
    const lines = wrapText(`  go to ${"x".repeat(30)} now`, 12).split("\n");
    expect(lines[0]).toBe("  go to");
    expect(lines.every((l) => visibleWidth(l) <= 12)).toBe(true);
    expect(lines.join("")).toContain("x".repeat(12));
  });

  it("re-opens the styles that are open at a break on the next line", () => {
    const st = createStyle(true);
    const lines = wrapText(`plain ${st.bold("bold words that go on and on")} tail`, 16).split("\n");
    expect(lines.length).toBeGreaterThan(2);
    // Every line after the first that shows bold text starts by turning bold on again.
    expect(lines[1]?.startsWith("\x1b[1m")).toBe(true);
    expect(stripAnsi(lines.join(" "))).toBe("plain bold words that go on and on tail");
    expect(lines.at(-1)).toMatch(/\x1b\[22m tail$/);
  });

  it("leaves lines that fit alone", () => {
    expect(wrapText("short\nlines", 40)).toBe("short\nlines");
  });
});

describe("renderMarkdown wrapping", () => {
  it("wraps a paragraph at the width, breaking at spaces", () => {
    const text =
      "That's all. A final paragraph with a very long line that should wrap nicely at the terminal width.";
    const out = renderMarkdown(text, plain(40)).split("\n");
    expect(out.length).toBeGreaterThan(2);
    for (const line of out) {
      expect(line.length).toBeLessThanOrEqual(40);
      expect(line.startsWith(" ")).toBe(false);
    }
  });

  it("indents the continuation of a long list item under its text", () => {
    const out = renderMarkdown(
      "- a list item that is long enough to need a second line here\n- next",
      plain(30),
    ).split("\n");
    expect(out[0]).toMatch(/^• a list item/);
    expect(out[1]).toMatch(/^ {2}\S/);
    expect(out.at(-1)).toBe("• next");
  });

  it("keeps the quote bar on every wrapped line of a blockquote", () => {
    const out = renderMarkdown(
      "> A blockquote that is fairly long so that it wraps at narrow widths.",
      plain(30),
    ).split("\n");
    expect(out.length).toBeGreaterThan(1);
    for (const line of out) expect(line.startsWith("│ ")).toBe(true);
  });

  it("puts a tight nested list right under its item, with no blank line", () => {
    const out = renderMarkdown("1. Install\n2. Build\n   - nested one\n   - nested two\n3. Ship", plain(80));
    expect(out).toBe("1. Install\n2. Build\n   • nested one\n   • nested two\n3. Ship");
  });

  it("keeps colours on wrapped lines of styled text", () => {
    const out = renderMarkdown("**bold text that is long enough to wrap around**", color(20)).split("\n");
    expect(out.length).toBeGreaterThan(1);
    for (const line of out) expect(line.startsWith("\x1b[1m")).toBe(true);
  });
});

describe("model text with control characters", () => {
  it("drops escape sequences and control characters; CR ends a line", () => {
    const text = "Plain \x1b[31mRED\x1b[0m text \x1b]0;pwned\x07and\rCR.\x07\n\n```\ncode \x1b[2J here\n```";
    expect(renderMarkdown(text, plain(80))).toBe("Plain RED text and\nCR.\n\ncode  here");
    const colored = renderMarkdown(text, color(80));
    expect(colored).not.toContain("\x1b]");
    expect(colored).not.toContain("\x1b[31m");
    expect(colored).not.toContain("\x1b[2J");
  });
});

describe("pasted text with control characters", () => {
  it("keeps the text and drops the escape sequences", async () => {
    const { InputModel } = await import("../../../src/tui/input/input-model.js");
    const { PromptHistory } = await import("../../../src/tui/input/history.js");
    const input = new InputModel({
      history: new PromptHistory(undefined),
      commands: () => [],
      completePath: () => [],
    });
    input.paste("\x1b[32mok\x1b[0m line\r\nnext");
    expect(input.text).toBe("ok line\nnext");
  });
});

describe("widths agree with Ink's string-width", () => {
  const family = "👨‍👩‍👧‍👦";
  it("counts emoji as the terminal shows them", () => {
    expect(visibleWidth("✅ done")).toBe(7);
    expect(visibleWidth("❤️")).toBe(2);
    expect(visibleWidth(family)).toBe(2);
    expect(visibleWidth("\x1b[1m漢字\x1b[22m")).toBe(4);
  });

  it("never splits a joined emoji and keeps every wrapped line within the width", () => {
    const text = Array.from({ length: 12 }, (_, i) => `${family}${i}`).join(" ");
    const lines = wrapText(text, 10).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(10);
    expect(lines.join(" ")).toBe(text);
    const long = family.repeat(8);
    for (const line of wrapText(long, 5).split("\n")) expect(line.replaceAll(family, "")).toBe("");
  });

  it("fits labels to a column by width, not by string length", () => {
    expect(fitToWidth("✅ ok", 6)).toBe("✅ ok ");
    expect(visibleWidth(fitToWidth(`${family}${family}${family}`, 5))).toBe(5);
    expect(fitToWidth(`${family}${family}${family}`, 5)).toBe(`${family}${family}…`);
  });
});
