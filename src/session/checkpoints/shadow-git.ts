// The shadow git repository that holds a project's checkpoints: its own GIT_DIR under the config home, the
// workspace as work tree, one index per session. The user's own .git is never read or written, and git runs
// with no system or global config, no hooks and no fsmonitor, so nothing it does can start a program.
import { type ChildProcess, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  promises as fs,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { projectDir } from "../session-paths.js";

/** An expected failure (git missing, a lock held by another claw): one line for the user. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** Settings that make git store bytes as they are and never run anything named by a file in the workspace. */
const SAFE_CONFIG = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.autocrlf=false",
  "core.safecrlf=false",
  "core.symlinks=true",
  "core.filemode=true",
  "core.quotepath=false",
  "core.splitIndex=false",
  "gc.auto=0",
  "maintenance.auto=false",
  "index.version=4",
];

/**
 * Attributes in $GIT_DIR/info/attributes override the workspace's .gitattributes: no eol conversion, no
 * filter (LFS and friends), no encoding change — a restored file gets exactly the bytes it had.
 */
const NEUTRAL_ATTRIBUTES = "* -text -filter -ident -working-tree-encoding !eol\n";

export function shadowGitDir(configHome: string, cwd: string): string {
  return join(projectDir(configHome, cwd), "checkpoints.git");
}

export interface ShadowRepoOptions {
  configHome: string;
  /** The workspace: git's work tree. */
  workTree: string;
  sessionId: string;
}

export interface GitRun {
  stdin?: string | Buffer;
  /** Exit codes that are not failures (check-ignore answers 1 for "none ignored"). */
  okCodes?: number[];
}

export class ShadowRepo {
  readonly gitDir: string;
  readonly workTree: string;
  readonly indexFile: string;
  private ready = false;
  /** git processes still running, each with a promise of its exit. */
  private readonly running = new Map<ChildProcess, Promise<void>>();
  /** The tree written from the index, with the index file's size and mtime at that moment. */
  private lastTree: { tree: string; size: number; mtimeMs: number } | undefined;

  constructor(options: ShadowRepoOptions) {
    this.gitDir = shadowGitDir(options.configHome, options.workTree);
    this.workTree = options.workTree;
    this.indexFile = join(this.gitDir, "session-index", options.sessionId);
  }

  /** Creates the repository on first use and seeds a new session's index from the newest one (warm stat data). */
  ensure(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return this.init().then(() => {
      this.ready = true;
    });
  }

  private async init(): Promise<void> {
    if (!existsSync(join(this.gitDir, "HEAD"))) {
      // What `git init` would make, minus hooks and samples: no process to wait for on a project's first change.
      for (const dir of ["objects/info", "objects/pack", "refs/heads", "refs/tags"]) {
        mkdirSync(join(this.gitDir, dir), { recursive: true, mode: 0o700 });
      }
      writeFileSync(join(this.gitDir, "config"), "[core]\n\trepositoryformatversion = 0\n\tbare = false\n");
      // HEAD last: its presence is what marks the repository as made.
      writeFileSync(join(this.gitDir, "HEAD"), "ref: refs/heads/main\n");
    }
    mkdirSync(join(this.gitDir, "info"), { recursive: true });
    writeFileSync(join(this.gitDir, "info", "attributes"), NEUTRAL_ATTRIBUTES);
    const indexDir = join(this.gitDir, "session-index");
    mkdirSync(indexDir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.indexFile)) {
      const newest = newestFile(indexDir);
      if (newest) copyFileSync(newest, this.indexFile);
    }
  }

  /** True when this session's index exists, or another session's can seed it (the project was seen before). */
  hasIndex(): boolean {
    const dir = join(this.gitDir, "session-index");
    return existsSync(this.indexFile) || (existsSync(dir) && newestFile(dir) !== undefined);
  }

  /** The tree of the index, when the index has not changed since it was written. */
  async cachedTree(): Promise<string | undefined> {
    const last = this.lastTree;
    if (!last) return undefined;
    const stat = await fs.stat(this.indexFile).catch(() => undefined);
    return stat && stat.size === last.size && stat.mtimeMs === last.mtimeMs ? last.tree : undefined;
  }

  async rememberTree(tree: string): Promise<void> {
    const stat = await fs.stat(this.indexFile).catch(() => undefined);
    this.lastTree = stat ? { tree, size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  }

  /** Stops every git process still running (git removes its index.lock on SIGTERM) and waits for their exit. */
  async stopAll(): Promise<void> {
    for (const child of this.running.keys()) child.kill("SIGTERM");
    await Promise.all(this.running.values());
  }

  /** Runs git on the shadow repository; resolves with stdout, rejects with a CheckpointError. */
  run(args: string[], options: GitRun = {}): Promise<Buffer> {
    return this.git(args, options);
  }

  private git(args: string[], options: GitRun = {}): Promise<Buffer> {
    const userExclude = join(this.workTree, ".git", "info", "exclude");
    const config = [
      ...SAFE_CONFIG,
      `core.excludesFile=${existsSync(userExclude) ? userExclude : "/dev/null"}`,
    ];
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.gitDir,
      LC_ALL: "C",
      GIT_DIR: this.gitDir,
      GIT_WORK_TREE: this.workTree,
      GIT_INDEX_FILE: this.indexFile,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_ATTR_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_NO_REPLACE_OBJECTS: "1",
    };
    const argv = [...config.flatMap((c) => ["-c", c]), ...args];
    return new Promise((resolve, reject) => {
      const child = spawn("git", argv, { cwd: this.workTree, env, stdio: ["pipe", "pipe", "pipe"] });
      this.running.set(
        child,
        new Promise<void>((exited) => child.on("close", () => exited())).finally(() =>
          this.running.delete(child),
        ),
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", (error: NodeJS.ErrnoException) => {
        reject(
          new CheckpointError(
            error.code === "ENOENT"
              ? "git is not installed (checkpoints need it: install git)"
              : `git could not start (${error.code ?? error.message})`,
          ),
        );
      });
      child.on("close", (code) => {
        if (code === 0 || (code !== null && options.okCodes?.includes(code))) {
          resolve(Buffer.concat(out));
          return;
        }
        const message = Buffer.concat(err).toString("utf8").trim().split("\n").pop() ?? "";
        if (/index\.lock/.test(message)) {
          reject(
            new CheckpointError("another claw is using this session's checkpoints right now; try again"),
          );
          return;
        }
        reject(new CheckpointError(`git ${args[0]} failed: ${message || `exit ${code}`}`));
      });
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin ?? "");
    });
  }
}

function newestFile(dir: string): string | undefined {
  let best: { path: string; mtime: number } | undefined;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (stat.isFile() && (!best || stat.mtimeMs > best.mtime)) best = { path, mtime: stat.mtimeMs };
    } catch {
      // removed while we looked
    }
  }
  return best?.path;
}

/** Splits git's NUL-terminated output into its entries. */
export function splitNul(output: Buffer): string[] {
  return output
    .toString("utf8")
    .split("\0")
    .filter((s) => s.length > 0);
}
