import { describe, expect, it } from "vitest";
import {
  countLines,
  HeadTailCollector,
  readRangeNotice,
  truncateForModel,
} from "../../../src/tools/truncate.js";

describe("truncateForModel", () => {
  it("returns short text unchanged", () => {
    const r = truncateForModel("a\nb\n", { maxBytes: 100, maxLines: 10 });
    expect(r).toMatchObject({ text: "a\nb\n", truncated: false, totalLines: 2, totalBytes: 4 });
  });

  it("keeps head and tail lines with a marker counting the omitted lines", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`);
    const r = truncateForModel(lines.join("\n"), { maxBytes: 1_000_000, maxLines: 10 });
    expect(r.truncated).toBe(true);
    const out = r.text.split("\n");
    expect(out.slice(0, 5)).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"]);
    expect(out.slice(-5)).toEqual(["line 996", "line 997", "line 998", "line 999", "line 1000"]);
    expect(r.omittedLines).toBe(990);
    expect(r.text).toContain("990 lines");
    expect(r.text).toContain("of 1000 lines in total");
  });

  it("honours headLines/tailLines", () => {
    const text = Array.from({ length: 100 }, (_, i) => `${i + 1}`).join("\n");
    const r = truncateForModel(text, { maxBytes: 10_000, maxLines: 10, headLines: 2, tailLines: 3 });
    const out = r.text.split("\n");
    expect(out.slice(0, 2)).toEqual(["1", "2"]);
    expect(out.slice(-3)).toEqual(["98", "99", "100"]);
    expect(r.omittedLines).toBe(95);
  });

  it("cuts one huge line by bytes without splitting UTF-8 characters", () => {
    const text = "é".repeat(100_000); // 200,000 bytes, one line
    const r = truncateForModel(text, { maxBytes: 1001, maxLines: 100 });
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.text)).toBeLessThan(1200);
    expect(r.text).not.toContain("\uFFFD");
    expect(r.omittedBytes).toBeGreaterThan(190_000);
  });
});

describe("HeadTailCollector", () => {
  it("keeps memory bounded over 50 MB and reports head, tail and counts", () => {
    const c = new HeadTailCollector(30_000, 30_000);
    const chunk = Buffer.from("y\n".repeat(32 * 1024));
    let max = 0;
    for (let i = 0; i < 800; i++) {
      c.push(chunk);
      max = Math.max(max, c.retainedBytes);
    }
    expect(c.totalBytes).toBe(800 * chunk.length);
    expect(max).toBeLessThanOrEqual(30_000 + 2 * 30_000 + chunk.length);
    const r = c.result({ maxBytes: 30_000, maxLines: 2000 });
    expect(r.truncated).toBe(true);
    expect(r.totalLines).toBe(800 * 32 * 1024);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(30_200);
    expect(r.text.startsWith("y\ny\n")).toBe(true);
    expect(r.text.endsWith("y\n")).toBe(true);
  });

  it("is exact for short output", () => {
    const c = new HeadTailCollector(100, 100);
    c.push(Buffer.from("hello "));
    c.push(Buffer.from("world"));
    expect(c.complete).toBe(true);
    expect(c.result({ maxBytes: 1000, maxLines: 10 }).text).toBe("hello world");
  });
});

describe("notices", () => {
  it("says how to read on", () => {
    expect(readRangeNotice({ firstLine: 1, lastLine: 2000, totalLines: 9000 })).toBe(
      "showing lines 1–2000 of 9000; use offset=2001 to continue",
    );
  });
  it("counts lines like an editor", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a")).toBe(1);
    expect(countLines("a\n")).toBe(1);
    expect(countLines("a\nb")).toBe(2);
  });
});
