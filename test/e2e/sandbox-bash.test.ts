// The OS sandbox for Bash end to end: dist/claw.js -p with settings `sandbox.enabled`, real bubblewrap, the
// mock API scripting the commands. What the sandbox lets through and what it refuses is checked on disk and in
// the tool results the CLI sent back. Needs bwrap (and socat for the network tests); without a bwrap that can
// create namespaces here the sandboxed tests are skipped, and the fallback tests still run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply, TEST_CA_PATH } from "../support/mock-anthropic.js";
import { startMockProxy } from "../support/mock-proxy.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-sandbox-" });

const probe = spawnSync(
  "bwrap",
  ["--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "true"],
  { encoding: "utf8" },
);
const bwrapWorks = probe.status === 0;
const socatFound = spawnSync("sh", ["-c", "command -v socat"]).status === 0;
const curlFound = spawnSync("sh", ["-c", "command -v curl"]).status === 0;
if (!bwrapWorks) {
  console.warn(
    `sandbox e2e: skipping the sandboxed tests, bwrap cannot run here (${probe.error?.message ?? probe.stderr.trim()})`,
  );
}

const SANDBOX_ON = JSON.stringify({ sandbox: { enabled: true } });

type ToolResultBlock = { type: string; tool_use_id: string; content: unknown; is_error?: boolean };

/** The tool results of request `n` (0-based), by tool_use_id, as text. */
function results(n: number): Record<string, string> {
  const body = e2e.mock.messageRequests()[n]?.body as { messages: Array<{ content: unknown }> };
  const blocks = (body?.messages.at(-1)?.content ?? []) as ToolResultBlock[];
  const out: Record<string, string> = {};
  for (const b of blocks) if (b.type === "tool_result") out[b.tool_use_id] = JSON.stringify(b.content);
  return out;
}

/** One prompt in print mode with JSON output; the model's replies are `bash` calls (by id) then "done". */
async function runBash(
  calls: Array<{ id: string; input: Record<string, unknown> }>,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
) {
  e2e.mock.enqueue(
    ...calls.map((c) => reply.toolUse({ name: "Bash", id: c.id, input: c.input })),
    reply.text("done"),
  );
  const r = await runClaw(["-p", "go", "--output-format", "json", ...args], {
    sandbox: e2e.sandbox,
    env: e2e.env({ SHELL: "/bin/bash", ...env }),
    timeoutMs: 60_000,
  });
  const json = JSON.parse(r.stdout || "{}") as { permission_denials?: Array<{ tool_name: string }> };
  return { ...r, json, denied: (json.permission_denials ?? []).length };
}

/** All tool results of the run, merged (each call is answered in its own request). */
function allResults(): Record<string, string> {
  const merged: Record<string, string> = {};
  for (let i = 1; i < e2e.mock.messageRequests().length; i++) Object.assign(merged, results(i));
  return merged;
}

describe.skipIf(!bwrapWorks)("sandboxed Bash (bubblewrap)", () => {
  it("writes inside the workspace and --add-dir folders, cannot write outside them, and runs without asking in -p", async () => {
    const outside = join(e2e.sandbox.root, "outside.txt");
    const extra = join(e2e.sandbox.root, "extra");
    mkdirSync(extra);
    const r = await runBash(
      [
        { id: "in", input: { command: "echo inside > inside.txt && cat inside.txt" } },
        { id: "extra", input: { command: `echo added > ${extra}/added.txt` } },
        { id: "out", input: { command: `echo escaped > ${outside}` } },
        { id: "fail", input: { command: "echo failing; exit 3" } },
      ],
      ["--settings", SANDBOX_ON, "--add-dir", extra],
    );
    expect(r.code).toBe(0);
    expect(r.denied).toBe(0);
    expect(readFileSync(join(e2e.sandbox.workspace, "inside.txt"), "utf8")).toBe("inside\n");
    expect(readFileSync(join(extra, "added.txt"), "utf8")).toBe("added\n");
    expect(existsSync(outside)).toBe(false);
    const res = allResults();
    expect(res.out).toContain("Read-only file system");
    // The model hears about the sandbox's limits when they are what failed, not after any failure.
    expect(res.out).toContain("claw's sandbox");
    expect(res.fail).toContain("Exit code 3");
    expect(res.fail).not.toContain("claw's sandbox");
  });

  it("the same command without the sandbox asks, so -p denies it", async () => {
    const r = await runBash([{ id: "t", input: { command: "touch made.txt" } }]);
    expect(r.code).toBe(0);
    expect(r.denied).toBe(1);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(false);
    const sandboxed = await runBash(
      [{ id: "t", input: { command: "touch made.txt" } }],
      ["--settings", SANDBOX_ON],
    );
    expect(sandboxed.denied).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(true);
  });

  it("hides Read-denied files and built-in secrets from every program, not only from cat", async () => {
    const { workspace, home, configHome } = e2e.sandbox;
    mkdirSync(join(workspace, "secrets"));
    writeFileSync(join(workspace, "secrets", "key.txt"), "WORKSPACE-SECRET\n");
    mkdirSync(join(home, ".ssh"));
    writeFileSync(join(home, ".ssh", "id_ed25519"), "SSH-SECRET\n");
    writeFileSync(join(configHome, "credentials.json"), '{"oauth":{"accessToken":"TOKEN-SECRET"}}\n');
    // A link inside the workspace does not lead around the rule either.
    symlinkSync(join(home, ".ssh"), join(workspace, "ssh-link"));
    writeFileSync(join(workspace, "public.txt"), "PUBLIC\n");
    const settings = JSON.stringify({
      sandbox: { enabled: true },
      permissions: { deny: ["Read(./secrets/**)"] },
    });
    const r = await runBash(
      [
        {
          id: "py",
          input: { command: "python3 -c \"print(open('secrets/key.txt').read())\"; cat public.txt" },
        },
        {
          id: "ssh",
          input: { command: "sh -c 'cat ~/.ssh/id_ed25519; cat ssh-link/id_ed25519; echo ssh-ran'" },
        },
        { id: "creds", input: { command: `sh -c 'grep -r TOKEN ${configHome} || echo no-token'` } },
      ],
      ["--settings", settings],
    );
    expect(r.code).toBe(0);
    const res = allResults();
    expect(res.py).toContain("PUBLIC");
    expect(res.py).not.toContain("WORKSPACE-SECRET");
    expect(res.ssh).toContain("ssh-ran");
    expect(res.ssh).not.toContain("SSH-SECRET");
    expect(res.creds).toContain("no-token");
    expect(res.creds).not.toContain("TOKEN-SECRET");
  });

  it("runs a background shell in the sandbox too", async () => {
    const outside = join(e2e.sandbox.root, "outside-bg.txt");
    const r = await runBash(
      [
        {
          id: "bg",
          input: {
            command: `{ echo x > ${outside}; } 2> bg-err.txt; echo done > bg-done.txt; sleep 30`,
            run_in_background: true,
          },
        },
        { id: "wait", input: { command: "until [ -e bg-done.txt ]; do sleep 0.05; done; cat bg-err.txt" } },
      ],
      ["--settings", SANDBOX_ON],
    );
    expect(r.code).toBe(0);
    const res = allResults();
    expect(res.bg).toContain("in the sandbox");
    expect(res.wait).toContain("Read-only file system");
    expect(existsSync(outside)).toBe(false);
  });

  it("dangerouslyDisableSandbox needs approval: denied in -p, runs outside when an allow rule covers it", async () => {
    const outside = join(e2e.sandbox.root, "escaped.txt");
    const call = { id: "esc", input: { command: `touch ${outside}`, dangerouslyDisableSandbox: true } };
    const denied = await runBash([call], ["--settings", SANDBOX_ON]);
    expect(denied.denied).toBe(1);
    expect(existsSync(outside)).toBe(false);
    const allowed = await runBash([call], ["--settings", SANDBOX_ON, "--allowedTools", "Bash(touch:*)"]);
    expect(allowed.denied).toBe(0);
    expect(existsSync(outside)).toBe(true);
  });

  it("excludedCommands run outside the sandbox, so they ask (denied in -p)", async () => {
    const settings = JSON.stringify({ sandbox: { enabled: true, excludedCommands: ["touch"] } });
    const r = await runBash(
      [{ id: "t", input: { command: "touch excluded.txt" } }],
      ["--settings", settings],
    );
    expect(r.denied).toBe(1);
    expect(existsSync(join(e2e.sandbox.workspace, "excluded.txt"))).toBe(false);
  });

  it("runs the hooks claw starts in the sandbox too", async () => {
    const outside = join(e2e.sandbox.root, "outside-hook.txt");
    const hook = `{ echo x > ${outside}; } 2> hook-err.txt; echo ran > hook-ran.txt`;
    const settings = JSON.stringify({
      sandbox: { enabled: true },
      hooks: { UserPromptSubmit: [{ hooks: [{ type: "command", command: hook }] }] },
    });
    const r = await runBash([], ["--settings", settings]);
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, "hook-ran.txt"))).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(readFileSync(join(e2e.sandbox.workspace, "hook-err.txt"), "utf8")).toContain(
      "Read-only file system",
    );
  });

  it("a timed-out sandboxed command dies with everything it started", async () => {
    // A duration no other test uses, so a leftover can be told apart.
    const marker = "1234.567";
    const r = await runBash(
      [{ id: "slow", input: { command: `sleep ${marker} & sleep ${marker}; wait`, timeout: 1500 } }],
      ["--settings", SANDBOX_ON],
    );
    expect(r.code).toBe(0);
    expect(allResults().slow).toContain("timed out");
    const left = spawnSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" }).stdout.trim();
    expect(left).toBe("");
  });

  it("undoes a settings file the command created, but leaves a repository it initialised alone", async () => {
    const { workspace } = e2e.sandbox;
    const r = await runBash(
      [
        {
          id: "settings",
          // Through sh -c the gate cannot see the name; the sandbox still undoes it.
          input: {
            command: "sh -c 'mkdir -p .claude && echo {} > .claude/settings.json' && echo kept > kept.txt",
          },
        },
        {
          id: "init",
          input: { command: "git init -q . && echo ok" },
        },
      ],
      ["--settings", SANDBOX_ON],
    );
    expect(r.code).toBe(0);
    expect(existsSync(join(workspace, ".claude", "settings.json"))).toBe(false);
    expect(readFileSync(join(workspace, "kept.txt"), "utf8")).toBe("kept\n");
    const res = allResults();
    expect(res.settings).toContain("claw removed .claude/settings.json");
    expect(existsSync(join(workspace, ".git", "config"))).toBe(true);
    expect(res.init).not.toContain("claw removed");
  });

  it("keeps git hooks read-only inside the writable workspace", async () => {
    mkdirSync(join(e2e.sandbox.workspace, ".git", "hooks"), { recursive: true });
    const r = await runBash(
      [{ id: "hook", input: { command: "sh -c 'echo evil > .git/hooks/pre-commit'" } }],
      ["--settings", SANDBOX_ON],
    );
    expect(r.code).toBe(0);
    expect(existsSync(join(e2e.sandbox.workspace, ".git", "hooks", "pre-commit"))).toBe(false);
    expect(allResults().hook).toContain("Read-only file system");
  });
});

