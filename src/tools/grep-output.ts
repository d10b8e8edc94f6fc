// Parses ripgrep's `--null` output for Grep into a stable order: rg searches in parallel, so files
// arrive in any order, and paging with offset needs the same order on every call.
import { outputLines } from "./ripgrep.js";

/** `path\0count` lines → sorted by path. */
export function parseCounts(stdout: string): Array<{ path: string; count: number }> {
  const counts: Array<{ path: string; count: number }> = [];
  for (const line of outputLines(stdout)) {
    const nul = line.lastIndexOf("\0");
    if (nul < 0) continue;
    counts.push({ path: line.slice(0, nul), count: Number(line.slice(nul + 1)) || 0 });
  }
  return counts.sort((a, b) => compare(a.path, b.path));
}

/**
 * `path\0N:text` (match) and `path\0N-text` (context) lines, with `--` between context groups →
 * `path:N:text` / `path-N-text`, files in path order, each file's lines in rg's (file) order.
 */
export function groupContentLines(
  stdout: string,
  options: { separators: boolean; keep?: (path: string) => boolean },
): string[] {
  const groups = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of outputLines(stdout)) {
    const nul = line.indexOf("\0");
    if (nul < 0) {
      // "--" between non-adjacent context blocks; kept only inside a file's group.
      if (options.separators && current && current.length > 0 && current[current.length - 1] !== "--")
        current.push("--");
      continue;
    }
    const path = line.slice(0, nul);
    const rest = line.slice(nul + 1);
    current = groups.get(path);
    if (!current) {
      current = [];
      groups.set(path, current);
    }
    const numbered = /^(\d+)([:-])/.exec(rest);
    const separator = numbered?.[2] ?? ":";
    current.push(`${path}${separator}${rest}`);
  }
  const out: string[] = [];
  for (const path of [...groups.keys()].sort(compare)) {
    if (options.keep && !options.keep(path)) continue;
    const lines = groups.get(path)!;
    while (lines[lines.length - 1] === "--") lines.pop();
    if (options.separators && out.length > 0) out.push("--");
    out.push(...lines);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
