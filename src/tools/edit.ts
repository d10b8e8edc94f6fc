// The Edit tool: exact string replacement in a file the model has read, written back atomically in the
// file's own encoding, BOM and line endings, so every byte outside the edited span stays as it was.
import { promises as fs } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../util/atomic-write.js";
import { defineTool } from "./define-tool.js";
import { applyEdit, snippetAround } from "./edit-match.js";
import {
  diffStat,
  errorResult,
  existingFileProblem,
  missingPathMessage,
  recordRead,
  statOrNull,
  unifiedDiff,
  writeChangedFile,
} from "./file-helpers.js";
import { decodeText, encodeText, sniffContent, UnrepresentableTextError } from "./text-encoding.js";
import { countLines } from "./truncate.js";
import type { PreconditionContext, ToolContext, ToolResult } from "./types.js";

const DESCRIPTION = `Replace exact text in a file.

- You must Read the file in this session before editing it, and it must not have changed since; otherwise the edit is refused and you should Read it again.
- old_string must match the file exactly, character for character, including indentation and blank lines. When copying from Read output, leave out the line-number prefix (the number and the tab after it) — what follows the tab is the line's content.
- The edit fails if old_string is not found, or if it occurs more than once: then add a few surrounding lines to make it unique, or set replace_all: true to change every occurrence (handy for renaming a variable).
- old_string and new_string must differ.
- The file keeps its encoding, byte order mark and line endings (CRLF files can be edited with plain \\n strings).
- To create a new file, use an empty old_string with a path that does not exist yet (or use Write).
- Prefer several small, unique edits over rewriting large blocks.`;

const schema = z.object({
  file_path: z
    .string()
    .min(1)
    .describe("The path of the file to modify (absolute, or relative to the workspace)."),
  old_string: z.string().describe("The exact text to replace."),
  new_string: z.string().describe("The text to put in its place (must differ from old_string)."),
  replace_all: z.boolean().optional().describe("Replace every occurrence of old_string (default false)."),
});

export type EditInput = z.infer<typeof schema>;

export const editTool = defineTool({
  name: "Edit",
  description: DESCRIPTION,
  kind: "write",
  schema,
  paths: (input) => [input.file_path],
  summary: (input) => `Edit(${input.file_path})`,
  check: async (input, ctx) => {
    const plan = await planEdit(input, ctx);
    return plan.ok ? undefined : plan.error;
  },
  execute: editFile,
});

type EditPlan =
  | { ok: false; error: string }
  | { ok: true; create: true; path: string }
  | {
      ok: true;
      create: false;
      path: string;
      decoded: ReturnType<typeof decodeText>;
      updated: string;
      count: number;
      firstIndex: number;
      insertedLength: number;
    };

/**
 * Everything an edit needs that can fail before the file is touched: the path, the read-before-write rule,
 * the match. Run before asking permission (a call that cannot work is not put to the user) and again to edit.
 */
async function planEdit(input: EditInput, ctx: PreconditionContext): Promise<EditPlan> {
  const fail = (error: string): EditPlan => ({ ok: false, error });
  if (input.old_string === input.new_string) {
    return fail("old_string and new_string are identical, so there is no change to make.");
  }
  const path = await ctx.workspace.resolve(input.file_path);
  const stat = await statOrNull(path);
  if (!stat) {
    if (input.old_string !== "") return fail(await missingPathMessage(input.file_path, path));
    return { ok: true, create: true, path };
  }
  const problem = await existingFileProblem(
    ctx.session,
    input.file_path,
    path,
    stat,
    "Edit only changes regular files.",
  );
  if (problem) return fail(problem);

  const bytes = await fs.readFile(path);
  const sniffed = sniffContent(bytes.subarray(0, 8192));
  if (sniffed.kind !== "text") {
    const what = sniffed.kind === "image" ? "an image" : sniffed.what;
    return fail(`${input.file_path} is not a text file (${what}); Edit cannot change it.`);
  }
  const decoded = await withEditorBuffer(decodeText(bytes), path, ctx);
  if (input.old_string === "") {
    if (decoded.text.length > 0) {
      return fail(
        `old_string is empty but ${input.file_path} already exists and is not empty. Give the exact text to replace, or Write the whole file.`,
      );
    }
    const insertedLength = input.new_string.length;
    return {
      ok: true,
      create: false,
      path,
      decoded,
      updated: input.new_string,
      count: 1,
      firstIndex: 0,
      insertedLength,
    };
  }
  const match = applyEdit(decoded.text, input.old_string, input.new_string, input.replace_all ?? false);
  if (!match.ok) return fail(match.message);
  return {
    ok: true,
    create: false,
    path,
    decoded,
    updated: match.text,
    count: match.count,
    firstIndex: match.firstIndex,
    insertedLength: match.newString.length,
  };
}

