// The NotebookEdit tool: replaces, inserts or deletes one cell of a Jupyter notebook (.ipynb), keeping
// the rest of the JSON (metadata, other cells' outputs, indentation) as it was; atomic write.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { z } from "zod";
import { writeFileAtomic } from "../util/atomic-write.js";
import { defineTool } from "./define-tool.js";
import {
  errorResult,
  missingPathMessage,
  recordRead,
  staleFileMessage,
  statOrNull,
  unifiedDiff,
} from "./file-helpers.js";
import type { PreconditionContext, ToolContext, ToolResult } from "./types.js";

const DESCRIPTION = `Change one cell of a Jupyter notebook (.ipynb file): replace its source, insert a new cell, or delete it.

- notebook_path: the notebook (absolute, or relative to the workspace). Read it first.
- cell_id: the id of the cell to change, as shown when you read the notebook. For notebooks whose cells have no ids, "cell-N" names the cell at 0-based index N.
- edit_mode "replace" (default) sets the cell's source to new_source; for a code cell its outputs and execution count are cleared. Pass cell_type to change the cell's type too.
- edit_mode "insert" adds a new cell after cell_id (at the start when cell_id is omitted); cell_type ("code" or "markdown") says which kind, default code.
- edit_mode "delete" removes the cell; new_source is ignored (pass "").
- Everything else in the notebook (metadata, the other cells and their outputs) is kept as is.`;

const schema = z.object({
  notebook_path: z.string().min(1).describe("Path of the .ipynb file to edit."),
  cell_id: z.string().optional().describe("Id of the cell to replace or delete, or to insert after."),
  new_source: z.string().describe("The new source of the cell (ignored for delete)."),
  cell_type: z
    .enum(["code", "markdown"])
    .optional()
    .describe("Cell type; default code for insert, unchanged for replace."),
  edit_mode: z
    .enum(["replace", "insert", "delete"])
    .optional()
    .describe('"replace" (default), "insert" or "delete".'),
});

export type NotebookEditInput = z.infer<typeof schema>;

export const notebookEditTool = defineTool({
  name: "NotebookEdit",
  description: DESCRIPTION,
  kind: "write",
  schema,
  paths: (input) => [input.notebook_path],
  summary: (input) => `NotebookEdit(${input.notebook_path}${input.cell_id ? `#${input.cell_id}` : ""})`,
  check: notebookProblem,
  execute: editNotebook,
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Cell = { [key: string]: Json };
type Notebook = { cells: Cell[]; [key: string]: Json };

class NotebookError extends Error {}

/** What rules the call out before anything is read in full: not a notebook, missing, not read or changed since. */
async function notebookProblem(
  input: NotebookEditInput,
  ctx: PreconditionContext,
): Promise<string | undefined> {
  if (!input.notebook_path.endsWith(".ipynb"))
    return `${input.notebook_path} is not a Jupyter notebook (.ipynb); use Edit for other files.`;
  const path = await ctx.workspace.resolve(input.notebook_path);
  const stat = await statOrNull(path);
  if (!stat) return missingPathMessage(input.notebook_path, path);
  return staleFileMessage(ctx.session, path, stat) ?? undefined;
}

async function editNotebook(input: NotebookEditInput, ctx: ToolContext): Promise<ToolResult> {
  const mode = input.edit_mode ?? "replace";
  const problem = await notebookProblem(input, ctx);
  if (problem) return errorResult(problem);
  const path = await ctx.workspace.resolve(input.notebook_path);

  const before = await fs.readFile(path, "utf8");
  let notebook: Notebook;
  try {
    notebook = parseNotebook(before);
  } catch (error) {
    return errorResult(`${input.notebook_path}: ${(error as Error).message}`);
  }
  let outcome: { message: string; cellBefore: string; cellAfter: string };
  try {
    outcome = applyEdit(notebook, { ...input, edit_mode: mode });
  } catch (error) {
    if (error instanceof NotebookError) return errorResult(error.message);
    throw error;
  }
  const after = serialize(notebook, before);
  await writeFileAtomic(path, after);
  await recordRead(ctx.session, path);
  return {
    content: `${outcome.message} in ${path}.`,
    display: outcome.message,
    diff: unifiedDiff(input.notebook_path, outcome.cellBefore, outcome.cellAfter),
    details: { notebook_path: path, edit_mode: mode, cell_id: input.cell_id ?? null },
  };
}

function parseNotebook(text: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotebookError("the file is not valid JSON, so it cannot be edited as a notebook");
  }
  if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as { cells?: unknown }).cells)) {
    throw new NotebookError('the file has no "cells" array; it is not a Jupyter notebook');
  }
  return parsed as Notebook;
}

/** Finds a cell by id, or by "cell-N" / "N" (0-based index) for notebooks without ids. */
function findCell(notebook: Notebook, cellId: string): number {
  const byId = notebook.cells.findIndex((cell) => cell.id === cellId);
  if (byId >= 0) return byId;
  const indexed = /^(?:cell-)?(\d+)$/.exec(cellId);
  if (indexed) {
    const index = Number(indexed[1]);
    if (index < notebook.cells.length) return index;
  }
  const ids = notebook.cells.map((cell, i) => (typeof cell.id === "string" ? cell.id : `cell-${i}`));
  const shown = ids.slice(0, 20).join(", ") + (ids.length > 20 ? ", …" : "");
  throw new NotebookError(
    `No cell with id "${cellId}" in the notebook. Its cells are: ${shown || "(none)"}.`,
  );
}

