// Finds `@path` imports in an instruction file: in prose only (never inside code blocks or code spans), so an
// example like `npm i @scope/pkg` is not mistaken for an import.
import { isAbsolute, join, resolve } from "node:path";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_SPAN = /(`+)(?:(?!\1)[\s\S])*?\1/g;
const IMPORT = /(?:^|[\s([])@((?:~\/|\.{1,2}\/|\/)?[^\s`'"<>()[\]{}|*@]+)/g;

/** The raw `@` tokens (without the `@`) in reading order, duplicates removed. */
export function extractImports(markdown: string): string[] {
  const found: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence.char && marker.length >= fence.length && line.trim() === marker)
        fence = undefined;
      continue;
    }
    if (marker) {
      fence = { char: marker[0] as string, length: marker.length };
      continue;
    }
    const prose = line.replace(CODE_SPAN, " ");
    for (const match of prose.matchAll(IMPORT)) {
      const token = (match[1] as string).replace(/[.,;:!?]+$/, "");
      if (token !== "" && token !== "~" && !found.includes(token)) found.push(token);
    }
  }
  return found;
}

/** Resolves an import token relative to the importing file's directory; `~/` means the home directory. */
export function resolveImport(token: string, baseDir: string, home: string): string {
  if (token.startsWith("~/")) return join(home, token.slice(2));
  if (isAbsolute(token)) return token;
  return resolve(baseDir, token);
}
