// Per-session state shared by the built-in tools (which files the model has read, its todo list).
import type { ToolSessionState } from "./types.js";

export function createToolSessionState(): ToolSessionState {
  return { readFiles: new Map(), todos: [] };
}
