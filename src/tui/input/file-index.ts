// The workspace's files for @mention completion: listed once by ripgrep (which honours .gitignore and skips
// .git), refreshed in the background when stale, and searched fuzzily on every keystroke. A 50,000-file tree
// lists in a fraction of a second and filters in a few milliseconds: a query that extends the previous one
// only searches the previous matches.
import { outputLines, runRipgrep } from "../../tools/ripgrep.js";
import { completeMention } from "../prompt-prepare.js";

/** A listing older than this is refreshed (in the background) the next time a mention starts. */
const STALE_MS = 15_000;
/** Upper bound on indexed paths: beyond it the listing is cut (completion stays responsive). */
const MAX_FILES = 200_000;

interface Entry {
  /** The workspace-relative path; directories end with "/". */
  path: string;
  lower: string;
  /** Where the last segment starts in `path` (matches there score higher). */
  base: number;
}

export class FileIndex {
  private entries: Entry[] | undefined;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  /** The listing could not be made (no ripgrep): callers list folders instead. */
  failed = false;
  private last: { query: string; matches: Entry[] } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly cwd: () => string,
    private readonly list: (cwd: string) => Promise<string[]> = listWorkspaceFiles,
  ) {}

  /** Called when a (re)load finishes, so an open menu can be filtered again. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get ready(): boolean {
    return this.entries !== undefined;
  }

  /** Starts a listing when there is none or it is stale; never waits for it. */
  warm(): void {
    if (this.loading) return;
    if (this.entries && Date.now() - this.loadedAt < STALE_MS) return;
    const cwd = this.cwd();
    this.loading = this.list(cwd)
      .then((files) => {
        if (cwd !== this.cwd()) return;
        this.entries = toEntries(files);
        this.loadedAt = Date.now();
        this.last = undefined;
        for (const listener of this.listeners) listener();
      })
      .catch(() => {
        // No rg, an unreadable tree: completion falls back to the directory listing.
        this.failed = true;
        for (const listener of this.listeners) listener();
      })
      .finally(() => {
        this.loading = undefined;
      });
  }

  /** Waits for the listing in progress (tests, and a caller that has nothing better to show). */
  async settled(): Promise<void> {
    await this.loading;
  }

  /** The best `limit` paths for `query` (fuzzy, case-insensitive), best first; undefined until listed. */
  search(query: string, limit = 50): string[] | undefined {
    if (!this.entries) return undefined;
    const q = query.toLowerCase();
    // Typing on narrows the previous matches instead of scanning the whole tree again.
    const pool = this.last && q.startsWith(this.last.query) ? this.last.matches : this.entries;
    const scored: Array<{ entry: Entry; score: number }> = [];
    for (const entry of pool) {
      const score = q === "" ? 0 : fuzzyScore(entry, q);
      if (score !== undefined) scored.push({ entry, score });
    }
    this.last = { query: q, matches: scored.map((s) => s.entry) };
    if (q === "") {
      // Nothing typed yet: the top level of the workspace, folders first.
      return scored
        .map((s) => s.entry)
        .filter((e) => !e.path.slice(0, -1).includes("/"))
        .sort(
          (a, b) =>
            Number(b.path.endsWith("/")) - Number(a.path.endsWith("/")) || a.path.localeCompare(b.path),
        )
        .slice(0, limit)
        .map((e) => e.path);
    }
    scored.sort((a, b) => b.score - a.score || a.entry.path.length - b.entry.path.length);
    return scored.slice(0, limit).map((s) => s.entry.path);
  }
}

/** Files (and their folders) ripgrep would search: .gitignore, .ignore and .rgignore honoured, .git skipped. */
async function listWorkspaceFiles(cwd: string): Promise<string[]> {
  const run = await runRipgrep(
    ["--files", "--hidden", "--no-require-git", "--glob", "!.git", "--sort", "none"],
    {
      cwd,
      signal: AbortSignal.timeout(20_000),
      maxBytes: 64 * 1024 * 1024,
    },
  );
  return outputLines(run.stdout)
    .slice(0, MAX_FILES)
    .map((line) => line.replace(/^\.\//, ""));
}

function toEntries(files: string[]): Entry[] {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let slash = file.indexOf("/"); slash !== -1; slash = file.indexOf("/", slash + 1))
      dirs.add(file.slice(0, slash + 1));
  }
  return [...dirs, ...files].map((path) => {
    const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
    return { path, lower: path.toLowerCase(), base: trimmed.lastIndexOf("/") + 1 };
  });
}

const BOUNDARY = new Set(["/", ".", "_", "-", " "]);

/**
 * How well `entry` matches `query` (lower case), or undefined when the query's characters do not all appear
 * in order. Contiguous runs, starts of path segments and words, and matches in the file name score higher.
 */
function fuzzyScore(entry: Entry, query: string): number | undefined {
  const { lower, base } = entry;
  // A contiguous hit is what people usually mean: best in the file name, at the start of a word.
  const inName = lower.indexOf(query, base);
  const at = inName !== -1 ? inName : lower.indexOf(query);
  if (at !== -1) {
    const boundary = at === 0 || BOUNDARY.has(lower[at - 1]!);
    return 50 + query.length * 5 + (boundary ? 10 : 0) + (at >= base ? 15 : 0);
  }
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of query) {
    const next = lower.indexOf(char, from);
    if (next === -1) return undefined;
    if (next === previous + 1) score += 5;
    if (next === 0 || BOUNDARY.has(lower[next - 1]!)) score += 3;
    if (next >= base) score += 1;
    previous = next;
    from = next + 1;
  }
  return score;
}

/**
 * @mention candidates: paths outside the plain workspace form (`/abs`, `~/x`, `../x`, `./x`) list their folder;
 * the rest are fuzzy matches from the index (undefined while it is being built: the menu comes when it is
 * ready, so an ignored file is never offered), or the folder listing when no index can be made.
 */
export function mentionCandidates(partial: string, cwd: string, index: FileIndex): string[] | undefined {
  if (/^(\/|~|\.\.?\/)/.test(partial) || index.failed) return completeMention(partial, cwd);
  index.warm();
  const found = index.search(partial.replace(/\\ /g, " "));
  if (found === undefined) return undefined;
  return found.map((path) => path.replace(/ /g, "\\ "));
}
