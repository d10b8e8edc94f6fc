// How the policy sees a Bash command in the directories it may run in: globs expanded there, relative
// paths resolved there, and the directories each part of a compound command may start in.
import type { WorkspaceGuard } from "../tools/types.js";
import { absolutePath } from "../tools/workspace.js";
import { gitConfigRisk } from "../util/git-config-risk.js";
import { expandGlob } from "./bash-glob.js";
import { classifyBashCommand, type ReadOnlyVerdict } from "./bash-readonly.js";
import type { CommandPart } from "./bash-split.js";
import { shellWords } from "./bash-words.js";
import type { TargetPath } from "./permission-rules.js";

export interface ShellView {
  classifyIn(command: string, bases?: readonly string[]): ReadOnlyVerdict;
  resolvePaths(paths: readonly string[], bases?: readonly string[]): Promise<TargetPath[] | string>;
  shellDirs(parts: readonly CommandPart[]): string[][];
}

export function createShellView(options: {
  workspace: WorkspaceGuard;
  cwd: string;
  home?: string;
  childEnv?: Record<string, string>;
}): ShellView {
  const { workspace, cwd } = options;
  const home = options.home ?? process.env.HOME ?? "/";

  /**
   * The read-only verdict for a command run in any of `bases`: its globs are expanded in each, and every
   * word any of them yields is checked (a superset of what the shell will pass).
   */
  function classifyIn(command: string, bases: readonly string[] = [cwd]): ReadOnlyVerdict {
    const verdict = classifyBashCommand(command, {
      expandGlob: (pattern) => {
        const words = new Set<string>();
        for (const base of bases) {
          const expanded = expandGlob(pattern, { cwd: base, home });
          if (!expanded) return undefined;
          for (const word of expanded) words.add(word);
        }
        return [...words];
      },
    });
    // A read-only git command still runs what the repository's configuration names (core.fsmonitor …).
    if (!verdict.readOnly || shellWords(command)[0]?.text !== "git") return verdict;
    for (const base of bases) {
      const risk = gitConfigRisk(base, options.childEnv);
      if (risk) return { readOnly: false, reason: risk };
    }
    return verdict;
  }

  /** Relative paths are resolved against each of `bases` (the directories an earlier `cd` may have left). */
  async function resolvePaths(
    paths: readonly string[],
    bases: readonly string[] = [cwd],
  ): Promise<TargetPath[] | string> {
    const out: TargetPath[] = [];
    for (const path of paths) {
      for (const base of bases) {
        const lexical = absolutePath(path, base, options.home);
        try {
          out.push({ lexical, resolved: await workspace.resolve(lexical) });
        } catch (error) {
          return `cannot resolve ${path}: ${(error as Error).message}`;
        }
      }
    }
    return out;
  }

  /**
   * For each part of a compound command, the directories the shell may be in when it runs. `cd src && cat
   * link/x` reads src/link/x, which may be a symlink out; in a pipeline `cd` does not move the shell, so the
   * earlier directories stay candidates too. `cd` alone or `cd -` goes somewhere we do not track: home and /.
   */
  function shellDirs(parts: readonly CommandPart[]): string[][] {
    let bases = [cwd];
    const out: string[][] = [];
    for (const part of parts) {
      out.push(bases);
      if (!/^cd(\s|$)/.test(part.text)) continue;
      const verdict = classifyIn(part.text, bases);
      // `cd *` goes to the first match; every match is a candidate.
      const targets = verdict.readOnly ? verdict.paths : [];
      const moved =
        targets.length === 0 || targets.includes("-")
          ? [home, "/"]
          : targets.flatMap((target) => bases.map((base) => absolutePath(target, base, options.home)));
      bases = [...new Set([...bases, ...moved])];
    }
    return out;
  }

  return { classifyIn, resolvePaths, shellDirs };
}
