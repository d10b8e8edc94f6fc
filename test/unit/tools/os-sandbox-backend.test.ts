// Which OS sandbox runs where: sandbox-exec on macOS, bubblewrap on Linux (platform and PATH injected). On this
// Linux machine a stand-in sandbox-exec (it drops `-p <profile>` and runs the rest) plays the macOS one, so the
// launch path — profile, proxy on a loopback port, environment — runs for real, without the confinement.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOsSandbox, type OsSandbox, sandboxBackendFor } from "../../../src/tools/os-sandbox.js";
import { bwrapBackend } from "../../../src/tools/sandbox-bwrap.js";
import { seatbeltBackend } from "../../../src/tools/sandbox-seatbelt.js";
import { sbplDecide } from "../../support/sbpl.js";

let dir = "";
let bin = "";
const sandboxes: OsSandbox[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "claw-backend-"));
  bin = join(dir, "bin");
  mkdirSync(bin);
});
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function script(name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function sandbox(platform: NodeJS.Platform, allowedDomains: string[] = []): OsSandbox {
  const ws = join(dir, "ws");
  mkdirSync(ws, { recursive: true });
  const made = createOsSandbox({
    privateDir: join(dir, "private"),
    writableRoots: () => [ws],
    hiddenPaths: () => [join(dir, "home", ".ssh")],
    allowedDomains,
    path: bin,
    platform,
  });
  sandboxes.push(made);
  return made;
}

/** A sandbox-exec that records its profile and runs the command unconfined. */
const FAKE_SANDBOX_EXEC = `[ "$1" = "-p" ] || exit 64\nprintf '%s' "$2" > "$(dirname "$0")/profile.sb"\nshift 2\nexec "$@"`;

describe("sandboxBackendFor", () => {
  it("picks Seatbelt on macOS, bubblewrap on Linux, nothing elsewhere", () => {
    expect(sandboxBackendFor("darwin")).toBe(seatbeltBackend);
    expect(sandboxBackendFor("linux")).toBe(bwrapBackend);
    expect(sandboxBackendFor("win32")).toBeUndefined();
  });
});

describe("createOsSandbox on macOS (a stand-in sandbox-exec)", () => {
  it("without sandbox-exec on PATH: not available, saying where it should be", async () => {
    const probe = await sandbox("darwin").probe();
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toContain("/usr/bin/sandbox-exec");
  });

  it("a sandbox-exec that cannot apply a profile: not available, with its own message", async () => {
    script("sandbox-exec", "echo 'sandbox-exec: sandbox_apply: Operation not permitted' >&2; exit 71");
    const probe = await sandbox("darwin").probe();
    expect(!probe.ok && probe.reason).toContain("sandbox_apply: Operation not permitted");
  });

  it("ignores bwrap on macOS and sandbox-exec on Linux", async () => {
    script("bwrap", "exec true");
    script("socat", "exec true");
    expect((await sandbox("darwin").probe()).ok).toBe(false);
    rmSync(join(bin, "bwrap"));
    script("sandbox-exec", FAKE_SANDBOX_EXEC);
    const linux = await sandbox("linux").probe();
    expect(!linux.ok && linux.reason).toContain("bubblewrap (bwrap) is not installed");
    expect(await sandbox("freebsd").probe()).toEqual({
      ok: false,
      reason: "claw has no OS sandbox for freebsd (only Linux and macOS)",
    });
  });

  it("wraps the command in sandbox-exec with the profile, and without allowed hosts opens no proxy", async () => {
    script("sandbox-exec", FAKE_SANDBOX_EXEC);
    const os = sandbox("darwin");
    expect(await os.probe()).toEqual({ ok: true, backend: "seatbelt", network: false });
    const launch = await os.launch("/bin/sh", "echo ran in $TMPDIR", join(dir, "ws"));
    expect(launch.argv[0]).toBe(join(bin, "sandbox-exec"));
    expect(launch.argv.slice(3)).toEqual(["/bin/sh", "-c", "echo ran in $TMPDIR"]);
    expect(launch.env.HTTPS_PROXY).toBeUndefined();
    expect(launch.env).toHaveProperty("HTTPS_PROXY");
    const profile = launch.argv[2] ?? "";
    expect(sbplDecide(profile, "file-write-data", join(dir, "ws", "a"))).toBe("allow");
    expect(sbplDecide(profile, "file-write-data", join(dir, "elsewhere"))).toBe("deny");
    expect(sbplDecide(profile, "file-write-data", join(dir, "ws", ".mcp.json"))).toBe("deny");
    expect(sbplDecide(profile, "file-read-data", join(dir, "home", ".ssh", "id_rsa"))).toBe("deny");
    expect(sbplDecide(profile, "network-outbound", "localhost:3128")).toBe("deny");

    const ran = spawnSync(launch.argv[0] ?? "", launch.argv.slice(1), {
      env: { PATH: "/usr/bin:/bin", TMPDIR: launch.env.TMPDIR },
      encoding: "utf8",
    });
    expect(ran.stdout.trim()).toBe(`ran in ${os.tmpDir}`);
    expect(readFileSync(join(bin, "profile.sb"), "utf8")).toBe(profile);
  });

  it("with allowed hosts: the proxy listens on a loopback port, the only one the profile allows, and HTTP(S)_PROXY names it", async () => {
    script("sandbox-exec", FAKE_SANDBOX_EXEC);
    const os = sandbox("darwin", ["allowed.example"]);
    expect(await os.probe()).toEqual({ ok: true, backend: "seatbelt", network: true });
    const launch = await os.launch("/bin/sh", "true", join(dir, "ws"));
    const url = new URL(launch.env.HTTPS_PROXY ?? "");
    expect(url.hostname).toBe("127.0.0.1");
    expect(launch.env.http_proxy).toBe(launch.env.HTTPS_PROXY);
    const profile = launch.argv[2] ?? "";
    expect(sbplDecide(profile, "network-outbound", `localhost:${url.port}`)).toBe("allow");
    expect(sbplDecide(profile, "network-outbound", `localhost:${Number(url.port) + 1}`)).toBe("deny");

    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), "127.0.0.1", () =>
        socket.write("CONNECT blocked.example:443 HTTP/1.1\r\nHost: blocked.example:443\r\n\r\n"),
      );
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk;
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toContain("403");
    expect(answer).toContain("network access to blocked.example is blocked");
  });

  it("undoes a protected file the command managed to create", async () => {
    script("sandbox-exec", FAKE_SANDBOX_EXEC);
    const os = sandbox("darwin");
    const launch = await os.launch("/bin/sh", "true", join(dir, "ws"));
    writeFileSync(join(dir, "ws", ".mcp.json"), "{}");
    expect(launch.undoProtectedCreations()).toEqual([join(dir, "ws", ".mcp.json")]);
  });
});