function sourceText(cell: Cell | undefined): string {
  const source = cell?.source;
  if (Array.isArray(source)) return source.filter((s) => typeof s === "string").join("");
  return typeof source === "string" ? source : "";
}

/** Jupyter writes source as a list of lines; keep whichever form the notebook uses. */
function toSource(text: string, asLines: boolean): Json {
  if (!asLines) return text;
  return text.split(/(?<=\n)/).filter((line) => line !== "");
}

function usesLineArrays(notebook: Notebook): boolean {
  const withSource = notebook.cells.find((cell) => cell.source !== undefined);
  return withSource ? Array.isArray(withSource.source) : true;
}

/** nbformat 4.5 added cell ids; older notebooks get none, to stay valid for their version. */
function wantsIds(notebook: Notebook): boolean {
  if (notebook.cells.some((cell) => typeof cell.id === "string")) return true;
  const major = typeof notebook.nbformat === "number" ? notebook.nbformat : 4;
  const minor = typeof notebook.nbformat_minor === "number" ? notebook.nbformat_minor : 0;
  return major > 4 || (major === 4 && minor >= 5);
}

function newCellId(notebook: Notebook): string {
  const taken = new Set(notebook.cells.map((cell) => cell.id));
  for (;;) {
    const id = randomBytes(4).toString("hex");
    if (!taken.has(id)) return id;
  }
}

/** Sets a cell's type, adding or removing the fields that only code cells have. */
function setCellType(cell: Cell, type: "code" | "markdown"): void {
  cell.cell_type = type;
  if (type === "code") {
    cell.execution_count = null;
    cell.outputs = [];
  } else {
    delete cell.execution_count;
    delete cell.outputs;
  }
}

/** nbformat writes keys sorted; a cell we create or reshape follows the file's habit. */
function keysSorted(notebook: Notebook): boolean {
  return notebook.cells.every((cell) => {
    const keys = Object.keys(cell);
    return keys.every((key, i) => i === 0 || keys[i - 1]! <= key);
  });
}

function sortKeys(cell: Cell): Cell {
  return Object.fromEntries(Object.entries(cell).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function applyEdit(
  notebook: Notebook,
  input: NotebookEditInput & { edit_mode: "replace" | "insert" | "delete" },
): { message: string; cellBefore: string; cellAfter: string } {
  const sorted = keysSorted(notebook);
  const tidy = (cell: Cell) => (sorted ? sortKeys(cell) : cell);
  const asLines = usesLineArrays(notebook);
  if (input.edit_mode === "insert") {
    const at = input.cell_id === undefined ? 0 : findCell(notebook, input.cell_id) + 1;
    const type = input.cell_type ?? "code";
    const cell: Cell = { cell_type: type };
    if (wantsIds(notebook)) cell.id = newCellId(notebook);
    cell.metadata = {};
    if (type === "code") {
      cell.execution_count = null;
      cell.outputs = [];
    }
    cell.source = toSource(input.new_source, asLines);
    notebook.cells.splice(at, 0, tidy(cell));
    const name = typeof cell.id === "string" ? cell.id : `cell-${at}`;
    return {
      message: `Inserted ${type} cell ${name} at position ${at}`,
      cellBefore: "",
      cellAfter: input.new_source,
    };
  }
  if (input.cell_id === undefined) {
    throw new NotebookError(
      `cell_id is required for edit_mode "${input.edit_mode}": name the cell to change.`,
    );
  }
  const index = findCell(notebook, input.cell_id);
  const cell = notebook.cells[index]!;
  const before = sourceText(cell);
  if (input.edit_mode === "delete") {
    notebook.cells.splice(index, 1);
    return { message: `Deleted cell ${input.cell_id}`, cellBefore: before, cellAfter: "" };
  }
  const type =
    input.cell_type ??
    (cell.cell_type === "markdown" ? "markdown" : cell.cell_type === "code" ? "code" : undefined);
  if (type && type !== cell.cell_type) setCellType(cell, type);
  else if (cell.cell_type === "code") {
    // The old outputs describe code that no longer exists.
    cell.execution_count = null;
    cell.outputs = [];
  }
  cell.source = toSource(
    input.new_source,
    Array.isArray(cell.source) || (cell.source === undefined && asLines),
  );
  notebook.cells[index] = tidy(cell);
  return { message: `Replaced cell ${input.cell_id}`, cellBefore: before, cellAfter: input.new_source };
}

/** Writes JSON in the original file's style: its indentation, line endings and final newline. */
function serialize(notebook: Notebook, original: string): string {
  const indentMatch = /^\{\r?\n([ \t]+)"/.exec(original);
  const indent = indentMatch ? indentMatch[1]! : original.trimStart().startsWith("{\n") ? 1 : 0;
  let text = JSON.stringify(notebook, null, indent);
  // Python's json.dump (what Jupyter uses) writes non-ASCII as is; keep \u escapes if the file used them.
  if (/\\u[0-9a-fA-F]{4}/.test(original) && !/[^\x00-\x7f]/.test(original)) {
    text = text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  if (original.includes("\r\n")) text = text.replace(/\n/g, "\r\n");
  const finalNewline = /\r?\n$/.exec(original)?.[0] ?? "";
  return text + finalNewline;
}
