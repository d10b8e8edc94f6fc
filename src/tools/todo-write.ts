// The TodoWrite tool: the model's task list for this session (replaced whole on each call),
// kept in ctx.session.todos and shown by the UI.
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { errorResult } from "./file-helpers.js";
import type { TodoItem, ToolContext, ToolResult } from "./types.js";

const DESCRIPTION = `Create and update the task list for this session, so you and the user can track progress on multi-step work.

Use it when a task has three or more distinct steps, when the user gives several things to do, or when new steps turn up along the way. Skip it for a single quick change or a question.

- Each call replaces the whole list: send every task, with its current status.
- status is "pending", "in_progress" or "completed". Keep exactly one task in_progress while you work (never more than one); mark it in_progress before you start it and completed as soon as it is done — do not batch completions.
- Mark a task completed only when it is fully done (tests pass, nothing left unfinished). If you are blocked, keep it in_progress and add a task for what must be resolved.
- content says what to do, in the imperative ("Run the tests"); activeForm says it as in progress ("Running the tests") and is shown while the task runs.`;

const todoSchema = z.object({
  content: z.string().min(1).describe('The task, in the imperative: "Fix the login bug".'),
  activeForm: z.string().min(1).describe('The task in progress: "Fixing the login bug".'),
  status: z.enum(["pending", "in_progress", "completed"]),
});

const schema = z.object({
  todos: z.array(todoSchema).describe("The complete, updated task list."),
});

export type TodoWriteInput = z.infer<typeof schema>;

export const todoWriteTool = defineTool({
  name: "TodoWrite",
  description: DESCRIPTION,
  // It changes only session state, never files: allowed in every mode, like a read.
  kind: "read",
  schema,
  summary: (input) => `TodoWrite(${input.todos.length} task${input.todos.length === 1 ? "" : "s"})`,
  execute: writeTodos,
});

async function writeTodos(input: TodoWriteInput, ctx: ToolContext): Promise<ToolResult> {
  const inProgress = input.todos.filter((todo) => todo.status === "in_progress");
  if (inProgress.length > 1) {
    return errorResult(
      `Only one task may be in_progress at a time, but ${inProgress.length} are: ${inProgress
        .map((todo) => `"${todo.content}"`)
        .join(
          ", ",
        )}. Keep the one you are working on in_progress and set the others to pending or completed.`,
    );
  }
  const oldTodos = ctx.session.todos;
  const newTodos: TodoItem[] = input.todos.map(({ content, activeForm, status }) => ({
    content,
    activeForm,
    status,
  }));
  ctx.session.todos = newTodos;

  const counts = { pending: 0, in_progress: 0, completed: 0 };
  for (const todo of newTodos) counts[todo.status]++;
  const summary =
    newTodos.length === 0
      ? "The task list is now empty."
      : `Task list updated: ${newTodos.length} task${newTodos.length === 1 ? "" : "s"} (${counts.completed} completed, ${counts.in_progress} in progress, ${counts.pending} pending).`;
  const nudge =
    counts.pending > 0 && counts.in_progress === 0
      ? " Mark the next task in_progress before you start it."
      : " Keep the list current as you work.";
  return {
    content: `${summary}${newTodos.length > 0 ? nudge : ""}`,
    display: formatTodoList(newTodos),
    details: { oldTodos, newTodos },
  };
}

/** The list as the UI shows it: one line per task with a status mark. */
function formatTodoList(todos: readonly TodoItem[]): string {
  if (todos.length === 0) return "(no tasks)";
  return todos
    .map((todo) => {
      if (todo.status === "completed") return `[x] ${todo.content}`;
      if (todo.status === "in_progress") return `[~] ${todo.activeForm}`;
      return `[ ] ${todo.content}`;
    })
    .join("\n");
}
