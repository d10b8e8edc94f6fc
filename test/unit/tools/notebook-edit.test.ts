// NotebookEdit on real .ipynb files: replace, insert, delete, keeping the rest of the JSON and its style.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notebookEditTool } from "../../../src/tools/notebook-edit.js";
import { readTool } from "../../../src/tools/read.js";
import { run, type TempWorkspace, tempWorkspace, text } from "./tool-context.js";

let t: TempWorkspace;
let path = "";

const notebook = {
  cells: [
    {
      cell_type: "markdown",
      id: "intro",
      metadata: { tags: ["title"] },
      source: ["# Analysis\n", "Some notes"],
    },
    {
      cell_type: "code",
      execution_count: 3,
      id: "load",
      metadata: { scrolled: true },
      outputs: [{ name: "stdout", output_type: "stream", text: ["loaded\n"] }],
      source: ["import pandas as pd\n", "df = pd.read_csv('x.csv')"],
    },
    {
      cell_type: "code",
      execution_count: 4,
      id: "plot",
      metadata: {},
      outputs: [{ data: { "text/plain": ["<Figure>"] }, metadata: {}, output_type: "display_data" }],
      source: ["df.plot()"],
    },
  ],
  metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
  nbformat: 4,
  nbformat_minor: 5,
};

function writeNotebook(nb: unknown, indent: number | string = 1): void {
  writeFileSync(path, `${JSON.stringify(nb, null, indent)}\n`);
}

function load(): typeof notebook {
  return JSON.parse(readFileSync(path, "utf8"));
}

beforeEach(async () => {
  t = tempWorkspace();
  path = join(t.dir, "analysis.ipynb");
  writeNotebook(notebook);
  await run(readTool, { file_path: path }, t.ctx);
});
afterEach(() => t.cleanup());

describe("NotebookEdit", () => {
  it("replaces a code cell's source and clears its outputs, keeping everything else byte for byte", async () => {
    const result = await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "load", new_source: "df = 1\nprint(df)" },
      t.ctx,
    );
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe(`Replaced cell load in ${path}.`);
    const expected = structuredClone(notebook);
    Object.assign(expected.cells[1]!, {
      execution_count: null,
      outputs: [],
      source: ["df = 1\n", "print(df)"],
    });
    expect(readFileSync(path, "utf8")).toBe(`${JSON.stringify(expected, null, 1)}\n`);
    expect(result.diff).toContain("+print(df)");
  });

  it("changes a cell's type on replace", async () => {
    await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "plot", new_source: "## Plot", cell_type: "markdown" },
      t.ctx,
    );
    const cell = load().cells[2] as Record<string, unknown>;
    expect(cell).toEqual({ cell_type: "markdown", id: "plot", metadata: {}, source: ["## Plot"] });
  });

  it("inserts after a cell, or at the start, with a fresh id", async () => {
    await run(
      notebookEditTool,
      {
        notebook_path: path,
        cell_id: "load",
        new_source: "df.head()",
        edit_mode: "insert",
        cell_type: "code",
      },
      t.ctx,
    );
    await run(
      notebookEditTool,
      { notebook_path: path, new_source: "Top", edit_mode: "insert", cell_type: "markdown" },
      t.ctx,
    );
    const cells = load().cells as Array<Record<string, unknown>>;
    expect(cells.map((c) => c.id).slice(1)).toEqual(["intro", "load", cells[3]!.id, "plot"]);
    expect(cells[3]).toMatchObject({
      cell_type: "code",
      execution_count: null,
      outputs: [],
      source: ["df.head()"],
      metadata: {},
    });
    expect(cells[3]!.id).toMatch(/^[0-9a-f]{8}$/);
    // nbformat's sorted key order, like every other cell in the file.
    expect(Object.keys(cells[3]!)).toEqual([
      "cell_type",
      "execution_count",
      "id",
      "metadata",
      "outputs",
      "source",
    ]);
    expect(cells[0]).toMatchObject({ cell_type: "markdown", source: ["Top"] });
    expect(cells[0]).not.toHaveProperty("outputs");
    expect(cells[2]).toEqual(notebook.cells[1]);
  });

  it("deletes a cell and leaves the others untouched", async () => {
    const result = await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "load", new_source: "", edit_mode: "delete" },
      t.ctx,
    );
    expect(text(result)).toMatch(/Deleted cell load/);
    const nb = load();
    expect(nb.cells).toEqual([notebook.cells[0], notebook.cells[2]]);
    expect(nb.metadata).toEqual(notebook.metadata);
  });

  it("keeps a different indentation and string sources; addresses cells without ids by index", async () => {
    const old = structuredClone(notebook) as {
      cells: Array<Record<string, unknown>>;
      nbformat_minor: number;
    };
    old.nbformat_minor = 2;
    for (const cell of old.cells) {
      delete cell.id;
      cell.source = (cell.source as string[]).join("");
    }
    writeNotebook(old, 2);
    await run(readTool, { file_path: path }, t.ctx);
    await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "cell-2", new_source: "df.plot(kind='bar')" },
      t.ctx,
    );
    await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "0", new_source: "x = 1", edit_mode: "insert" },
      t.ctx,
    );
    const raw = readFileSync(path, "utf8");
    expect(raw.startsWith('{\n  "cells": [')).toBe(true);
    const cells = JSON.parse(raw).cells as Array<Record<string, unknown>>;
    expect(cells[3]!.source).toBe("df.plot(kind='bar')");
    expect(cells[1]).toEqual({
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source: "x = 1",
    });
    expect(Object.keys(cells[1]!)).toEqual(["cell_type", "execution_count", "metadata", "outputs", "source"]);
  });

  it("explains what went wrong", async () => {
    const unknown = await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "nope", new_source: "x" },
      t.ctx,
    );
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/No cell with id "nope".*intro, load, plot/);
    const noId = await run(
      notebookEditTool,
      { notebook_path: path, new_source: "x", edit_mode: "delete" },
      t.ctx,
    );
    expect(text(noId)).toMatch(/cell_id is required/);
    const notNb = await run(notebookEditTool, { notebook_path: join(t.dir, "a.py"), new_source: "x" }, t.ctx);
    expect(text(notNb)).toMatch(/not a Jupyter notebook/);

    const unread = join(t.dir, "other.ipynb");
    writeFileSync(unread, JSON.stringify(notebook));
    const notRead = await run(
      notebookEditTool,
      { notebook_path: unread, cell_id: "load", new_source: "x" },
      t.ctx,
    );
    expect(text(notRead)).toMatch(/has not been read/);

    writeFileSync(path, "{ broken");
    await run(readTool, { file_path: path }, t.ctx);
    const broken = await run(
      notebookEditTool,
      { notebook_path: path, cell_id: "load", new_source: "x" },
      t.ctx,
    );
    expect(text(broken)).toMatch(/not valid JSON/);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });
});
