// What every OS sandbox backend shares: the plan of one confined call (writable roots, protected paths inside
// them, hidden paths, the proxy), how a backend plugs in, and the path and environment helpers both use.
import { execFile } from "node:child_process";
import { accessSync, constants, lstatSync, realpathSync, rmSync } from "node:fs";
import { basename, delimiter, dirname, join, sep } from "node:path";

/** Inside writable roots these stay read-only: changing them needs the user's approval (FAULTS T11). */
export const PROTECTED_IN_ROOTS = [
  ".git/hooks",
  ".git/config",
  ".claude/settings.json",
  ".claude/settings.local.json",
  ".claude/hooks",
  ".claw/settings.json",
  ".claw/settings.local.json",
  ".claw/hooks",
  ".husky",
  ".githooks",
  ".mcp.json",
];
const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "FTP_PROXY"];

/** Where claw's proxy for allowed hosts listens: a Unix socket (bubblewrap bridges it) or a loopback port. */
export type ProxyEndpoint = { socketPath: string } | { port: number };

/** Everything a backend needs to confine one `shell -c command`. */
export interface SandboxPlan {
  shell: string;
  command: string;
  cwd: string;
  /** Paths the command may write (workspace roots, --add-dir); empty in read-only mode. */
  writable: readonly string[];
  /** The private temp dir (always writable; TMPDIR points here). */
  tmpDir: string;
  protectedPaths: ProtectedPaths;
  /** Paths to hide from reads (and writes); they may not exist. */
  hidden: readonly string[];
  /** claw's proxy, when allowed hosts are reachable. */
  proxy?: ProxyEndpoint | undefined;
}

/** A backend that works here: how to wrap a call, and how it reaches the proxy (if it can). */
export interface BackendReady {
  ok: true;
  /** How the proxy must listen for this backend; undefined: no network at all (e.g. socat missing). */
  proxyListen: "unix" | "tcp" | undefined;
  warning?: string;
  /** The argv that runs the plan, and the proxy URL the command's HTTP(S)_PROXY names. */
  wrap(plan: SandboxPlan): { argv: string[]; proxyUrl?: string };
}

export type BackendProbe = BackendReady | { ok: false; reason: string };

export interface SandboxBackend {
  readonly name: "bubblewrap" | "seatbelt";
  /** Whether this backend works on this machine; `path` is where to look for its programs. */
  probe(options: { path: string | undefined; allowedDomains: readonly string[] }): Promise<BackendProbe>;
}

export function findExecutable(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const PROBE_TIMEOUT_MS = 10_000;

/** Runs a probe command: null when it succeeds, else the first line of its error output. */
export function firstErrorLine(file: string, args: readonly string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: PROBE_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (!error) resolve(null);
      else resolve(stderr.trim().split("\n")[0] || error.message);
    });
  });
}

export interface ProtectedPaths {
  /** Protected paths that exist now: kept read-only. */
  existing: string[];
  /**
   * Protected paths that do not exist yet and must not be created (removed afterwards if the backend could not
   * stop it). Those inside a .git that does not exist yet are left out: a repository the command creates itself
   * (git init) brings its own config and sample hooks.
   */
  missing: string[];
}

export function protectedPathsIn(roots: readonly string[]): ProtectedPaths {
  const all = roots.flatMap((root) => PROTECTED_IN_ROOTS.map((rel) => join(root, rel)));
  const existing = all.filter(exists);
  const missing = all.filter(
    (path) => !existing.includes(path) && !(path.includes(`${sep}.git${sep}`) && !exists(gitDirOf(path))),
  );
  return { existing, missing };
}

/** Removes the protected paths a command created after all, and returns them. */
export function undoCreations(missing: readonly string[]): string[] {
  const created = missing.filter(exists);
  for (const path of created) rmSync(path, { recursive: true, force: true });
  return created;
}

/** The command's proxy variables: claw's own removed, and all pointing at claw's proxy when there is one. */
export function proxyEnv(tmpDir: string, proxyUrl: string | undefined): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { TMPDIR: tmpDir };
  for (const name of PROXY_VARIABLES) {
    env[name] = undefined;
    env[name.toLowerCase()] = undefined;
  }
  if (proxyUrl) {
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
      env[name] = proxyUrl;
      env[name.toLowerCase()] = proxyUrl;
    }
  }
  return env;
}

function gitDirOf(path: string): string {
  return path.slice(0, path.indexOf(`${sep}.git${sep}`) + `${sep}.git`.length);
}

export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real location of an existing path and whether it is a directory; nothing for a missing one. */
export function existingKind(path: string): Array<{ path: string; directory: boolean }> {
  try {
    const real = realpathSync(path);
    return [{ path: real, directory: lstatSync(real).isDirectory() }];
  } catch {
    return [];
  }
}

/**
 * The real path of `path` even when it does not exist: its nearest existing ancestor resolved (symlinks,
 * /tmp → /private/tmp on macOS) with the missing rest appended.
 */
export function realPathOf(path: string, realpath: (path: string) => string = realpathSync): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpath(at), ...rest.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(basename(at));
      at = parent;
    }
  }
}
