// The bubblewrap command line that confines one shell command: the whole filesystem read-only, writable only
// the workspace roots and a private temp dir, protected files inside them read-only again, secrets hidden, its
// own PID, IPC and network namespaces. With a network bridge, socat inside forwards a loopback port to claw's
// proxy socket, so allowed hosts are reachable and nothing else is.
import { existingKind, findExecutable, firstErrorLine, type SandboxBackend } from "./sandbox-shared.js";

/** Where the proxy listens inside the sandbox's own network namespace. */
const BRIDGE_PORT = 3128;
/** Own PID, IPC and network namespaces; the whole filesystem read-only, with fresh /dev and /proc. */
const ISOLATION = [
  "--die-with-parent",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-net",
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
];

export interface SandboxMounts {
  /** Real paths the command may write (workspace roots, --add-dir); empty in read-only mode. */
  writable: readonly string[];
  /** The private temp dir (always writable; TMPDIR points here). */
  tmpDir: string;
  /** Existing paths inside writable roots that stay read-only (git hooks and config, claw settings). */
  readOnly: readonly string[];
  /** Existing paths to hide: directories become empty, files read as empty. */
  hidden: ReadonlyArray<{ path: string; directory: boolean }>;
}

export interface SandboxBridge {
  /** claw's proxy, listening on a Unix socket visible inside the sandbox. */
  socketPath: string;
  /** The loopback port inside the sandbox that HTTP(S)_PROXY names. */
  port: number;
  socat: string;
}

type MountOp = { path: string; args: string[]; order: number };

function depth(path: string): number {
  return path.split("/").filter(Boolean).length;
}

/**
 * Mounts in the order bwrap needs: a later mount covers an earlier one at or above its path, so shallower
 * paths go first and, at equal depth, writable < read-only < hidden (hiding always wins).
 */
export function mountArgs(mounts: SandboxMounts): string[] {
  const ops: MountOp[] = [];
  for (const path of [...mounts.writable, mounts.tmpDir])
    ops.push({ path, args: ["--bind", path, path], order: 0 });
  for (const path of mounts.readOnly) ops.push({ path, args: ["--ro-bind", path, path], order: 1 });
  for (const { path, directory } of mounts.hidden) {
    const args = directory
      ? ["--perms", "0500", "--tmpfs", path, "--remount-ro", path]
      : ["--ro-bind", "/dev/null", path];
    ops.push({ path, args, order: 2 });
  }
  ops.sort((a, b) => depth(a.path) - depth(b.path) || a.order - b.order);
  return ops.flatMap((op) => op.args);
}

/** The full argv: bwrap, its options, then the shell running `command` (through the bridge when there is one). */
export function bwrapArgv(options: {
  bwrap: string;
  shell: string;
  command: string;
  cwd: string;
  mounts: SandboxMounts;
  bridge?: SandboxBridge | undefined;
}): string[] {
  const { bridge } = options;
  const base = [options.bwrap, ...ISOLATION, ...mountArgs(options.mounts), "--chdir", options.cwd, "--"];
  if (!bridge) return [...base, options.shell, "-c", options.command];
  return [...base, "/bin/sh", "-c", bridgeScript(bridge), "claw-sandbox", options.shell, options.command];
}

/**
 * Starts socat on the sandbox's loopback, waits until it listens (so the command's first request does not
 * race it), then replaces itself with the user's shell. socat dies with the sandbox's PID namespace.
 */
function bridgeScript(bridge: SandboxBridge): string {
  const hexPort = bridge.port.toString(16).toUpperCase().padStart(4, "0");
  const socat = shellQuote(bridge.socat);
  const target = shellQuote(`UNIX-CONNECT:${bridge.socketPath}`);
  return [
    `${socat} TCP-LISTEN:${bridge.port},bind=127.0.0.1,fork,reuseaddr ${target} </dev/null >/dev/null 2>&1 &`,
    "i=0",
    `while ! grep -q ':${hexPort} 00000000:0000 0A' /proc/net/tcp 2>/dev/null && [ "$i" -lt 300 ]; do i=$((i+1)); sleep 0.01; done`,
    'exec "$1" -c "$2"',
  ].join("\n");
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The Linux backend: bwrap (and socat, when hosts are allowed) on PATH, able to create namespaces. */
export const bwrapBackend: SandboxBackend = {
  name: "bubblewrap",
  async probe({ path, allowedDomains }) {
    const bwrap = findExecutable("bwrap", path);
    if (!bwrap) {
      return {
        ok: false,
        reason: "bubblewrap (bwrap) is not installed; install it (e.g. apt-get install bubblewrap)",
      };
    }
    const failure = await firstErrorLine(bwrap, [...ISOLATION, "true"]);
    if (failure !== null) {
      return {
        ok: false,
        reason: `bwrap cannot create namespaces here (${failure}); allow unprivileged user namespaces (Ubuntu 24.04: sysctl kernel.apparmor_restrict_unprivileged_userns=0) or give the container that capability`,
      };
    }
    const socat = allowedDomains.length > 0 ? findExecutable("socat", path) : undefined;
    const warning =
      allowedDomains.length > 0 && !socat
        ? "socat is not installed, so sandboxed commands get no network, not even to allowed hosts; install it (e.g. apt-get install socat)"
        : undefined;
    return {
      ok: true,
      proxyListen: socat ? "unix" : undefined,
      ...(warning ? { warning } : {}),
      wrap(plan) {
        const proxy = plan.proxy;
        const bridge =
          socat && proxy && "socketPath" in proxy
            ? { socketPath: proxy.socketPath, port: BRIDGE_PORT, socat }
            : undefined;
        const mounts: SandboxMounts = {
          writable: plan.writable,
          tmpDir: plan.tmpDir,
          readOnly: plan.protectedPaths.existing,
          hidden: plan.hidden.flatMap(existingKind),
        };
        const argv = bwrapArgv({
          bwrap,
          shell: plan.shell,
          command: plan.command,
          cwd: plan.cwd,
          mounts,
          bridge,
        });
        return bridge ? { argv, proxyUrl: `http://127.0.0.1:${BRIDGE_PORT}` } : { argv };
      },
    };
  },
};
