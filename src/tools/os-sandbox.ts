// The OS sandbox for shell commands on Linux: bubblewrap namespaces per call, plus a proxy for allowed hosts.
//
// Why our own thin wrapper and not @anthropic-ai/sandbox-runtime (measured here, Node 20, as root): it declares
// Node >= 22.12, brings zod 3, node-forge and 19 MB (Windows binaries included), needs `rg` on PATH, and cost
// ~0.5-1 s to import, ~0.6 s to initialize and ~0.1 s to wrap plus ~0.2-0.35 s to run `echo hi` per call,
// against ~0.04-0.07 s for a bare bwrap call on the same machine. What claw needs is a few bwrap options.
import { execFile } from "node:child_process";
import { accessSync, constants, lstatSync, mkdirSync, realpathSync, rmSync } from "node:fs";
import { delimiter, join, sep } from "node:path";
import { bwrapArgv, type SandboxBridge, type SandboxMounts } from "./sandbox-bwrap.js";
import { type SandboxProxy, startSandboxProxy } from "./sandbox-proxy.js";

/** Where the proxy listens inside the sandbox's own network namespace. */
const BRIDGE_PORT = 3128;
const PROBE_TIMEOUT_MS = 10_000;
/** Inside writable roots these stay read-only: changing them needs the user's approval (FAULTS T11). */
const PROTECTED_IN_ROOTS = [
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

export type SandboxProbe =
  | { ok: true; bwrap: string; socat?: string; warning?: string }
  | { ok: false; reason: string };

export interface OsSandboxOptions {
  /** A private directory of this session; the sandbox's temp dir and proxy socket live below it. */
  privateDir: string;
  /** Real paths commands may write now (empty in read-only mode). */
  writableRoots: () => readonly string[];
  /** Paths to hide for this call (they may not exist). */
  hiddenPaths: () => readonly string[];
  /** Hosts reachable through the proxy; empty: no network at all. */
  allowedDomains: readonly string[];
  /** PATH to look for bwrap and socat in (default process.env.PATH). */
  path?: string;
}

export interface SandboxLaunch {
  argv: string[];
  /** Variables to set (or, when undefined, remove) in the command's environment. */
  env: Record<string, string | undefined>;
  /**
   * Call when the command has ended: removes protected paths it created (a bind mount can keep only existing
   * ones read-only) and returns them. Creating them needs the user's approval, as changing them does.
   */
  undoProtectedCreations(): string[];
}

export interface OsSandbox {
  readonly tmpDir: string;
  /** Whether bwrap works here; run once, at start-up. */
  probe(): Promise<SandboxProbe>;
  /** The argv (and environment changes) that run `shell -c command` in the sandbox; probe() must have passed. */
  launch(shell: string, command: string, cwd: string): Promise<SandboxLaunch>;
  close(): Promise<void>;
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

export function createOsSandbox(options: OsSandboxOptions): OsSandbox {
  const tmpDir = join(options.privateDir, "sandbox-tmp");
  const netDir = join(options.privateDir, "sandbox-net");
  let probed: Promise<SandboxProbe> | undefined;
  let proxy: Promise<SandboxProxy> | undefined;

  async function bridgeFor(probe: SandboxProbe): Promise<SandboxBridge | undefined> {
    if (!probe.ok || !probe.socat || options.allowedDomains.length === 0) return undefined;
    if (!proxy) {
      mkdirSync(netDir, { recursive: true, mode: 0o700 });
      proxy = startSandboxProxy({
        socketPath: join(netDir, "proxy.sock"),
        allowedDomains: options.allowedDomains,
      });
    }
    const started = await proxy;
    return { socketPath: started.socketPath, port: BRIDGE_PORT, socat: probe.socat };
  }

  return {
    tmpDir,
    probe() {
      probed ??= probeSandbox(options);
      return probed;
    },
    async launch(shell, command, cwd) {
      const probe = await this.probe();
      if (!probe.ok) throw new Error(`the sandbox cannot run here: ${probe.reason}`);
      mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
      const writable = options.writableRoots();
      const protectedPaths = writable.flatMap((root) => PROTECTED_IN_ROOTS.map((rel) => join(root, rel)));
      const existing = protectedPaths.filter(exists);
      // A repository the command creates itself (git init) brings its own config and sample hooks.
      const missing = protectedPaths.filter(
        (path) => !existing.includes(path) && !(path.includes(`${sep}.git${sep}`) && !exists(gitDirOf(path))),
      );
      const mounts: SandboxMounts = {
        writable,
        tmpDir,
        readOnly: existing,
        hidden: options.hiddenPaths().flatMap(existingKind),
      };
      const bridge = await bridgeFor(probe);
      const env: Record<string, string | undefined> = { TMPDIR: tmpDir };
      for (const name of PROXY_VARIABLES) {
        env[name] = undefined;
        env[name.toLowerCase()] = undefined;
      }
      if (bridge) {
        const url = `http://127.0.0.1:${bridge.port}`;
        for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
          env[name] = url;
          env[name.toLowerCase()] = url;
        }
      }
      return {
        argv: bwrapArgv({ bwrap: probe.bwrap, shell, command, cwd, mounts, bridge }),
        env,
        undoProtectedCreations: () => {
          const created = missing.filter(exists);
          for (const path of created) rmSync(path, { recursive: true, force: true });
          return created;
        },
      };
    },
    async close() {
      const started = proxy;
      proxy = undefined;
      if (started) await (await started.catch(() => undefined))?.close();
      rmSync(netDir, { recursive: true, force: true });
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

function gitDirOf(path: string): string {
  return path.slice(0, path.indexOf(`${sep}.git${sep}`) + `${sep}.git`.length);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real location of an existing path and whether it is a directory; nothing for a missing one. */
function existingKind(path: string): Array<{ path: string; directory: boolean }> {
  try {
    const real = realpathSync(path);
    return [{ path: real, directory: lstatSync(real).isDirectory() }];
  } catch {
    return [];
  }
}

async function probeSandbox(options: OsSandboxOptions): Promise<SandboxProbe> {
  const path = options.path ?? process.env.PATH;
  const bwrap = findExecutable("bwrap", path);
  if (!bwrap) {
    return {
      ok: false,
      reason: "bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap)",
    };
  }
  const failure = await new Promise<string | null>((resolve) => {
    execFile(
      bwrap,
      [
        "--die-with-parent",
        "--unshare-pid",
        "--unshare-net",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "true",
      ],
      { timeout: PROBE_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        if (!error) resolve(null);
        else resolve(stderr.trim().split("\n")[0] || error.message);
      },
    );
  });
  if (failure !== null) {
    return {
      ok: false,
      reason: `bwrap cannot create namespaces here (${failure}); allow unprivileged user namespaces (Ubuntu 24.04: sysctl kernel.apparmor_restrict_unprivileged_userns=0) or give the container that capability`,
    };
  }
  if (options.allowedDomains.length === 0) return { ok: true, bwrap };
  const socat = findExecutable("socat", path);
  if (!socat) {
    return {
      ok: true,
      bwrap,
      warning:
        "socat is not installed, so sandboxed commands get no network, not even to allowed hosts; install it (e.g. apt-get install socat)",
    };
  }
  return { ok: true, bwrap, socat };
}
