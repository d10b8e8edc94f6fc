// The OS sandbox for shell commands: bubblewrap namespaces per call on Linux, a Seatbelt profile per call
// (sandbox-exec) on macOS, plus a proxy for allowed hosts. Which backend runs is decided here, in one place.
//
// Why our own thin wrapper and not @anthropic-ai/sandbox-runtime (measured here, Node 20, as root): it declares
// Node >= 22.12, brings zod 3, node-forge and 19 MB (Windows binaries included), needs `rg` on PATH, and cost
// ~0.5-1 s to import, ~0.6 s to initialize and ~0.1 s to wrap plus ~0.2-0.35 s to run `echo hi` per call,
// against ~0.04-0.07 s for a bare bwrap call on the same machine. What claw needs is a few bwrap options.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bwrapBackend } from "./sandbox-bwrap.js";
import { type SandboxProxy, startSandboxProxy } from "./sandbox-proxy.js";
import { seatbeltBackend } from "./sandbox-seatbelt.js";
import {
  type BackendProbe,
  type ProxyEndpoint,
  protectedPathsIn,
  proxyEnv,
  type SandboxBackend,
  undoCreations,
} from "./sandbox-shared.js";

export { findExecutable } from "./sandbox-shared.js";

export type SandboxProbe =
  | {
      ok: true;
      backend: SandboxBackend["name"];
      /** Whether allowed hosts are reachable (false: no network at all, e.g. socat missing). */
      network: boolean;
      warning?: string;
    }
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
  /** PATH to look for the sandbox's programs in (default process.env.PATH). */
  path?: string;
  /** The operating system (default process.platform). */
  platform?: NodeJS.Platform;
}

export interface SandboxLaunch {
  argv: string[];
  /** Variables to set (or, when undefined, remove) in the command's environment. */
  env: Record<string, string | undefined>;
  /**
   * Call when the command has ended: removes protected paths it created (bubblewrap can keep only existing
   * ones read-only; Seatbelt refuses creating them too) and returns them. Creating them needs the user's approval, as changing them does.
   */
  undoProtectedCreations(): string[];
}

export interface OsSandbox {
  readonly tmpDir: string;
  /** Whether the sandbox works here; run once, at start-up. */
  probe(): Promise<SandboxProbe>;
  /** The argv (and environment changes) that run `shell -c command` in the sandbox; probe() must have passed. */
  launch(shell: string, command: string, cwd: string): Promise<SandboxLaunch>;
  close(): Promise<void>;
}

/** The backend for an operating system: Seatbelt on macOS, bubblewrap on Linux, none elsewhere. */
export function sandboxBackendFor(platform: NodeJS.Platform): SandboxBackend | undefined {
  if (platform === "darwin") return seatbeltBackend;
  if (platform === "linux") return bwrapBackend;
  return undefined;
}

export function createOsSandbox(options: OsSandboxOptions): OsSandbox {
  const tmpDir = join(options.privateDir, "sandbox-tmp");
  const netDir = join(options.privateDir, "sandbox-net");
  const platform = options.platform ?? process.platform;
  let probed: Promise<BackendProbe> | undefined;
  let proxy: Promise<SandboxProxy> | undefined;

  function probeBackend(): Promise<BackendProbe> {
    const backend = sandboxBackendFor(platform);
    if (!backend)
      return Promise.resolve({
        ok: false,
        reason: `claw has no OS sandbox for ${platform} (only Linux and macOS)`,
      });
    return backend.probe({ path: options.path ?? process.env.PATH, allowedDomains: options.allowedDomains });
  }

  async function proxyFor(listen: "unix" | "tcp" | undefined): Promise<ProxyEndpoint | undefined> {
    if (!listen || options.allowedDomains.length === 0) return undefined;
    if (!proxy) {
      mkdirSync(netDir, { recursive: true, mode: 0o700 });
      const where = listen === "unix" ? { socketPath: join(netDir, "proxy.sock") } : { port: 0 };
      proxy = startSandboxProxy({ listen: where, allowedDomains: options.allowedDomains });
    }
    return (await proxy).endpoint;
  }

  return {
    tmpDir,
    async probe() {
      probed ??= probeBackend();
      const found = await probed;
      if (!found.ok) return found;
      const backend = sandboxBackendFor(platform)?.name ?? "bubblewrap";
      const network = found.proxyListen !== undefined && options.allowedDomains.length > 0;
      return { ok: true, backend, network, ...(found.warning ? { warning: found.warning } : {}) };
    },
    async launch(shell, command, cwd) {
      probed ??= probeBackend();
      const backend = await probed;
      if (!backend.ok) throw new Error(`the sandbox cannot run here: ${backend.reason}`);
      mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
      const writable = options.writableRoots();
      const protectedPaths = protectedPathsIn(writable);
      const { argv, proxyUrl } = backend.wrap({
        shell,
        command,
        cwd,
        writable,
        tmpDir,
        protectedPaths,
        hidden: options.hiddenPaths(),
        proxy: await proxyFor(backend.proxyListen),
      });
      return {
        argv,
        env: proxyEnv(tmpDir, proxyUrl),
        undoProtectedCreations: () => undoCreations(protectedPaths.missing),
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
