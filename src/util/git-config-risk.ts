// A git command claw runs without asking reads the repository's own configuration, and many keys there
// name programs git runs (core.fsmonitor on `git status`, core.pager, diff.external, textconv and filter
// drivers, core.sshCommand, hooks, aliases, include.path …). Rather than list the dangerous keys, the
// repository's config may hold only keys known to run nothing; anything else makes the command ask.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Keys (section.name, or section.*.name for any subsection) that never make git run a program. */
const INERT_KEYS = new Set([
  "core.repositoryformatversion",
  "core.filemode",
  "core.bare",
  "core.logallrefupdates",
  "core.ignorecase",
  "core.precomposeunicode",
  "core.symlinks",
  "core.autocrlf",
  "core.eol",
  "core.safecrlf",
  "core.quotepath",
  "core.compression",
  "core.loosecompression",
  "core.checkstat",
  "core.trustctime",
  "core.untrackedcache",
  "core.splitindex",
  "core.commentchar",
  "core.abbrev",
  "core.preloadindex",
  "core.longpaths",
  "core.sharedrepository",
  "core.whitespace",
  "core.protecthfs",
  "core.protectntfs",
  "core.multipackindex",
  "core.commitgraph",
  "remote.*.url",
  "remote.*.pushurl",
  "remote.*.fetch",
  "remote.*.push",
  "remote.*.tagopt",
  "remote.*.prune",
  "remote.*.mirror",
  "remote.*.skipdefaultupdate",
  "remote.*.promisor",
  "branch.*.remote",
  "branch.*.merge",
  "branch.*.rebase",
  "branch.*.pushremote",
  "branch.*.description",
  "user.name",
  "user.email",
  "init.defaultbranch",
  "extensions.objectformat",
  "extensions.refstorage",
  "extensions.worktreeconfig",
  "extensions.preciousobjects",
  "submodule.*.url",
  "submodule.*.path",
  "submodule.*.active",
  "submodule.*.branch",
  "pull.rebase",
  "pull.ff",
  "push.default",
  "push.autosetupremote",
  "fetch.prune",
  "gc.auto",
  "index.version",
  "status.showuntrackedfiles",
  "status.branch",
  "status.short",
  "diff.renames",
  "diff.algorithm",
  "diff.mnemonicprefix",
  "diff.noprefix",
  "diff.colormoved",
  "diff.indentheuristic",
  "diff.context",
  "log.date",
  "log.decorate",
  "log.follow",
  "log.abbrevcommit",
  "merge.ff",
  "merge.conflictstyle",
  "lfs.repositoryformatversion",
  "lfs.url",
]);
/** Whole sections that only style output. */
const INERT_SECTIONS = new Set(["color", "column", "advice", "i18n"]);

/** Environment variables that point git at other configuration, programs or repositories. */
const GIT_ENV =
  /^GIT_(DIR|WORK_TREE|COMMON_DIR|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM|CONFIG_PARAMETERS|CONFIG_COUNT|EXTERNAL_DIFF|SSH|SSH_COMMAND|EXEC_PATH|ASKPASS|TEMPLATE_DIR|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE)$/;

/** The git directory and the directory holding its shared config for a repository containing `dir`. */
function gitDirs(dir: string): { gitDir: string; commonDir: string } | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const dotGit = join(current, ".git");
    try {
      const stat = statSync(dotGit);
      let gitDir = dotGit;
      if (stat.isFile()) {
        const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
        if (!pointer) return { gitDir: dotGit, commonDir: dotGit };
        gitDir = isAbsolute(pointer) ? pointer : resolve(current, pointer);
      }
      let commonDir = gitDir;
      try {
        const common = readFileSync(join(gitDir, "commondir"), "utf8").trim();
        commonDir = isAbsolute(common) ? common : resolve(gitDir, common);
      } catch {
        // a main work tree: its git dir holds the config
      }
      return { gitDir, commonDir };
    } catch {
      // no .git here
    }
    if (dirname(current) === current) return undefined;
  }
}

/** The first key of a git config text that may run a program, or a reason the text cannot be judged. */
function riskyKey(text: string): string | undefined {
  let section = "";
  let subsection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(\s+"(?:[^"\\]|\\.)*")?\s*\](.*)$/.exec(line);
    if (header) {
      const name = header[1]!.toLowerCase();
      section = name.split(".")[0]!;
      subsection = header[2] !== undefined || name.includes(".");
      const rest = header[3]!.trim();
      if (rest === "" || rest.startsWith("#") || rest.startsWith(";")) continue;
      return "a key on its section's line";
    }
    const key = /^([A-Za-z][A-Za-z0-9-]*)\s*(=|$|[#;])/.exec(line)?.[1]?.toLowerCase();
    if (!key || section === "") return `a line git config may read differently ("${line.slice(0, 40)}")`;
    if (raw.trimEnd().endsWith("\\")) return "a continued value";
    if (INERT_SECTIONS.has(section)) continue;
    const name = subsection ? `${section}.*.${key}` : `${section}.${key}`;
    if (!INERT_KEYS.has(name)) return name.replace(".*.", ".<name>.");
  }
  return undefined;
}

/**
 * Why a git command started in `dir` may run a program named by the repository's configuration or by
 * `env` (what settings add to commands' environment; the user's own environment is theirs), or undefined
 * when everything it reads is known to be inert.
 */
export function gitConfigRisk(dir: string, env: Record<string, string> = {}): string | undefined {
  const variable = Object.keys(env).find((name) => GIT_ENV.test(name));
  if (variable) return `${variable} is set, so git may read other configuration or run other programs`;
  const dirs = gitDirs(dir);
  if (!dirs) return undefined;
  for (const file of [join(dirs.commonDir, "config"), join(dirs.gitDir, "config.worktree")]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      return `git's configuration ${file} cannot be read`;
    }
    const key = riskyKey(text);
    if (key)
      return `the repository's git configuration sets ${key} (${file}), which can make git run a program`;
  }
  return undefined;
}
