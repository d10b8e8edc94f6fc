// The HTML export's structure, from a real session file: one section per typed prompt, markdown rendered
// with highlighted code, each tool call a <details> with its input and result, edits as coloured diffs, a
// per-turn SVG chart, and nothing that would reach the network or run script.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessionHtml } from "../../../src/session/export/html-export.js";
import { sessionTurns } from "../../../src/session/export/session-turns.js";
import { loadSession } from "../../../src/session/session-load.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "claw-html-export-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const usage = (input: number, output: number, cacheRead = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_input_tokens: cacheRead,
  cache_creation_input_tokens: 0,
});

function writeSession(records: unknown[]): string {
  const path = join(dir, "s1.jsonl");
  const header = {
    type: "header",
    version: 1,
    id: "s1",
    cwd: "/work/project",
    model: "claude-sonnet-4-5",
    created: "2026-12-05T08:00:00.000Z",
    clawVersion: "0.1.0",
  };
  writeFileSync(path, `${[header, ...records].map((r) => JSON.stringify(r)).join("\n")}\n`);
  return path;
}

const SESSION = [
  { type: "user", uuid: "u1", message: { role: "user", content: "Rename the greeting <b>now</b>" } },
  {
    type: "assistant",
    message: {
      model: "claude-sonnet-4-5",
      content: [
        { type: "thinking", thinking: "The greeting lives in greet.ts.", signature: "sig" },
        { type: "text", text: "I'll edit it." },
        {
          type: "tool_use",
          id: "t1",
          name: "Edit",
          input: { file_path: "/work/project/greet.ts", old_string: "hello", new_string: "goodbye" },
        },
      ],
    },
  },
  { type: "usage", model: "claude-sonnet-4-5", usage: usage(1000, 50, 200) },
  {
    type: "tool_results",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "t1", content: "Edited greet.ts" }],
    },
    displays: { t1: "Updated greet.ts" },
  },
  {
    type: "assistant",
    message: {
      model: "claude-sonnet-4-5",
      content: [
        {
          type: "text",
          text: "Done. Now:\n\n```ts\nconst x = 'goodbye';\n```\n\n<script>alert(1)</script>\n\nSee ![logo](https://example.com/logo.png)",
        },
      ],
    },
  },
  { type: "usage", model: "claude-sonnet-4-5", usage: usage(1300, 80, 1000) },
  { type: "user", uuid: "u2", message: { role: "user", content: "Thanks" } },
  {
    type: "assistant",
    message: { model: "claude-sonnet-4-5", content: [{ type: "text", text: "You're **welcome**." }] },
  },
  { type: "usage", model: "claude-sonnet-4-5", usage: usage(1500, 10, 2000) },
];

describe("the HTML export", () => {
  it("turns a session into turns with their usage and cost", () => {
    const session = sessionTurns(loadSession(writeSession(SESSION)));
    expect(session.turns.map((t) => t.prompt)).toEqual(["Rename the greeting <b>now</b>", "Thanks"]);
    expect(session.turns[0]!.usage).toEqual({
      input_tokens: 2300,
      output_tokens: 130,
      cache_read_input_tokens: 1200,
      cache_creation_input_tokens: 0,
    });
    expect(session.turns[0]!.costUsd).toBeGreaterThan(0);
    const tool = session.turns[0]!.items.find((i) => i.kind === "tool");
    expect(tool).toMatchObject({
      call: { name: "Edit", result: { text: "Edited greet.ts", isError: false } },
    });
  });

  it("writes one self-contained page: turns, collapsible tool calls, a diff, highlighted code and the chart", () => {
    const html = sessionHtml(sessionTurns(loadSession(writeSession(SESSION))));
    expect(html.match(/<section class="turn"/g)).toHaveLength(2);
    // The prompt's markup and the answer's raw HTML are text, never markup.
    expect(html).toContain("Rename the greeting &lt;b&gt;now&lt;/b&gt;");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // No request at view time: no external stylesheet, script, image or font; a CSP that forbids them.
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("[image: logo]");
    // The tool call: collapsible, with the summary line, the input and the result.
    const details = /<details class="tool tool-ok" open data-tool="Edit">([\s\S]*?)<\/details>/.exec(
      html,
    )?.[1];
    expect(details).toContain("Edit(greet.ts)");
    expect(details).toContain("Updated greet.ts");
    expect(details).toContain("Edited greet.ts");
    expect(details).toMatch(/<span class="d-del">-hello<\/span>/);
    expect(details).toMatch(/<span class="d-add">\+goodbye<\/span>/);
    // Code highlighted by highlight.js; markdown rendered.
    expect(html).toMatch(/<code class="hljs"><span class="hljs-keyword">const<\/span>/);
    expect(html).toContain("<strong>welcome</strong>");
    // The model's thinking, folded away.
    expect(html).toContain(
      '<details class="thinking"><summary>Thinking</summary><p>The greeting lives in greet.ts.</p>',
    );
    // The chart: one bar per turn, stacked segments, cost labels.
    const svg = /<svg id="usage-chart"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(svg.match(/<g class="bar"/g)).toHaveLength(2);
    expect(svg).toContain('class="seg seg-output_tokens"');
    expect(svg).toContain('class="seg seg-cache_read_input_tokens"');
    expect(svg).toMatch(/class="cost"[^>]*>\$\d/);
  });
});
