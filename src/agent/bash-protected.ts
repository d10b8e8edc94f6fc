// The words of a shell command that could be file paths, so an allowed command (`Bash(cp:*)`) that names
// git internals, claw settings or hook scripts still asks (FAULTS T11).
import { parse as parseShell } from "shell-quote";
import type { WorkspaceGuard } from "../tools/types.js";
import { absolutePath, isProtectedPath } from "../tools/workspace.js";
import { splitCompoundCommand } from "./bash-split.js";

/** Every argument and redirection target that is not an option flag; `--out=x` yields `x`. */
function pathLikeWords(command: string): string[] {
  const words: string[] = [];
  for (const part of splitCompoundCommand(command)) {
    // Variables expand to nothing here: what we cannot see, we cannot vouch for, but the words we can see count.
    for (const token of parseShell(part.text, () => "")) {
      if (typeof token !== "string" || token === "") continue;
      if (token.startsWith("-")) {
        const eq = token.indexOf("=");
        if (eq > 0 && eq < token.length - 1) words.push(token.slice(eq + 1));
        continue;
      }
      words.push(token);
    }
  }
  return words;
}

/** The first word of the command that is (or resolves to) a protected path, if any. */
export async function protectedPathNamed(
  command: string,
  where: { workspace: WorkspaceGuard; cwd: string; home?: string },
): Promise<string | undefined> {
  for (const word of pathLikeWords(command)) {
    const lexical = absolutePath(word, where.cwd, where.home);
    let resolved = lexical;
    try {
      resolved = await where.workspace.resolve(lexical);
    } catch {
      // unresolvable (a link loop): judged on its name
    }
    const roots = where.workspace.roots;
    if (isProtectedPath(lexical, roots) || isProtectedPath(resolved, roots)) return word;
  }
  return undefined;
}
