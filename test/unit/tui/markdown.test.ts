import { beforeAll, describe, expect, it } from "vitest";
import { loadHighlighter } from "../../../src/tui/markdown/highlight.js";
import { renderFinishedBlock, renderMarkdown, visibleWidth } from "../../../src/tui/markdown/render.js";
import { MarkdownStream } from "../../../src/tui/markdown/stream.js";
import { createStyle, stripAnsi } from "../../../src/tui/style.js";

const plain = { style: createStyle(false), width: 80 };
const color = { style: createStyle(true), width: 80 };

beforeAll(async () => {
  await loadHighlighter();
});

describe("renderMarkdown", () => {
  it("renders headings, lists, emphasis, code spans and links without colours", () => {
    const out = renderMarkdown(
      "# Title\n\n- **bold** and *it*\n- `code`\n\n1. one\n2. [site](http://x.test)",
      plain,
    );
    expect(out).toBe("# Title\n\n• bold and it\n• `code`\n\n1. one\n2. site (http://x.test)");
    expect(out).not.toContain("\x1b[");
  });

  it("colours fenced code with highlight.js when colours are on", () => {
    const out = renderMarkdown("```ts\nconst x = 1;\n```", color);
    expect(out).toContain("\x1b[35mconst\x1b[39m");
    expect(stripAnsi(out)).toBe("ts\nconst x = 1;");
  });

  it("leaves unknown languages plain and never emits colours under NO_COLOR", () => {
    expect(renderMarkdown("```nosuchlang\na < b\n```", color)).toContain("a < b");
    // No fences around the code (what is copied is the code alone): the language is named above it.
    expect(renderMarkdown("```ts\nconst x = 1;\n```", plain)).toBe("ts\nconst x = 1;");
    expect(renderMarkdown("```\nplain block\n```", plain)).toBe("plain block");
  });

  it("draws tables with aligned columns and falls back to rows when too wide", () => {
    const table = "| name | n |\n|---|--:|\n| alpha | 1 |\n| b | 22 |";
    const out = renderMarkdown(table, plain).split("\n");
    expect(out[0]).toBe("┌───────┬────┐");
    expect(out[1]).toBe("│ name  │  n │");
    expect(out[3]).toBe("│ alpha │  1 │");
    expect(out[4]).toBe("│ b     │ 22 │");
    const narrow = renderMarkdown(table, { ...plain, width: 12 });
    expect(narrow).toContain("name: alpha");
  });

  it("wraps the cells of a table wider than the terminal, cutting no word that fits a column", () => {
    const table =
      "| key | meaning |\n|---|---|\n| alpha | the first letter of the greek alphabet |\n| b | two |";
    const out = renderMarkdown(table, { ...plain, width: 30 }).split("\n");
    expect(out.every((line) => line.length === 30)).toBe(true);
    expect(out).toContain("│ alpha │ the first letter   │");
    expect(out).toContain("│       │ of the greek       │");
    expect(out).toContain("│       │ alphabet           │");
    // A rule between rows once a row takes several lines.
    expect(out.filter((line) => line.startsWith("├"))).toHaveLength(2);
    expect(renderMarkdown("| a | b |\n|---|---|", plain).split("\n")).toHaveLength(4);
  });

  it("decodes entities and renders quotes and rules", () => {
    expect(renderMarkdown("a &amp; b &lt;c&gt;", plain)).toBe("a & b <c>");
    expect(renderMarkdown("> quoted", plain)).toBe("│ quoted");
    expect(renderMarkdown("---", { ...plain, width: 5 })).toBe("─────");
  });

  it("measures wide characters as two columns", () => {
    expect(visibleWidth("\x1b[1mab\x1b[22m")).toBe(2);
    expect(visibleWidth("日本")).toBe(4);
  });
});

describe("MarkdownStream", () => {
  it("freezes blocks at blank lines and keeps the block being written live", () => {
    const s = new MarkdownStream();
    expect(s.push("# Hea")).toEqual([]);
    expect(s.push("ding\n\nPara")).toEqual([{ text: "# Heading" }]);
    expect(s.tail).toBe("Para");
    expect(s.push("graph\n")).toEqual([]);
    expect(s.finish()).toEqual([{ text: "Paragraph" }]);
  });

  it("keeps blank lines inside fenced code and closes the block at the fence", () => {
    const s = new MarkdownStream();
    const out = [...s.push("intro\n```py\nx = 1\n\ny = 2\n"), ...s.push("```\nafter")];
    expect(out).toEqual([{ text: "intro" }, { text: "```py\nx = 1\n\ny = 2\n```" }]);
    expect(s.finish()).toEqual([{ text: "after" }]);
  });

  it("gives the same text whatever the chunking, and cuts huge blocks into pieces", () => {
    const text = `${"word ".repeat(3000)}\n\n\`\`\`js\n${"let a = 1;\n".repeat(1000)}\`\`\`\ndone`;
    const whole = new MarkdownStream();
    const a = [...whole.push(text), ...whole.finish()];
    const chunked = new MarkdownStream();
    const b: ReturnType<MarkdownStream["push"]> = [];
    for (let i = 0; i < text.length; i += 7) b.push(...chunked.push(text.slice(i, i + 7)));
    b.push(...chunked.finish());
    const rendered = (blocks: typeof a) => blocks.map((x) => renderFinishedBlock(x, plain)).join("\n");
    expect(rendered(b)).toBe(rendered(a));
    expect(b.filter((x) => x.code).length).toBeGreaterThan(1);
    expect(rendered(b).match(/let a = 1;/g)?.length).toBe(1000);
    expect(rendered(b).startsWith("word")).toBe(true);
    expect(rendered(b).endsWith("done")).toBe(true);
  });

  it("marks every piece after a cut as continuing its block, and the next block as new", () => {
    const s = new MarkdownStream();
    const lines = Array.from({ length: 300 }, (_, i) => `code line ${i}`).join("\n");
    const text = `\`\`\`ts\n${lines}\n\`\`\`\n\nnext paragraph\n\n`;
    const out: ReturnType<MarkdownStream["push"]> = [];
    for (let i = 0; i < text.length; i += 50) out.push(...s.push(text.slice(i, i + 50)));
    out.push(...s.finish());
    const code = out.filter((b) => b.code);
    expect(code.length).toBeGreaterThan(1);
    expect(code[0]!.continues).toBeUndefined();
    expect(code.slice(1).every((b) => b.continues)).toBe(true);
    expect(out.at(-1)).toEqual({ text: "next paragraph" });
  });
});
