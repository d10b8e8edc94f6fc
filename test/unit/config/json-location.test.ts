import { describe, expect, it } from "vitest";
import { parseJsonWithLocation } from "../../../src/config/json-location.js";

describe("parseJsonWithLocation", () => {
  it("parses valid JSON, with or without a BOM", () => {
    expect(parseJsonWithLocation('{"a": [1, true, null, "x\\n"]}')).toEqual({
      ok: true,
      value: { a: [1, true, null, "x\n"] },
    });
    expect(parseJsonWithLocation('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['{"a": }', 1, 7],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['{\n  "a": [1, 2,]\n}', 2, 14],
    ["{'a': 1}", 1, 2],
    ['{"a": 1} x', 1, 10],
    ['{"a": "unterminated', 1, 20],
    ["", 1, 1],
  ])("locates the error in %j at line %i, column %i", (text, line, column) => {
    const result = parseJsonWithLocation(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.line, result.column]).toEqual([line, column]);
  });
});
