// A huge prompt coming back into the input (history, a prompt restored after an interrupt) shows as a paste
// placeholder, like when it was pasted, and is still sent in full; ordinary prompts come back as editable text.
import { describe, expect, it } from "vitest";
import { PromptHistory } from "../../../src/tui/input/history.js";
import { InputModel } from "../../../src/tui/input/input-model.js";
import { parseInput } from "../../../src/tui/input/keys.js";

function model(history = new PromptHistory(undefined)) {
  return new InputModel({ history, commands: () => [], completePath: () => [] });
}

function submit(input: InputModel): string | undefined {
  const action = input.handle(parseInput("\r")[0]!);
  return action.type === "submit" ? action.text : undefined;
}

describe("InputModel with huge recalled prompts", () => {
  it("Up brings back a 1 MB pasted prompt as a placeholder and Enter sends all of it", () => {
    const history = new PromptHistory(undefined);
    const input = model(history);
    const big = `${"x".repeat(1_000_000)}END`;
    input.paste(big);
    const sent = submit(input)!;
    expect(sent).toBe(big);
    // The REPL adds what was sent to the history.
    history.add(sent);
    input.handle(parseInput("\x1b[A")[0]!);
    expect(input.text).toMatch(/^\[Pasted text #\d+ \+1 lines\]$/);
    expect(submit(input)).toBe(big);
  });

  it("a restored huge prompt plus typed text keeps both, in order", () => {
    const input = model();
    input.paste("p".repeat(5000));
    const typed = input.text;
    input.setText(`${"r".repeat(30_000)}\n${typed}`);
    expect(input.text.length).toBeLessThan(100);
    expect(submit(input)).toBe(`${"r".repeat(30_000)}\n${"p".repeat(5000)}`);
  });

  it("a restored ordinary multi-line prompt stays editable text", () => {
    const input = model();
    const prompt = Array.from({ length: 15 }, (_, i) => `line ${i}`).join("\n");
    input.setText(prompt);
    expect(input.text).toBe(prompt);
  });
});
