// The Grep tool: searches file contents with ripgrep (regex, .gitignore respected); lists files
// (newest first), counts, or matching lines, with head_limit/offset paging and a capped result.
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { subprocessEnv } from "./env.js";
import { errorResult, missingPathMessage, statOrNull } from "./file-helpers.js";
import { groupContentLines, parseCounts } from "./grep-output.js";
import { outputLines, RipgrepMissingError, ripgrepError, runRipgrep, sortByMtime } from "./ripgrep.js";
import { truncateForModel } from "./truncate.js";
import type { ToolContext, ToolResult } from "./types.js";
import { absolutePath, hardLinkCount } from "./workspace.js";

/** Entries shown when head_limit is not given: files and counts are per file, content is per line. */
const GREP_DEFAULT_LIMITS = { files_with_matches: 100, count: 100, content: 250 } as const;
/** Byte cap of what the model sees from one Grep call. */
const GREP_MAX_BYTES = 40_000;
const MAX_COLUMNS = 500;

const DESCRIPTION = `Search file contents with ripgrep. Use this tool for content searches rather than running grep or rg through Bash: it respects the permission rules and formats results for you.

- pattern is a regular expression (ripgrep / Rust syntax): "log.*Error", "function\\s+\\w+", "TODO|FIXME". Escape literal braces and parentheses: "interface\\{\\}" finds "interface{}".
- Narrow the search with path (a directory or file; default the workspace directory), glob (a file-name filter such as "*.js" or "**/*.{ts,tsx}") or type (a ripgrep file type such as js, py, rust, go — more efficient than glob for standard languages).
- output_mode: "files_with_matches" (default) lists matching files, most recently modified first; "content" shows matching lines ("path:line:text"; context with -A/-B/-C, line numbers with -n, on by default); "count" shows the number of matches per file.
- "-i" makes the search case-insensitive. By default a match cannot span lines; set multiline: true for patterns like "struct \\{[\\s\\S]*?field" where . also matches newlines.
- Results are paged: head_limit entries (lines in content mode, files otherwise) starting after offset entries. Defaults: ${GREP_DEFAULT_LIMITS.files_with_matches} files or ${GREP_DEFAULT_LIMITS.content} lines. The result says how to get the next page.
- Files ignored by .gitignore, hidden files and binary files are skipped. Paths in the results are absolute.`;

const count = () => z.number().int().min(0);

const schema = z.object({
  pattern: z.string().min(1).describe("The regular expression to search for in file contents."),
  path: z.string().optional().describe("File or directory to search in (default: the workspace directory)."),
  glob: z
    .string()
    .optional()
    .describe('Only search files matching this glob, e.g. "*.js" or "src/**/*.{ts,tsx}".'),
  type: z
    .string()
    .optional()
    .describe("Only search files of this ripgrep type, e.g. js, py, rust, go, java."),
  output_mode: z
    .enum(["content", "files_with_matches", "count"])
    .optional()
    .describe(
      '"files_with_matches" (default): file paths; "content": matching lines; "count": matches per file.',
    ),
  "-i": z.boolean().optional().describe("Case-insensitive search."),
  "-n": z.boolean().optional().describe("Show line numbers (content mode only; default true)."),
  "-A": count().optional().describe("Lines of context after each match (content mode only)."),
  "-B": count().optional().describe("Lines of context before each match (content mode only)."),
  "-C": count().optional().describe("Lines of context before and after each match (content mode only)."),
  multiline: z.boolean().optional().describe("Let matches span lines (. matches newlines). Default false."),
  head_limit: count()
    .optional()
    .describe("Show at most this many entries (lines in content mode, files otherwise); 0 means no limit."),
  offset: count()
    .optional()
    .describe("Skip this many entries before applying head_limit (for the next page)."),
});

export type GrepInput = z.infer<typeof schema>;
type OutputMode = NonNullable<GrepInput["output_mode"]>;

export const grepTool = defineTool({
  name: "Grep",
  description: DESCRIPTION,
  kind: "read",
  schema,
  paths: (input) => [searchPath(input)],
  summary: (input) => `Grep(${input.pattern}${input.path ? ` in ${input.path}` : ""})`,
  execute: runGrep,
});

function searchPath(input: GrepInput): string {
  const path = input.path;
  return path && path !== "undefined" && path !== "null" ? path : ".";
}

/** The argv for rg; every value is its own argument (no shell), and the pattern goes through -e. */
export function ripgrepArgs(input: GrepInput, root: string): string[] {
  const mode: OutputMode = input.output_mode ?? "files_with_matches";
  const args = ["--color", "never"];
  if (mode === "files_with_matches") args.push("--files-with-matches");
  else if (mode === "count") args.push("--count", "--null", "--with-filename");
  else {
    args.push("--no-heading", "--with-filename", "--null");
    args.push(input["-n"] === false ? "--no-line-number" : "--line-number");
    args.push("--max-columns", String(MAX_COLUMNS), "--max-columns-preview");
    if (input["-C"] !== undefined) args.push("--context", String(input["-C"]));
    if (input["-A"] !== undefined) args.push("--after-context", String(input["-A"]));
    if (input["-B"] !== undefined) args.push("--before-context", String(input["-B"]));
  }
  if (input["-i"]) args.push("--ignore-case");
  if (input.multiline) args.push("--multiline", "--multiline-dotall");
  if (input.glob) args.push("--glob", input.glob);
  if (input.type) args.push("--type", input.type);
  args.push("--regexp", input.pattern, "--", root);
  return args;
}

