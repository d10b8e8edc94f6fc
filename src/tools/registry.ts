// The built-in tools, in the order they are offered to the model.
import { bashOutputTool, killShellTool } from "./background-shells.js";
import { bashTool } from "./bash.js";
import { editTool } from "./edit.js";
import { globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { notebookEditTool } from "./notebook-edit.js";
import { readTool } from "./read.js";
import { todoWriteTool } from "./todo-write.js";
import type { Tool } from "./types.js";
import { webFetchTool } from "./web-fetch.js";
import { webSearchTool } from "./web-search.js";
import { writeTool } from "./write.js";

/** Every built-in tool. MCP tools are added by the agent after their servers connect. */
export function builtinTools(): Tool[] {
  return [
    bashTool,
    bashOutputTool,
    killShellTool,
    readTool,
    writeTool,
    editTool,
    // Search, web and notebook tools (Glob, Grep, WebFetch, WebSearch, TodoWrite, NotebookEdit) are listed below.
    ...searchAndOtherTools(),
  ] as Tool[];
}

/** Glob, Grep, WebFetch, WebSearch, TodoWrite, NotebookEdit: filled in by their own modules. */
function searchAndOtherTools(): Tool[] {
  return [globTool, grepTool, webFetchTool, webSearchTool, todoWriteTool, notebookEditTool] as Tool[];
}
