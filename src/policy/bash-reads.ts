// What a read-only Bash command reads beyond the paths it names: a recursive command reads everything
// below its directories, and some git commands print the contents of any file in the repository
// (`git show HEAD:secrets/key`). With Read deny rules these must not be allowed blindly (issue 11, class 3).
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type MatchContext,
  type PermissionRule,
  ruleMayCoverBelow,
  type TargetPath,
} from "./permission-rules.js";
import type { PermissionDecision } from "./permission-types.js";

export interface ReadScope {
  /** The command reads every file below its directory arguments (`grep -r`, `rg`, `find`). */
  recursive: boolean;
  /** The command may print the contents of files in the repository, named or not. */
  printsRepository: boolean;
}

/** Commands that always descend into directories. */
const ALWAYS_RECURSIVE = new Set(["rg", "find", "du", "tree"]);
const GREPS = new Set(["grep", "egrep", "fgrep"]);

/** git subcommands that print file contents whatever their options. */
const GIT_PRINTS = new Set(["grep", "show", "blame", "cat-file"]);

/**
 * Options of `git log`/`git diff` known not to print file contents; any other option might (`-p`, `-U3`,
 * `--word-diff`, `-L1,2:f`, `--cc` …), so the list is of the safe ones, not the dangerous ones.
 */
const GIT_NAMES_ONLY =
  /^(--oneline|--graph|--decorate(=.*)?|--no-decorate|--all|--branches(=.*)?|--tags(=.*)?|--remotes(=.*)?|--(author|committer|since|until|after|before|format|pretty|date|max-count|skip|grep)=.*|--pretty|--abbrev-commit|--no-merges|--merges|--first-parent|--reverse|--stat(=.*)?|--shortstat|--name-only|--name-status|--numstat|--summary|--dirstat(=.*)?|--quiet|--exit-code|--no-patch|-s|-n\d*|-\d+|-i|--no-color|--color(=.*)?|--follow|--cached|--staged|--)$/;
const GIT_DIFF_SUMMARY =
  /^(--stat(=.*)?|--shortstat|--name-only|--name-status|--numstat|--summary|--dirstat(=.*)?|--quiet|--exit-code|--no-patch|-s)$/;

/** How far a read-only command reads; `args` are its words after glob expansion. */
export function readScope(command: string, args: readonly string[]): ReadScope {
  const options = args.filter((a) => a.startsWith("-") && a !== "-");
  if (command === "git") {
    const rest = args[0] === "--no-pager" ? args.slice(1) : args;
    const sub = rest[0] ?? "";
    const subOptions = rest.slice(1).filter((a) => a.startsWith("-"));
    const onlyNames = subOptions.every((a) => GIT_NAMES_ONLY.test(a));
    const prints =
      GIT_PRINTS.has(sub) ||
      (sub === "log" && !onlyNames) ||
      (sub === "diff" && !(onlyNames && subOptions.some((a) => GIT_DIFF_SUMMARY.test(a))));
    return { recursive: false, printsRepository: prints };
  }
  if (ALWAYS_RECURSIVE.has(command)) return { recursive: true, printsRepository: false };
  // A cluster like `-rn` or `-Rl`, or the long forms; a letter that is really an option's value only
  // makes the answer err towards asking.
  const recursive =
    (GREPS.has(command) &&
      (args.includes("recurse") ||
        options.some(
          (o) =>
            /^-[^-]*[rR]/.test(o) || /^--(recursive|dereference-recursive|directories=recurse|d)/.test(o),
        ))) ||
    (command === "ls" && options.some((o) => /^-[^-]*R/.test(o) || o === "--recursive"));
  return { recursive, printsRepository: false };
}

/** Recursive commands without a directory argument search the current directory. */
export function recursiveRoots(paths: readonly string[]): string[] {
  return paths.length > 0 ? [...paths] : ["."];
}

/** The top of the git work tree that contains `dir` (the nearest ancestor holding `.git`), if any. */
export function gitTopLevel(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    try {
      statSync(join(current, ".git"));
      return current;
    } catch {
      // not here; go up
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * A recursive read, or a git command that prints files from the repository, that may reach something a
 * Read deny rule covers: claw cannot list every file it will read, so the user decides.
 */
export function wideReadQuestion(
  readDenials: readonly PermissionRule[],
  reads: ReadScope,
  resolved: TargetPath[] | string,
  ctx: MatchContext,
): PermissionDecision | undefined {
  if (typeof resolved === "string")
    return { behavior: "ask", reason: `Permission check failed: ${resolved}.` };
  const dirs = reads.printsRepository
    ? resolved.flatMap((p) => gitTopLevel(p.resolved) ?? []).map((top) => ({ lexical: top, resolved: top }))
    : resolved;
  for (const dir of dirs) {
    const rule = readDenials.find(
      (r) => ruleMayCoverBelow(r, dir.lexical, ctx) || ruleMayCoverBelow(r, dir.resolved, ctx),
    );
    if (!rule) continue;
    const what = reads.printsRepository
      ? `prints files from the git repository at ${dir.resolved}`
      : `reads everything below ${dir.resolved}`;
    return {
      behavior: "ask",
      reason: `This command ${what}, which may include files the rule "${rule.source}" denies reading; it needs the user's approval.`,
    };
  }
  return undefined;
}
