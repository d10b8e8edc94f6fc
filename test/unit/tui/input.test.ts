import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as ed from "../../../src/tui/input/editor.js";
import { PromptHistory } from "../../../src/tui/input/history.js";
import { InputModel } from "../../../src/tui/input/input-model.js";
import { type KeyEvent, parseInput } from "../../../src/tui/input/keys.js";
import { completeMention, expandMentions } from "../../../src/tui/prompt-prepare.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "claw-tui-input-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function model(history = new PromptHistory(undefined), cwd = "/") {
  return new InputModel({
    history,
    commands: () => [
      { name: "help", description: "help" },
      { name: "model", description: "model", args: "[name]" },
      { name: "mcp", description: "mcp" },
    ],
    completePath: (partial) => completeMention(partial, cwd),
  });
}

function feed(input: InputModel, ...raws: string[]) {
  const actions = [];
  for (const raw of raws) for (const event of parseInput(raw)) actions.push(input.handle(event));
  return actions.filter((a) => a.type === "submit");
}

describe("parseInput", () => {
  it("tells Enter, Ctrl+J, Shift+Enter and Alt+B/F apart", () => {
    const names = (raw: string) =>
      parseInput(raw).map((e: KeyEvent) =>
        e.type === "key" ? e.name : e.type === "ctrl" ? `C-${e.letter}` : e.type === "text" ? e.text : e.type,
      );
    expect(names("\r")).toEqual(["enter"]);
    expect(names("\n")).toEqual(["newline"]);
    expect(names("\x1b[13;2u")).toEqual(["newline"]);
    expect(names("\x1bb")).toEqual(["word-left"]);
    expect(names("\x1bf")).toEqual(["word-right"]);
    expect(names("ab\rc")).toEqual(["ab", "enter", "c"]);
    expect(names("\x03")).toEqual(["C-c"]);
    expect(names("\x1b[999~")).toEqual([]);
  });
});

describe("editor", () => {
  it("supports readline kills and word moves", () => {
    let s = ed.fromText("hello big world");
    s = ed.killWordBack(s);
    expect(s.text).toBe("hello big ");
    s = ed.home(s);
    s = ed.wordRight(s);
    expect(s.cursor).toBe(5);
    s = ed.killToEnd(s);
    expect(s.text).toBe("hello");
    s = ed.killToStart(s);
    expect(s).toEqual({ text: "", cursor: 0 });
  });

  it("never splits a surrogate pair", () => {
    const s = ed.backspace(ed.fromText("a😀"));
    expect(s.text).toBe("a");
    expect(ed.left(ed.fromText("😀")).cursor).toBe(0);
  });

  it("moves between lines keeping the column", () => {
    const s = { text: "abc\ndefgh", cursor: 7 };
    expect(ed.up(s)?.cursor).toBe(3);
    expect(ed.up({ text: "abc", cursor: 1 })).toBeUndefined();
  });
});

describe("InputModel", () => {
  it("submits on Enter, keeps newlines from Ctrl+J and a trailing backslash, never submits blank text", () => {
    const input = model();
    expect(feed(input, "   ", "\r")).toEqual([]);
    input.clear();
    expect(feed(input, "one\\", "\r", "two", "\n", "three", "\r")).toEqual([
      { type: "submit", text: "one\ntwo\nthree" },
    ]);
    expect(input.text).toBe("");
  });

  it("collapses a large paste into a placeholder and sends it in full", () => {
    const input = model();
    const big = Array.from({ length: 50 }, (_, i) => `row ${i}`).join("\n");
    feed(input, "see: ");
    input.paste(big);
    expect(input.text).toBe("see: [Pasted text #1 +50 lines]");
    expect(feed(input, "\r")).toEqual([{ type: "submit", text: `see: ${big}` }]);
  });

  it("browses history with ↑/↓ and keeps the draft", () => {
    const history = new PromptHistory(undefined);
    history.add("first");
    history.add("second");
    const input = model(history);
    feed(input, "draft");
    feed(input, "\x1b[A");
    expect(input.text).toBe("second");
    feed(input, "\x1b[A");
    expect(input.text).toBe("first");
    feed(input, "\x1b[B", "\x1b[B");
    expect(input.text).toBe("draft");
  });

  it("shows the slash menu while typing and runs a command without arguments on Enter", () => {
    const input = model();
    feed(input, "/m");
    expect(input.completion?.items.map((i) => i.value)).toEqual(["/model", "/mcp"]);
    feed(input, "\x1b[B");
    expect(feed(input, "\r")).toEqual([{ type: "submit", text: "/mcp" }]);
    feed(input, "/mo", "\t");
    expect(input.text).toBe("/model ");
    input.clear();
    expect(feed(input, "/mo", "\r")).toEqual([{ type: "submit", text: "/model" }]);
  });

  it("completes @paths with Tab", () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "src"));
    writeFileSync(join(cwd, "src", "index.ts"), "export {};\n");
    const input = model(new PromptHistory(undefined), cwd);
    feed(input, "look at @sr", "\t");
    expect(input.text).toBe("look at @src/");
    feed(input, "\t");
    expect(input.text).toBe("look at @src/index.ts ");
  });
});

describe("history file", () => {
  it("is saved per project and survives a torn line", () => {
    const file = join(tempDir(), "h", "project.jsonl");
    const a = new PromptHistory(file);
    a.add("one");
    a.add("two");
    writeFileSync(file, `${readFileSync(file, "utf8")}{"text":"tor`);
    const b = new PromptHistory(file);
    expect(b.all).toEqual(["one", "two"]);
  });
});

describe("@mentions", () => {
  it("attach the file content and leave unknown mentions as typed", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "notes.md"), "alpha\nbeta\n");
    const out = await expandMentions("read @notes.md and @missing.txt", cwd);
    expect(out.content).toContain('<file path="notes.md">\nalpha\nbeta\n');
    expect(out.content).not.toContain('missing.txt">');
    expect(out.notes).toEqual(["Attached notes.md (2 lines)"]);
  });

  it("count the lines of a file without a final newline the same way", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "a.txt"), "one\ntwo\nthree");
    const out = await expandMentions("see @a.txt", cwd);
    expect(out.notes).toEqual(["Attached a.txt (3 lines)"]);
  });
});
