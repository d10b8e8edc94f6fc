// The Write tool: creates or replaces a whole file atomically, keeping an existing file's mode, and only
// after the model has read the current version.
import { promises as fs } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import {
  diffStat,
  errorResult,
  existingFileProblem,
  statOrNull,
  unifiedDiff,
  writeChangedFile,
} from "./file-helpers.js";
import { decodeText } from "./text-encoding.js";
import { countLines } from "./truncate.js";
import type { PreconditionContext, ToolContext, ToolResult } from "./types.js";

const DESCRIPTION = `Write a file to the local filesystem, creating it (and any missing parent directories) or replacing it entirely.

- file_path should be an absolute path; a relative path is resolved against the workspace directory.
- To replace an existing file you must have Read it in this session, and it must not have changed since; otherwise the write is refused. Read it first.
- For changes to part of an existing file, prefer Edit: it sends only the changed text and cannot drop the rest by accident.
- content is written exactly as given (UTF-8). The write is atomic: the file is never left half-written, and an existing file keeps its permissions.
- Do not create documentation or README files unless the user asked for them.`;

const schema = z.object({
  file_path: z
    .string()
    .min(1)
    .describe("The path of the file to write (absolute, or relative to the workspace)."),
  content: z.string().describe("The complete new content of the file."),
});

export type WriteInput = z.infer<typeof schema>;

export const writeTool = defineTool({
  name: "Write",
  description: DESCRIPTION,
  kind: "write",
  schema,
  paths: (input) => [input.file_path],
  summary: (input) => `Write(${input.file_path})`,
  check: async (input, ctx) => (await existingProblem(input, ctx)) ?? undefined,
  execute: writeFile,
});

/** Why an existing file may not be overwritten (not a regular file, not read, changed since), or null. */
async function existingProblem(input: WriteInput, ctx: PreconditionContext): Promise<string | null> {
  const path = await ctx.workspace.resolve(input.file_path);
  const stat = await statOrNull(path);
  if (!stat) return null;
  return existingFileProblem(ctx.session, input.file_path, path, stat, "Write only writes regular files.");
}

async function writeFile(input: WriteInput, ctx: ToolContext): Promise<ToolResult> {
  const path = await ctx.workspace.resolve(input.file_path);
  const stat = await statOrNull(path);
  let before = "";
  let bom = false;
  if (stat) {
    const problem = await existingProblem(input, ctx);
    if (problem) return errorResult(problem);
    const decoded = decodeText(await fs.readFile(path));
    before = decoded.text;
    // A UTF-8 byte order mark is part of the file's format, not of its text: keep it.
    bom = decoded.bom && decoded.encoding === "utf8" && !input.content.startsWith("\uFEFF");
  } else {
    await fs.mkdir(dirname(path), { recursive: true });
  }
  const data = bom ? `\uFEFF${input.content}` : input.content;
  // A byte order mark is a disk detail the editor's text does not carry: such a file is written here.
  const editor = ctx.editorWrite && !bom ? { write: ctx.editorWrite, text: data } : undefined;
  await writeChangedFile(ctx.session, path, data, editor);

  const diff = unifiedDiff(path, before, input.content);
  const lines = countLines(input.content);
  const { added, removed } = diffStat(diff);
  const content = stat
    ? `Replaced the content of ${path} (${lines} line${lines === 1 ? "" : "s"}; +${added} −${removed}).`
    : `Created ${path} (${lines} line${lines === 1 ? "" : "s"}).`;
  return {
    content,
    display: stat ? `Wrote ${lines} lines (+${added} −${removed})` : `Created with ${lines} lines`,
    diff,
    details: { type: stat ? "update" : "create", filePath: path },
  };
}
