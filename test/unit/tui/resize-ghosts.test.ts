// The arithmetic behind erasing a frame the terminal rewrapped when the window narrowed.
import { describe, expect, it } from "vitest";
import { extraRowsErase, reflowedRows } from "../../../src/tui/resize-ghosts.js";

const box = (width: number) => [
  "",
  `╭${"─".repeat(width - 2)}╮`,
  `│ >${" ".repeat(width - 4)}│`,
  `╰${"─".repeat(width - 2)}╯`,
];

describe("reflowedRows", () => {
  it("counts each line as the rows it takes at the new width (an empty line still takes one)", () => {
    expect(reflowedRows(box(100).join("\n"), 100)).toBe(4);
    expect(reflowedRows(box(100).join("\n"), 50)).toBe(7);
    expect(reflowedRows(box(100).join("\n"), 40)).toBe(10);
  });

  it("measures what is visible: colour codes take no room, wide characters take two columns", () => {
    expect(reflowedRows(`\x1b[1m${"x".repeat(10)}\x1b[0m`, 10)).toBe(1);
    expect(reflowedRows("漢".repeat(10), 10)).toBe(2);
  });
});

describe("extraRowsErase", () => {
  it("is empty when nothing was rewrapped", () => {
    expect(extraRowsErase(box(60).join("\n"), 80)).toBe("");
  });

  it("erases the cursor's row and one row more for each row rewrapping added", () => {
    // 4 lines at 100 columns take 7 rows at 50: 3 extra rows, so 4 erased rows and 3 moves up.
    const erase = extraRowsErase(box(100).join("\n"), 50);
    expect(erase.match(/\x1b\[2K/g)).toHaveLength(4);
    expect(erase.match(/\x1b\[1A/g)).toHaveLength(3);
    expect(erase.endsWith("\x1b[G")).toBe(true);
  });
});
