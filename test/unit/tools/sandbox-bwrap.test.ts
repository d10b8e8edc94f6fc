// The bubblewrap command line and the proxy's host check.
import { describe, expect, it } from "vitest";
import { bwrapArgv, mountArgs } from "../../../src/tools/sandbox-bwrap.js";
import { hostAllowed } from "../../../src/tools/sandbox-proxy.js";

describe("mountArgs", () => {
  it("mounts shallow paths first, so a hidden path inside the writable workspace stays hidden", () => {
    const args = mountArgs({
      writable: ["/w/proj"],
      tmpDir: "/tmp/claw/s/sandbox-tmp",
      readOnly: ["/w/proj/.git/hooks"],
      hidden: [
        { path: "/w/proj/secrets", directory: true },
        { path: "/home/u/.ssh", directory: true },
        { path: "/home/u/.claude/credentials.json", directory: false },
      ],
    });
    const at = (path: string) => args.lastIndexOf(path);
    expect(at("/w/proj/secrets")).toBeGreaterThan(at("/w/proj"));
    expect(at("/w/proj/.git/hooks")).toBeGreaterThan(at("/w/proj"));
    expect(args.join(" ")).toContain("--ro-bind /dev/null /home/u/.claude/credentials.json");
    expect(args.join(" ")).toContain("--tmpfs /home/u/.ssh --remount-ro /home/u/.ssh");
  });

  it("hides a path even when a writable root is the same path", () => {
    const args = mountArgs({
      writable: ["/w/x"],
      tmpDir: "/t",
      readOnly: [],
      hidden: [{ path: "/w/x", directory: true }],
    });
    expect(args.indexOf("--tmpfs")).toBeGreaterThan(args.indexOf("--bind"));
  });
});

describe("bwrapArgv", () => {
  it("isolates PID, IPC and network, and runs the user's shell with the command as one argument", () => {
    const argv = bwrapArgv({
      bwrap: "/usr/bin/bwrap",
      shell: "/bin/bash",
      command: "echo 'hi there'",
      cwd: "/w/proj",
      mounts: { writable: ["/w/proj"], tmpDir: "/t", readOnly: [], hidden: [] },
    });
    expect(argv.slice(0, 5)).toEqual([
      "/usr/bin/bwrap",
      "--die-with-parent",
      "--unshare-pid",
      "--unshare-ipc",
      "--unshare-net",
    ]);
    expect(argv.slice(-3)).toEqual(["/bin/bash", "-c", "echo 'hi there'"]);
  });
});

describe("hostAllowed", () => {
  it("allows listed hosts and their subdomains only", () => {
    expect(hostAllowed("api.example.com", ["example.com"])).toBe(true);
    expect(hostAllowed("example.com", ["*.example.com"])).toBe(true);
    expect(hostAllowed("evilexample.com", ["example.com"])).toBe(false);
    expect(hostAllowed("127.0.0.1", ["127.0.0.1"])).toBe(true);
    expect(hostAllowed("localhost", ["127.0.0.1"])).toBe(false);
  });
});