async function runGrep(input: GrepInput, ctx: ToolContext): Promise<ToolResult> {
  const shownPath = searchPath(input);
  const root = absolutePath(shownPath, ctx.cwd);
  if (!(await statOrNull(root))) return errorResult(await missingPathMessage(shownPath, root));
  const mode: OutputMode = input.output_mode ?? "files_with_matches";

  let run: Awaited<ReturnType<typeof runRipgrep>>;
  try {
    run = await runRipgrep(ripgrepArgs(input, root), {
      cwd: ctx.cwd,
      signal: ctx.signal,
      env: subprocessEnv(ctx.env),
    });
  } catch (error) {
    if (error instanceof RipgrepMissingError) return errorResult(error.message);
    throw error;
  }
  if (run.aborted) return errorResult("Grep was interrupted.");
  if (run.code === 2 && run.stdout === "") {
    const message = ripgrepError(run.stderr);
    const hint = /regex parse error/i.test(message)
      ? "\nThe pattern is a Rust regular expression: escape literal ( ) [ ] { } . * + ? | with a backslash, or fix the syntax."
      : "";
    return errorResult(`Grep failed: ${message}${hint}`);
  }

  // Files a deny rule hides are left out, and so are hard links: another name for a file that may be
  // outside the workspace (Read asks for them).
  const verdicts = new Map<string, boolean>();
  const linked: string[] = [];
  const keep = (path: string): boolean => {
    let verdict = verdicts.get(path);
    if (verdict === undefined) {
      const isLink = hardLinkCount(path) !== undefined;
      if (isLink) linked.push(path);
      verdict = !isLink && !ctx.isReadDenied?.(path);
      verdicts.set(path, verdict);
    }
    return verdict;
  };
  const withContext = Boolean(input["-A"] || input["-B"] || input["-C"]);
  const entries = await orderedEntries(mode, run.stdout, { separators: withContext, keep });
  const note =
    linked.length === 0
      ? ""
      : `\n(Left out ${linked.length} hard-linked file${linked.length === 1 ? "" : "s"}, which may be files outside the workspace: ${linked.slice(0, 5).join(", ")}${linked.length > 5 ? ", …" : ""}. Read one to ask the user.)`;
  if (entries.length === 0) {
    return {
      content: `No matches found for pattern "${input.pattern}" in ${root}.${note}`,
      display: "No matches",
      details: { mode, numFiles: 0, numLines: 0 },
    };
  }
  const result = pageResult(input, mode, entries, run);
  return note ? { ...result, content: `${result.content}${note}` } : result;
}

/** Entries in a stable order, without files a deny rule hides (`keep` false). */
async function orderedEntries(
  mode: OutputMode,
  stdout: string,
  options: { separators: boolean; keep: ((path: string) => boolean) | undefined },
): Promise<string[]> {
  const keep = options.keep ?? (() => true);
  if (mode === "files_with_matches") return (await sortByMtime(outputLines(stdout).filter(keep))).sorted;
  if (mode === "count") {
    return parseCounts(stdout)
      .filter(({ path }) => keep(path))
      .map(({ path, count }) => `${path}:${count}`);
  }
  return groupContentLines(stdout, options);
}

function pageResult(
  input: GrepInput,
  mode: OutputMode,
  entries: string[],
  run: { overflowed: boolean; code: number | null; stderr: string },
): ToolResult {
  const offset = input.offset ?? 0;
  const limit =
    input.head_limit === 0 ? Number.POSITIVE_INFINITY : (input.head_limit ?? GREP_DEFAULT_LIMITS[mode]);
  const page = entries.slice(offset, offset + limit);
  const unit = mode === "content" ? "lines" : "files";
  const notices: string[] = [];
  if (page.length === 0) {
    notices.push(`No results at offset=${offset}: there are ${entries.length} ${unit} in total.`);
  } else if (offset > 0 || offset + page.length < entries.length) {
    const next = offset + page.length;
    const more = next < entries.length ? `; use offset=${next} to see more` : "";
    notices.push(`Showing ${unit} ${offset + 1}–${next} of ${entries.length}${more}.`);
  }
  if (run.overflowed)
    notices.push("ripgrep produced too much output and was stopped: narrow the search to see everything.");
  if (run.code === 2) notices.push(`Some files could not be searched: ${ripgrepError(run.stderr)}`);

  let body = page.join("\n");
  if (mode === "files_with_matches")
    body = `Found ${entries.length} file${entries.length === 1 ? "" : "s"}\n${body}`;
  if (mode === "count") {
    const total = parseCountTotal(entries);
    body = `${body}\n\nFound ${total} match${total === 1 ? "" : "es"} in ${entries.length} file${entries.length === 1 ? "" : "s"}`;
  }
  const truncated = truncateForModel(body, { maxBytes: GREP_MAX_BYTES, maxLines: Number.MAX_SAFE_INTEGER });
  if (truncated.truncated) {
    notices.push(
      "Long output was cut in the middle: lower head_limit and page with offset, or narrow the search.",
    );
  }
  const content = [truncated.text, ...notices.map((n) => `(${n})`)].join("\n");
  return {
    content,
    display: displayLine(mode, entries),
    details: { mode, numEntries: entries.length, shown: page.length, offset },
  };
}

function parseCountTotal(entries: readonly string[]): number {
  return entries.reduce((sum, entry) => sum + Number(entry.slice(entry.lastIndexOf(":") + 1) || 0), 0);
}

function displayLine(mode: OutputMode, entries: readonly string[]): string {
  if (mode === "files_with_matches") return `Found ${entries.length} file${entries.length === 1 ? "" : "s"}`;
  if (mode === "count") return `${parseCountTotal(entries)} matches in ${entries.length} files`;
  return `Found ${entries.length} line${entries.length === 1 ? "" : "s"}`;
}
