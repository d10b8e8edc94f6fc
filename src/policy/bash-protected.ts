// The words of a shell command that could be file paths, so an allowed command (`Bash(cp:*)`) that names
// git internals, claw settings or hook scripts still asks (FAULTS T11). A word claw cannot see through
// (`$DIR`, `~user`, `{a,b}`) may name one too; a glob is expanded here and its pattern checked as well.
import type { WorkspaceGuard } from "../tools/types.js";
import { absolutePath, isProtectedPath, PROTECTED_DOT_NAMES } from "../tools/workspace.js";
import { expandGlob, globMayName } from "./bash-glob.js";
import { splitCompoundCommand } from "./bash-split.js";
import { shellWords } from "./bash-words.js";

type Candidate = { word: string; paths: string[] } | { word: string; unknown: true };

/** Every argument and redirection target that is not an option flag; `--out=x` yields `x`. */
function pathLikeWords(command: string, where: { cwd: string; home: string }): Candidate[] {
  const out: Candidate[] = [];
  for (const part of splitCompoundCommand(command)) {
    for (const word of shellWords(part.text)) {
      if (word.op || word.text === "") continue;
      if (word.opaque) {
        out.push({ word: word.text, unknown: true });
        continue;
      }
      let text = word.text;
      if (text.startsWith("-")) {
        const eq = text.indexOf("=");
        if (eq <= 0 || eq === text.length - 1) continue;
        text = text.slice(eq + 1);
      }
      if (word.pattern === undefined) {
        out.push({ word: text, paths: [text] });
        continue;
      }
      // The pattern may also name a protected file the same command line creates before it runs.
      const expanded = expandGlob(word.pattern, where);
      if (!expanded || globMayName(word.pattern, PROTECTED_DOT_NAMES))
        out.push({ word: text, unknown: true });
      else out.push({ word: text, paths: expanded });
    }
  }
  return out;
}

/** The first word of the command that is (or resolves to, or may expand to) a protected path, if any. */
export async function protectedPathNamed(
  command: string,
  where: { workspace: WorkspaceGuard; cwd: string; home?: string },
): Promise<string | undefined> {
  const home = where.home ?? process.env.HOME ?? "/";
  for (const candidate of pathLikeWords(command, { cwd: where.cwd, home })) {
    if ("unknown" in candidate) return candidate.word;
    for (const path of candidate.paths) {
      const lexical = absolutePath(path, where.cwd, where.home);
      let resolved = lexical;
      try {
        resolved = await where.workspace.resolve(lexical);
      } catch {
        // unresolvable (a link loop): judged on its name
      }
      const roots = where.workspace.roots;
      if (isProtectedPath(lexical, roots) || isProtectedPath(resolved, roots)) return candidate.word;
    }
  }
  return undefined;
}
