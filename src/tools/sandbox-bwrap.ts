// The bubblewrap command line that confines one shell command: the whole filesystem read-only, writable only
// the workspace roots and a private temp dir, protected files inside them read-only again, secrets hidden, its
// own PID, IPC and network namespaces. With a network bridge, socat inside forwards a loopback port to claw's
// proxy socket, so allowed hosts are reachable and nothing else is.

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
  const base = [
    options.bwrap,
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
    ...mountArgs(options.mounts),
    "--chdir",
    options.cwd,
    "--",
  ];
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
