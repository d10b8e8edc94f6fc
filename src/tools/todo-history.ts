// Restores a resumed session's task list from its history without loading the TodoWrite tool (or zod):
// runtime assembly needs it before any tool is called.
import type { Message } from "../api/types.js";
import { isRecord } from "../util/is-record.js";
import type { TodoItem } from "./types.js";

const STATUSES: ReadonlySet<unknown> = new Set(["pending", "in_progress", "completed"]);

/** The task list as the last valid TodoWrite call in a history left it (a resumed session keeps its todos). */
export function todosFromHistory(messages: readonly Message[]): TodoItem[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const content = messages[i]?.content;
    if (typeof content === "string") continue;
    for (let j = (content?.length ?? 0) - 1; j >= 0; j--) {
      const block = content?.[j];
      if (block?.type !== "tool_use" || block.name !== "TodoWrite") continue;
      const todos = validTodos(block.input);
      if (todos) return todos;
    }
  }
  return [];
}

/** The same rules as TodoWrite's input schema: non-empty content and activeForm, a known status. */
function validTodos(input: unknown): TodoItem[] | undefined {
  if (!isRecord(input) || !Array.isArray(input.todos)) return undefined;
  const todos: TodoItem[] = [];
  for (const todo of input.todos) {
    if (!isRecord(todo) || !STATUSES.has(todo.status)) return undefined;
    const { content, activeForm, status } = todo;
    if (typeof content !== "string" || !content || typeof activeForm !== "string" || !activeForm)
      return undefined;
    todos.push({ content, activeForm, status: status as TodoItem["status"] });
  }
  return todos;
}