async function editFile(input: EditInput, ctx: ToolContext): Promise<ToolResult> {
  const plan = await planEdit(input, ctx);
  if (!plan.ok) return errorResult(plan.error);
  if (plan.create) return createFile(plan.path, input.new_string, ctx);
  const { path, decoded, updated, count, firstIndex, insertedLength } = plan;

  let encoded: Buffer;
  try {
    encoded = encodeText(updated, decoded.encoding, decoded.bom);
  } catch (error) {
    if (error instanceof UnrepresentableTextError) {
      return errorResult(
        `${input.file_path} is encoded as ${describeEncoding(error.encoding)}, and new_string contains ${JSON.stringify(error.sample)}, which that encoding cannot represent. The file was not changed: use characters the encoding has, or convert the file first (e.g. with iconv) if the user wants that.`,
      );
    }
    throw error;
  }
  await writeChangedFile(ctx.session, path, encoded, editorRoute(ctx, decoded, updated));

  const diff = unifiedDiff(path, decoded.text, updated);
  const { added, removed } = diffStat(diff);
  const what = count === 1 ? "1 occurrence" : `all ${count} occurrences`;
  const snippet = snippetAround(updated, firstIndex, insertedLength);
  return {
    content: `Edited ${path}: replaced ${what}. The changed region now reads:\n${snippet}`,
    display: `Edited (+${added} −${removed})`,
    diff,
    details: { filePath: path, replacements: count, encoding: decoded.encoding },
  };
}

async function createFile(path: string, content: string, ctx: ToolContext): Promise<ToolResult> {
  await fs.mkdir(dirname(path), { recursive: true });
  if (!(await ctx.editorWrite?.(path, content))) await writeFileAtomic(path, content);
  await recordRead(ctx.session, path);
  const lines = countLines(content);
  return {
    content: `Created ${path} (${lines} line${lines === 1 ? "" : "s"}).`,
    display: `Created with ${lines} lines`,
    diff: unifiedDiff(path, "", content),
    details: { filePath: path, created: true },
  };
}

function describeEncoding(encoding: string): string {
  return encoding === "latin1" ? "Latin-1 (not UTF-8)" : encoding;
}

type Decoded = ReturnType<typeof decodeText>;

/** Plain UTF-8 text goes through an editor that takes writes; other encodings are written here, byte-exact. */
function editorRoute(ctx: PreconditionContext, decoded: Decoded, text: string) {
  if (!ctx.editorWrite || decoded.encoding !== "utf8" || decoded.bom) return undefined;
  return { write: ctx.editorWrite, text };
}

/**
 * Where the editor both shows and saves files (ACP), an edit applies to its buffer, unsaved changes included,
 * as Read showed it; the result is saved through the editor.
 */
async function withEditorBuffer(decoded: Decoded, path: string, ctx: PreconditionContext): Promise<Decoded> {
  if (!editorRoute(ctx, decoded, "")) return decoded;
  const buffer = await ctx.editorText?.(path);
  return buffer === undefined ? decoded : { ...decoded, text: buffer };
}
