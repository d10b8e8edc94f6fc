// The macOS backend: `sandbox-exec -p <profile> shell -c command` with a Seatbelt (SBPL) profile built per call.
// The policy is bubblewrap's: reads everywhere except hidden paths, writes only in the writable roots and the
// private temp dir with protected paths inside them read-only, and no network except claw's proxy — which on
// macOS (no network namespace) listens on a loopback port, the only outbound address the profile allows.
//
// Seatbelt matches the real path of a file (symlinks resolved, /tmp is /private/tmp), so every path in the
// profile is resolved first. Rules are ordered broad to narrow, allow before deny, so the narrower rule decides
// whichever way a path matches several (later rules take precedence in SBPL).
import { realpathSync } from "node:fs";
import { dirname, sep } from "node:path";
import {
  exists,
  findExecutable,
  firstErrorLine,
  realPathOf,
  type SandboxBackend,
  type SandboxPlan,
} from "./sandbox-shared.js";

/** Device files any command writes to (output redirected to /dev/null, a terminal, /dev/fd/N). */
const DEVICE_WRITES = [
  '(literal "/dev/null")',
  '(literal "/dev/zero")',
  '(literal "/dev/tty")',
  '(literal "/dev/ptmx")',
  '(literal "/dev/dtracehelper")',
  '(subpath "/dev/fd")',
  '(regex #"^/dev/ttys[0-9]+$")',
];

/** What one profile allows; every path real and absolute. */
export interface SeatbeltPolicy {
  /** Writable directories: workspace roots, --add-dir dirs, the private temp dir. */
  writable: readonly string[];
  /** Inside writable roots: paths (and what is below them) that stay read-only, existing or not. */
  readOnly: readonly string[];
  /** Existing directories above protected or hidden paths inside a root: they may not be renamed or removed. */
  pinned: readonly string[];
  /** Paths (and what is below them) that can be neither read nor written. */
  hidden: readonly string[];
  /** The loopback port of claw's proxy; undefined: no network at all. */
  proxyPort?: number | undefined;
}

/** A path as an SBPL string literal: quotes and backslashes escaped, so no path can end the string early. */
export function sbplString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function rule(action: "allow" | "deny", operations: string, filters: readonly string[]): string[] {
  return filters.length === 0 ? [] : [`(${action} ${operations}\n  ${filters.join("\n  ")})`];
}

const subpaths = (paths: readonly string[]) =>
  [...new Set(paths)].map((path) => `(subpath ${sbplString(path)})`);
const literals = (paths: readonly string[]) =>
  [...new Set(paths)].map((path) => `(literal ${sbplString(path)})`);

export function seatbeltProfile(policy: SeatbeltPolicy): string {
  const port = policy.proxyPort;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new Error(`invalid proxy port ${port}`);
  return [
    "(version 1)",
    "(allow default)",
    // Files: read everything, write nowhere ...
    "(deny file-write*)",
    // ... but in the writable roots and a few devices,
    ...rule("allow", "file-write*", [...subpaths(policy.writable), ...DEVICE_WRITES]),
    // except protected paths and the folders holding them (renaming those would carry the contents away),
    ...rule("deny", "file-write*", [...subpaths(policy.readOnly), ...literals(policy.pinned)]),
    // and hidden paths, which are neither readable nor writable anywhere.
    ...rule("deny", "file-read* file-write*", subpaths(policy.hidden)),
    // Network: nothing, not even name resolution, except claw's proxy on the loopback.
    "(deny network*)",
    ...(port === undefined ? [] : [`(allow network-outbound (remote ip "localhost:${port}"))`]),
    // Scripting other applications (osascript → Terminal) would run commands outside the sandbox.
    "(deny appleevent-send)",
    "",
  ].join("\n");
}

/**
 * The policy for one call from the plan: real paths, each protected or hidden path by its real and its given
 * name, and the existing folders between a writable root and what it protects or hides.
 */
export function seatbeltPolicy(
  plan: SandboxPlan,
  realpath: (path: string) => string = realpathSync,
): SeatbeltPolicy {
  const real = (path: string) => realPathOf(path, realpath);
  const writable = [...plan.writable, plan.tmpDir].map(real);
  const both = (paths: readonly string[]) => paths.flatMap((path) => [...new Set([path, real(path)])]);
  const readOnly = both([...plan.protectedPaths.existing, ...plan.protectedPaths.missing]);
  const hidden = both(plan.hidden);
  const pinned = new Set<string>();
  for (const path of [...readOnly, ...hidden]) {
    const root = writable.find((dir) => path.startsWith(`${dir}${sep}`));
    if (!root) continue;
    for (let dir = dirname(path); dir.startsWith(`${root}${sep}`); dir = dirname(dir))
      if (exists(dir)) pinned.add(dir);
  }
  const proxy = plan.proxy;
  return {
    writable,
    readOnly,
    pinned: [...pinned],
    hidden,
    proxyPort: proxy && "port" in proxy ? proxy.port : undefined,
  };
}

export function seatbeltArgv(sandboxExec: string, plan: SandboxPlan, policy: SeatbeltPolicy): string[] {
  return [sandboxExec, "-p", seatbeltProfile(policy), plan.shell, "-c", plan.command];
}

/** The macOS backend: sandbox-exec on PATH (it ships in /usr/bin), able to apply a profile here. */
export const seatbeltBackend: SandboxBackend = {
  name: "seatbelt",
  async probe({ path }) {
    const sandboxExec = findExecutable("sandbox-exec", path);
    if (!sandboxExec) {
      return {
        ok: false,
        reason: "sandbox-exec was not found (macOS ships it as /usr/bin/sandbox-exec); put /usr/bin on PATH",
      };
    }
    const failure = await firstErrorLine(sandboxExec, ["-p", "(version 1)(allow default)", "/usr/bin/true"]);
    if (failure !== null) {
      return {
        ok: false,
        reason: `sandbox-exec cannot apply a profile here (${failure}); claw may already be running inside a sandbox`,
      };
    }
    // The operations claw's own profiles use must be known to this macOS version.
    const none = ["/nonexistent/claw-probe"];
    const shape = seatbeltProfile({
      writable: ["/"],
      readOnly: none,
      pinned: none,
      hidden: none,
      proxyPort: 1,
    });
    const unknown = await firstErrorLine(sandboxExec, ["-p", shape, "/usr/bin/true"]);
    if (unknown !== null) return { ok: false, reason: `sandbox-exec rejects claw's profile (${unknown})` };
    return {
      ok: true,
      proxyListen: "tcp",
      wrap(plan) {
        const policy = seatbeltPolicy(plan);
        const argv = seatbeltArgv(sandboxExec, plan, policy);
        return policy.proxyPort === undefined
          ? { argv }
          : { argv, proxyUrl: `http://127.0.0.1:${policy.proxyPort}` };
      },
    };
  },
};
