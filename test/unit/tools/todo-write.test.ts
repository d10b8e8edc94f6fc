// TodoWrite: validation, session storage, the confirmation the model sees and the list the UI shows.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { todosFromHistory } from "../../../src/tools/todo-history.js";
import { todoWriteTool } from "../../../src/tools/todo-write.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

const todos = [
  { content: "Write the parser", activeForm: "Writing the parser", status: "completed" },
  { content: "Run the tests", activeForm: "Running the tests", status: "in_progress" },
  { content: "Update the docs", activeForm: "Updating the docs", status: "pending" },
];

describe("TodoWrite", () => {
  it("stores the list in the session and confirms briefly", async () => {
    const result = await run(todoWriteTool, { todos }, t.ctx);
    expect(result.isError).toBeFalsy();
    expect(t.ctx.session.todos).toEqual(todos);
    expect(text(result)).toBe(
      "Task list updated: 3 tasks (1 completed, 1 in progress, 1 pending). Keep the list current as you work.",
    );
    expect(result.display).toBe("[x] Write the parser\n[~] Running the tests\n[ ] Update the docs");
    expect(result.details).toEqual({ oldTodos: [], newTodos: todos });
  });

  it("replaces the whole list on each call", async () => {
    await run(todoWriteTool, { todos }, t.ctx);
    const next = [{ content: "Ship it", activeForm: "Shipping it", status: "pending" }];
    const result = await run(todoWriteTool, { todos: next }, t.ctx);
    expect(t.ctx.session.todos).toEqual(next);
    expect(text(result)).toMatch(/Mark the next task in_progress/);
    expect(result.details?.oldTodos).toEqual(todos);
    await run(todoWriteTool, { todos: [] }, t.ctx);
    expect(t.ctx.session.todos).toEqual([]);
  });

  it("refuses more than one task in progress and keeps the old list", async () => {
    await run(todoWriteTool, { todos }, t.ctx);
    const two = todos.map((todo) => ({ ...todo, status: "in_progress" }));
    const result = await run(todoWriteTool, { todos: two }, t.ctx);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Only one task may be in_progress at a time, but 3 are/);
    expect(t.ctx.session.todos).toEqual(todos);
  });

  it("rejects malformed items with a message naming the field", async () => {
    const result = await run(todoWriteTool, { todos: [{ content: "x", status: "doing" }] }, t.ctx);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/activeForm|status/);
  });
});

describe("todosFromHistory", () => {
  it("restores the list from the last valid TodoWrite call of a resumed history", () => {
    const first = [{ content: "Read the code", activeForm: "Reading the code", status: "completed" }];
    const second = [
      ...first,
      { content: "Fix the bug", activeForm: "Fixing the bug", status: "in_progress" },
    ] as const;
    const call = (id: string, input: unknown) => ({
      role: "assistant" as const,
      content: [{ type: "tool_use" as const, id, name: "TodoWrite", input }],
    });
    const history = [
      { role: "user" as const, content: "go" },
      call("a", { todos: first }),
      call("b", { todos: second }),
      call("c", { todos: "not a list" }),
      { role: "user" as const, content: "next" },
    ];
    expect(todosFromHistory(history)).toEqual(second);
    expect(todosFromHistory([{ role: "user", content: "nothing yet" }])).toEqual([]);
  });
});
