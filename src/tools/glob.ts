// The Glob tool: file names matching a glob pattern (via `rg --files`, so .gitignore is respected),
// newest first, capped with a notice.
import { isAbsolute } from "node:path";
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { subprocessEnv } from "./env.js";
import { errorResult, missingPathMessage, statOrNull } from "./file-helpers.js";
import { outputLines, RipgrepMissingError, ripgrepError, runRipgrep, sortByMtime } from "./ripgrep.js";
import type { ToolContext, ToolResult } from "./types.js";
import { absolutePath } from "./workspace.js";

export const GLOB_MAX_RESULTS = 100;

const DESCRIPTION = `Find files by name with a glob pattern, fast in any size of codebase.

- Patterns: "**/*.ts" (any depth), "src/**/*.{ts,tsx}", "test/*.test.ts", "**/package.json". A pattern without "/" matches the file name at any depth.
- path is the directory to search (default: the workspace directory). Omit it rather than passing "." or "undefined".
- Returns absolute paths, most recently modified first, at most ${GLOB_MAX_RESULTS}; narrow the pattern or path when there are more.
- Files ignored by .gitignore are skipped, and so are hidden files and directories unless the pattern names them (".github/**/*.yml").
- To search file contents use Grep. For open-ended exploration that needs several rounds of searching, plan the searches first; run independent searches in parallel.`;

const schema = z.object({
  pattern: z.string().min(1).describe('The glob pattern to match file paths against, e.g. "**/*.ts".'),
  path: z
    .string()
    .optional()
    .describe(
      "The directory to search in (absolute or relative to the workspace). Defaults to the workspace directory.",
    ),
});

export type GlobInput = z.infer<typeof schema>;

export const globTool = defineTool({
  name: "Glob",
  description: DESCRIPTION,
  kind: "read",
  schema,
  paths: (input) => [searchRoot(input).dir],
  summary: (input) => `Glob(${input.pattern}${input.path ? ` in ${input.path}` : ""})`,
  execute: runGlob,
});

/** An absolute pattern ("/repo/src/**") becomes a search dir plus a relative pattern. */
function searchRoot(input: GlobInput): { dir: string; pattern: string } {
  let dir = input.path && input.path !== "undefined" && input.path !== "null" ? input.path : ".";
  let pattern = input.pattern;
  if (isAbsolute(pattern)) {
    const segments = pattern.split("/");
    const firstGlob = segments.findIndex((segment) => /[*?[{]/.test(segment));
    const literal = firstGlob < 0 ? segments.length - 1 : firstGlob;
    dir = segments.slice(0, literal).join("/") || "/";
    pattern = segments.slice(literal).join("/");
  }
  return { dir, pattern };
}

/** Hidden entries are listed only when the pattern asks for them by name. */
function namesHidden(pattern: string): boolean {
  return pattern.split("/").some((segment) => segment.startsWith(".") && segment !== "." && segment !== "..");
}

async function runGlob(input: GlobInput, ctx: ToolContext): Promise<ToolResult> {
  const root = searchRoot(input);
  const dir = absolutePath(root.dir, ctx.cwd);
  const stat = await statOrNull(dir);
  if (!stat) return errorResult(await missingPathMessage(root.dir, dir));
  if (!stat.isDirectory())
    return errorResult(`${root.dir} is a file, not a directory; pass its directory as path.`);

  const args = ["--files", "--glob", root.pattern.replace(/^\.\//, "")];
  if (namesHidden(root.pattern)) args.push("--hidden", "--glob", "!.git");
  args.push("--", dir);
  let run: Awaited<ReturnType<typeof runRipgrep>>;
  try {
    run = await runRipgrep(args, { cwd: ctx.cwd, signal: ctx.signal, env: subprocessEnv(ctx.env) });
  } catch (error) {
    if (error instanceof RipgrepMissingError) return errorResult(error.message);
    throw error;
  }
  if (run.aborted) return errorResult("Glob was interrupted.");
  // Files a deny rule forbids reading are left out, as if they did not exist.
  const files = outputLines(run.stdout).filter((file) => !ctx.isReadDenied?.(file));
  if (run.code === 2 && files.length === 0) return errorResult(`Glob failed: ${ripgrepError(run.stderr)}`);
  if (files.length === 0) {
    return { content: `No files found matching "${input.pattern}" in ${dir}.`, display: "No files found" };
  }
  const { sorted, byTime } = await sortByMtime(files);
  const shown = sorted.slice(0, GLOB_MAX_RESULTS);
  const lines = [...shown];
  const more = files.length - shown.length;
  if (more > 0 || run.overflowed) {
    const total = run.overflowed ? `more than ${files.length}` : String(files.length);
    const order = byTime ? "most recently modified" : "first (by name)";
    lines.push(
      `(Showing the ${shown.length} ${order} of ${total} matching files. Use a more specific pattern or path to see the others.)`,
    );
  }
  return {
    content: lines.join("\n"),
    display: `Found ${files.length}${run.overflowed ? "+" : ""} file${files.length === 1 ? "" : "s"}`,
    details: { numFiles: files.length, truncated: more > 0 || run.overflowed },
  };
}