describe.skipIf(!bwrapWorks || !socatFound || !curlFound)("the sandbox's network", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end("HELLO-FROM-HOST\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("tunnels HTTPS to an allowed host (CONNECT through the proxy)", async () => {
    const tls = createHttpsServer(
      { key: readFileSync(join(dirname(TEST_CA_PATH), "key.pem")), cert: readFileSync(TEST_CA_PATH) },
      (_req, res) => res.end("HELLO-OVER-TLS\n"),
    );
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const tlsPort = (tls.address() as AddressInfo).port;
    try {
      const r = await runBash(
        [
          {
            id: "tls",
            input: {
              command: `curl -sS --max-time 20 --cacert ${TEST_CA_PATH} https://127.0.0.1:${tlsPort}/`,
            },
          },
        ],
        [
          "--settings",
          JSON.stringify({ sandbox: { enabled: true, network: { allowedDomains: ["127.0.0.1"] } } }),
        ],
      );
      expect(r.code).toBe(0);
      expect(allResults().tls).toContain("HELLO-OVER-TLS");
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it("goes through claw's own HTTP(S)_PROXY to reach an allowed host, for plain requests and tunnels", async () => {
    const upstream = await startMockProxy();
    try {
      const url = `http://localhost:${port}/`;
      const r = await runBash(
        [
          { id: "plain", input: { command: `curl -sS --max-time 20 ${url}` } },
          { id: "tunnel", input: { command: `curl -sS --max-time 20 --proxytunnel ${url}` } },
        ],
        [
          "--settings",
          JSON.stringify({ sandbox: { enabled: true, network: { allowedDomains: ["localhost"] } } }),
        ],
        // The mock API on 127.0.0.1 is reached directly; everything else through the corporate proxy.
        { HTTP_PROXY: upstream.url, HTTPS_PROXY: upstream.url, NO_PROXY: "127.0.0.1" },
      );
      expect(r.code).toBe(0);
      const res = allResults();
      expect(res.plain).toContain("HELLO-FROM-HOST");
      expect(res.tunnel).toContain("HELLO-FROM-HOST");
      expect(upstream.forwarded).toContain(url);
      expect(upstream.connects).toContain(`localhost:${port}`);
    } finally {
      await upstream.close();
    }
  });

  it("is off by default: a request fails fast", async () => {
    const r = await runBash(
      [{ id: "net", input: { command: `curl -sS --max-time 20 http://127.0.0.1:${port}/` } }],
      ["--settings", SANDBOX_ON],
    );
    expect(r.code).toBe(0);
    const res = allResults();
    expect(res.net).not.toContain("HELLO-FROM-HOST");
    expect(res.net).toMatch(/Exit code [1-9]/);
  });

  it("lets an allowed host through the proxy and refuses any other with a clear message", async () => {
    const r = await runBash(
      [
        { id: "ok", input: { command: `curl -sS --max-time 20 http://127.0.0.1:${port}/` } },
        { id: "blocked", input: { command: `curl -sS --max-time 20 http://localhost:${port}/` } },
      ],
      ["--settings", SANDBOX_ON, "--allowedTools", "WebFetch(domain:127.0.0.1)"],
    );
    expect(r.code).toBe(0);
    const res = allResults();
    expect(res.ok).toContain("HELLO-FROM-HOST");
    expect(res.blocked).toContain("network access to localhost is blocked");
    expect(res.blocked).not.toContain("HELLO-FROM-HOST");
  });
});

describe("when the sandbox cannot run", () => {
  /** A PATH with the few programs the command needs (and `extra` in front), but no real bwrap. */
  function pathWithout(extra?: { name: string; script: string }): string {
    const bin = join(e2e.sandbox.root, "bin");
    mkdirSync(bin);
    for (const tool of ["touch", "sh"]) {
      const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    if (extra) writeFileSync(join(bin, extra.name), extra.script, { mode: 0o755 });
    return bin;
  }

  it("a bwrap that cannot create namespaces: one warning saying what to enable, and Bash asks", async () => {
    const bin = pathWithout({
      name: "bwrap",
      script: "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n",
    });
    const r = await runBash([{ id: "t", input: { command: "touch made.txt" } }], ["--settings", SANDBOX_ON], {
      PATH: bin,
    });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split("\n").filter((line) => line.includes("sandbox"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      "cannot create namespaces here (bwrap: No permissions to create new namespace)",
    );
    expect(warnings[0]).toContain("user namespaces");
    expect(r.denied).toBe(1);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(false);
  });

  it("no bwrap: one warning at start-up saying what to install, and Bash asks (denied in -p) instead of running unsandboxed", async () => {
    const bin = pathWithout();
    const r = await runBash([{ id: "t", input: { command: "touch made.txt" } }], ["--settings", SANDBOX_ON], {
      PATH: bin,
    });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split("\n").filter((line) => line.includes("sandbox"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("bubblewrap (bwrap) is not installed");
    expect(warnings[0]).toContain("apt-get install bubblewrap");
    expect(r.denied).toBe(1);
    expect(existsSync(join(e2e.sandbox.workspace, "made.txt"))).toBe(false);
    expect(JSON.stringify(results(1))).toContain("The sandbox is not available");
  });
});
