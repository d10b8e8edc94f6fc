// The macOS Seatbelt profile, read back and evaluated (test/support/sbpl.ts): writes only in the writable roots,
// protected paths read-only, hidden paths unreadable, no network but the proxy port, and paths that cannot
// break out of their string literal. sandbox-exec itself cannot run on this Linux machine.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  sbplString,
  seatbeltArgv,
  seatbeltPolicy,
  seatbeltProfile,
} from "../../../src/tools/sandbox-seatbelt.js";
import { protectedPathsIn, type SandboxPlan } from "../../../src/tools/sandbox-shared.js";
import { parseSbpl, sbplDecide, sbplRules } from "../../support/sbpl.js";

const base = {
  writable: ["/w/proj", "/private/tmp/claw/s/sandbox-tmp"],
  readOnly: ["/w/proj/.git/hooks", "/w/proj/.claude/settings.json"],
  pinned: ["/w/proj/.git", "/w/proj/.claude"],
  hidden: ["/Users/u/.ssh", "/Users/u/.claude/credentials.json", "/w/proj/secrets"],
};

describe("seatbeltProfile", () => {
  const profile = seatbeltProfile({ ...base, proxyPort: 40123 });
  const write = (path: string) => sbplDecide(profile, "file-write-data", path);
  const create = (path: string) => sbplDecide(profile, "file-write-create", path);
  const read = (path: string) => sbplDecide(profile, "file-read-data", path);

  it("allows writes in the writable roots and the temp dir only", () => {
    expect(write("/w/proj/src/a.ts")).toBe("allow");
    expect(create("/w/proj/new/file")).toBe("allow");
    expect(write("/private/tmp/claw/s/sandbox-tmp/x")).toBe("allow");
    expect(write("/dev/null")).toBe("allow");
    for (const outside of [
      "/etc/passwd",
      "/Users/u/.zshrc",
      "/w/project2/x",
      "/w/x",
      "/private/tmp/other",
      "/",
    ])
      expect(write(outside), outside).toBe("deny");
  });

  it("keeps protected paths read-only, and the folders holding them in place", () => {
    expect(write("/w/proj/.git/hooks/pre-commit")).toBe("deny");
    expect(create("/w/proj/.git/hooks")).toBe("deny");
    expect(write("/w/proj/.claude/settings.json")).toBe("deny");
    expect(sbplDecide(profile, "file-write-unlink", "/w/proj/.git")).toBe("deny");
    expect(write("/w/proj/.git/index")).toBe("allow");
    expect(write("/w/proj/.claude/commands/x.md")).toBe("allow");
    expect(read("/w/proj/.git/hooks/pre-commit")).toBe("allow");
  });

  it("hides secrets from reads and writes, inside the workspace too; everything else is readable", () => {
    for (const secret of ["/Users/u/.ssh", "/Users/u/.ssh/id_ed25519", "/Users/u/.claude/credentials.json"]) {
      expect(read(secret), secret).toBe("deny");
      expect(sbplDecide(profile, "file-read-metadata", secret)).toBe("deny");
    }
    expect(read("/w/proj/secrets/key.pem")).toBe("deny");
    expect(write("/w/proj/secrets/key.pem")).toBe("deny");
    expect(read("/Users/u/.sshrc")).toBe("allow");
    expect(read("/etc/hosts")).toBe("allow");
    expect(read("/w/proj/src/a.ts")).toBe("allow");
  });

  it("allows no network but the proxy's loopback port", () => {
    expect(sbplDecide(profile, "network-outbound", "localhost:40123")).toBe("allow");
    expect(sbplDecide(profile, "network-outbound", "127.0.0.1:40123")).toBe("allow");
    expect(sbplDecide(profile, "network-outbound", "127.0.0.1:40124")).toBe("deny");
    expect(sbplDecide(profile, "network-outbound", "93.184.216.34:443")).toBe("deny");
    expect(sbplDecide(profile, "network-bind", "localhost:8080")).toBe("deny");
    expect(sbplDecide(profile, "appleevent-send", "com.apple.Terminal")).toBe("deny");
    const closed = seatbeltProfile(base);
    expect(sbplDecide(closed, "network-outbound", "localhost:40123")).toBe("deny");
    expect(closed).not.toContain("network-outbound");
  });

  it("keeps a path with quotes, parentheses and backslashes inside its string literal", () => {
    const evil = '/w/a"b) (allow file-write* (subpath "/")) (allow network* ("';
    const slashes = "/w/back\\slash\\";
    const hostile = seatbeltProfile({
      writable: [evil, slashes],
      readOnly: [],
      pinned: [],
      hidden: [`${evil}/hidden`],
    });
    const strings = JSON.stringify(parseSbpl(hostile));
    expect(strings).toContain(JSON.stringify({ str: evil }));
    expect(strings).toContain(JSON.stringify({ str: slashes }));
    expect(sbplDecide(hostile, "file-write-data", "/etc/passwd")).toBe("deny");
    expect(sbplDecide(hostile, "network-outbound", "example.com:80")).toBe("deny");
    expect(sbplDecide(hostile, "file-write-data", `${evil}/x`)).toBe("allow");
    expect(sbplDecide(hostile, "file-read-data", `${evil}/hidden/k`)).toBe("deny");
    expect(sbplRules(hostile).map((r) => `${r.action} ${r.operations.join(" ")}`)).toEqual([
      "allow default",
      "deny file-write*",
      "allow file-write*",
      "deny file-read* file-write*",
      "deny network*",
      "deny appleevent-send",
    ]);
    expect(sbplString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("refuses a proxy port that is not a port", () => {
    expect(() => seatbeltProfile({ ...base, proxyPort: 0 })).toThrow(/port/);
    expect(() => seatbeltProfile({ ...base, proxyPort: 70000 })).toThrow(/port/);
  });
});

describe("seatbeltPolicy", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function plan(over: Partial<SandboxPlan>): SandboxPlan {
    return {
      shell: "/bin/zsh",
      command: "echo hi",
      cwd: "/",
      writable: [],
      tmpDir: "/t",
      protectedPaths: { existing: [], missing: [] },
      hidden: [],
      ...over,
    };
  }

  it("resolves symlinks (as /tmp → /private/tmp on macOS), also for paths that do not exist yet", () => {
    const fakeReal = (path: string) => {
      if (path === "/tmp" || path.startsWith("/tmp/")) return `/private${path}`;
      if (path === "/" || path === "/w" || path === "/private") return path;
      throw new Error("ENOENT");
    };
    const policy = seatbeltPolicy(
      plan({
        writable: ["/tmp/ws"],
        tmpDir: "/tmp/claw-s/sandbox-tmp",
        protectedPaths: { existing: [], missing: ["/tmp/ws/.mcp.json"] },
        hidden: ["/tmp/ws/secret"],
      }),
      fakeReal,
    );
    expect(policy.writable).toEqual(["/private/tmp/ws", "/private/tmp/claw-s/sandbox-tmp"]);
    expect(policy.readOnly).toContain("/private/tmp/ws/.mcp.json");
    expect(policy.hidden).toEqual(["/tmp/ws/secret", "/private/tmp/ws/secret"]);
    const profile = seatbeltProfile(policy);
    expect(sbplDecide(profile, "file-write-data", "/private/tmp/ws/a")).toBe("allow");
    expect(sbplDecide(profile, "file-write-create", "/private/tmp/ws/.mcp.json")).toBe("deny");
    expect(sbplDecide(profile, "file-read-data", "/private/tmp/ws/secret")).toBe("deny");
  });

  it("on a real workspace behind a symlink: protects git hooks and config, pins .git, denies the proxy port only", () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "claw-seatbelt-")));
    const real = join(dir, "real");
    mkdirSync(join(real, ".git", "hooks"), { recursive: true });
    writeFileSync(join(real, ".git", "config"), "");
    mkdirSync(join(real, "keys"));
    symlinkSync(real, join(dir, "link"));
    const ws = join(dir, "link");
    const protectedPaths = protectedPathsIn([ws]);
    const p = plan({ writable: [ws], tmpDir: join(dir, "tmp"), protectedPaths, hidden: [join(ws, "keys")] });
    const policy = seatbeltPolicy({ ...p, proxy: { port: 5555 } });
    expect(policy.writable[0]).toBe(real);
    expect(policy.pinned).toEqual([join(real, ".git")]);
    const profile = seatbeltProfile(policy);
    expect(sbplDecide(profile, "file-write-data", join(real, ".git", "config"))).toBe("deny");
    expect(sbplDecide(profile, "file-write-create", join(real, ".git", "hooks", "post-checkout"))).toBe(
      "deny",
    );
    expect(sbplDecide(profile, "file-write-create", join(real, ".claude", "settings.json"))).toBe("deny");
    expect(sbplDecide(profile, "file-write-data", join(real, "src.ts"))).toBe("allow");
    expect(sbplDecide(profile, "file-read-data", join(real, "keys", "id"))).toBe("deny");
    expect(sbplDecide(profile, "network-outbound", "localhost:5555")).toBe("allow");
    const argv = seatbeltArgv("/usr/bin/sandbox-exec", p, policy);
    expect(argv.slice(0, 2)).toEqual(["/usr/bin/sandbox-exec", "-p"]);
    expect(argv.slice(3)).toEqual(["/bin/zsh", "-c", "echo hi"]);
  });
});
