// Markdown files with YAML frontmatter (agents, skills): the `---` header parsed by the `yaml` package, loaded
// only when such a file exists, so a run without agent or skill files never pays for the parser.

export interface Frontmatter {
  /** The header's mapping (empty when the file has none). */
  data: Record<string, unknown>;
  /** Everything after the closing `---`, trimmed. */
  body: string;
}

export type FrontmatterResult = { ok: true; value: Frontmatter } | { ok: false; error: string };

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*\r?$/m;

/** Splits and parses the header. A missing header is not an error here: callers decide what they require. */
export async function parseFrontmatter(text: string): Promise<FrontmatterResult> {
  const opening = OPENING.exec(text);
  if (!opening) return { ok: true, value: { data: {}, body: text.trim() } };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing)
    return { ok: false, error: "the frontmatter starting with --- is never closed by a --- line" };
  const header = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length).trim();
  // yaml's Node build is CommonJS: bundled, its exports arrive as the default export.
  const yaml: typeof import("yaml") & { default?: typeof import("yaml") } = await import("yaml");
  const parse = yaml.default?.parse ?? yaml.parse;
  let data: unknown;
  try {
    data = parse(header);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, error: `invalid YAML in the frontmatter: ${message}` };
  }
  if (data === null || data === undefined) return { ok: true, value: { data: {}, body } };
  if (typeof data !== "object" || Array.isArray(data))
    return { ok: false, error: "the frontmatter must be a mapping of keys to values" };
  return { ok: true, value: { data: data as Record<string, unknown>, body } };
}

/** A tool list as Claude Code accepts it: "Read, Grep" or a YAML list. undefined when absent. */
export function toolList(value: unknown): string[] | undefined | { error: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    return splitToolNames(value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return value.flatMap((v) => splitToolNames(v));
  }
  return { error: "must be a comma-separated list of tool names" };
}

/** Splits on commas and whitespace that are outside parentheses: "Bash(git status:*), Read" is two names. */
function splitToolNames(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || /\s/.test(ch))) {
      if (current.trim()) names.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) names.push(current.trim());
  return names;
}
