// The README's usage as a new user tries it: help and version anywhere, `claw mcp` usage, `claw config` with no
// settings, multi-value flags as Claude Code takes them, bad flag values, and a reader that closes the pipe early.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLAW_BIN, CLAW_COMMAND, cleanEnv, runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { messageEvents, reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();

const run = (args: string[], input?: string) =>
  runClaw(args, { sandbox: e2e.sandbox, env: e2e.env(), input });

/** The text of the first user message the mock received (the prompt). */
function firstPrompt(): string {
  const first = e2e.mock.messageRequests()[0]?.body.messages[0] as
    | { content: string | Array<{ type: string; text?: string }> }
    | undefined;
  if (!first) return "";
  return typeof first.content === "string" ? first.content : first.content.map((b) => b.text ?? "").join("");
}

describe("help and version", () => {
  it.each([[["-p", "hi", "--help"]], [["login", "--help"]], [["config", "-h"]]])(
    "claw %j prints the help and sends nothing",
    async (args) => {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Usage:");
      expect(r.stdout).toContain("--output-format");
      expect(r.stderr).toBe("");
      expect(e2e.mock.messageRequests()).toHaveLength(0);
    },
  );

  it("--version next to other flags prints the version", async () => {
    const r = await run(["--version", "-p"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^claw \d+\.\d+\.\d+/);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it.each([[["mcp"]], [["mcp", "--help"]], [["mcp", "help"]]])(
    "claw %j prints the mcp usage and succeeds",
    async (args) => {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("claw mcp add");
      expect(r.stderr).toBe("");
    },
  );
});

describe("every option in --help works", () => {
  const SESSION = "0b0e7a52-8f2e-4c55-9a53-6d1f3c9e2a10";
  /** A value for each option that takes one; an option added to the help without a value here fails the test. */
  const values: Record<string, (workspace: string) => string[]> = {
    "--output-format": () => ["json"],
    "--model": () => ["sonnet"],
    "--max-turns": () => ["3"],
    "--system-prompt": () => ["Be brief."],
    "--append-system-prompt": () => ["Be kind."],
    "--permission-mode": () => ["read-only"],
    "--allowedTools": () => ["Read", "Grep"],
    "--disallowedTools": () => ["WebFetch"],
    "--add-dir": (workspace) => [join(workspace, "..")],
    "--resume": () => [SESSION],
    "--session-id": () => [SESSION],
    "--settings": () => ['{"model":"sonnet"}'],
    "--mcp-config": () => ['{"mcpServers":{}}'],
    "--agents": () => ['{"checker": {"description": "Checks", "prompt": "You check."}}'],
    "--input-format": () => ["text"],
    "--setting-sources": () => ["user,project"],
    "--tools": () => ["Read,Grep"],
  };

  it("each option listed is accepted and the run succeeds", async () => {
    const help = (await run(["--help"])).stdout;
    const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)( <[^>]+>)?/gm)].map((m) => ({
      name: m[1] as string,
      takesValue: m[2] !== undefined,
    }));
    expect(options.length).toBeGreaterThan(15);
    // --session-id first (it makes the session that --continue and --resume then use); help/version print only.
    const order = (name: string) =>
      name === "--session-id" ? 0 : name === "--continue" || name === "--resume" ? 2 : 1;
    options.sort((a, b) => order(a.name) - order(b.name));
    for (const { name, takesValue } of options) {
      if (name === "--help" || name === "--version" || name === "--print") continue;
      const make = values[name];
      if (takesValue) expect(make, `a test value for ${name}`).toBeDefined();
      const value = takesValue && make ? make(e2e.sandbox.workspace) : [];
      const r = await run(["-p", "hi", name, ...value]);
      expect(r.stderr, name).not.toMatch(/unknown option|argument missing|is invalid/);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
  }, 120_000);
});

describe("claw config", () => {
  it("with no settings files says claw uses its defaults, without an empty ' = {}' line", async () => {
    const r = await run(["config"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(none: claw uses its defaults)");
    expect(r.stdout).not.toMatch(/^\s*= /m);
    expect(r.stdout).not.toContain("[?]");
  });
});

describe("flag values", () => {
  it.each([[["--model", ""]], [["--model="]], [["--model", "  "]]])(
    "an empty model (%j) is one clear error and nothing is sent",
    async (flag) => {
      const r = await run(["-p", "hi", ...flag]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("--model needs a model name");
      expect(r.stderr).not.toMatch(/^\s*at /m);
      expect(e2e.mock.messageRequests()).toHaveLength(0);
    },
  );

  it("--input-format stream-json (not supported) is refused instead of sending JSON lines as the prompt", async () => {
    const r = await run(["-p", "--input-format", "stream-json"], '{"type":"user"}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--input-format");
    expect(e2e.mock.messageRequests()).toHaveLength(0);
    const text = await run(["-p", "hi", "--input-format", "text"]);
    expect(text.code).toBe(0);
  });

  it("--disallowedTools takes several rules, as in Claude Code, and they do not leak into the prompt", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "echo ran > ran.txt" }, id: "toolu_1" }),
      reply.text("done"),
    );
    const r = await run(["--disallowedTools", "Read", "Bash", "-p", "hello", "--output-format", "json"]);
    expect(r.code).toBe(0);
    expect(firstPrompt()).toBe("hello");
    // Both rules took effect: the tools are not offered, and a call to one anyway is refused, not run.
    const first = e2e.mock.messageRequests()[0]?.body as { tools: Array<{ name: string }> };
    const offered = first.tools.map((t) => t.name);
    expect(offered).not.toContain("Read");
    expect(offered).not.toContain("Bash");
    expect(existsSync(join(e2e.sandbox.workspace, "ran.txt"))).toBe(false);
    const second = e2e.mock.messageRequests()[1]?.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(second.messages.at(-1)?.content)).toMatch(/No tool named \\"Bash\\"/);
  });

  it("--add-dir takes several directories; a file in the second one can be read", async () => {
    const extraA = join(e2e.sandbox.root, "extra-a");
    const extraB = join(e2e.sandbox.root, "extra-b");
    mkdirSync(extraA);
    mkdirSync(extraB);
    writeFileSync(join(extraB, "note.txt"), "note from extra-b\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: join(extraB, "note.txt") }, id: "toolu_1" }),
      reply.text("done"),
    );
    const r = await run(["--add-dir", extraA, extraB, "-p", "read it", "--output-format", "json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { permission_denials: unknown[] };
    expect(result.permission_denials).toEqual([]);
    const toolResult = JSON.stringify(e2e.mock.messageRequests()[1]?.body.messages.at(-1));
    expect(toolResult).toContain("note from extra-b");
    expect(firstPrompt()).toBe("read it");
    expect(r.stderr).toBe("");
  });

  it("a missing --add-dir or --mcp-config file is a one-line warning each, and the run goes on", async () => {
    e2e.mock.enqueue(reply.text("still answered"));
    const missing = join(e2e.sandbox.root, "no-such-dir");
    const r = await run(["-p", "hi", "--add-dir", missing, "--mcp-config", join(missing, "mcp.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("still answered\n");
    expect(r.stderr.trim().split("\n").sort()).toEqual([
      `claw: --add-dir ${missing} is not a directory; it adds nothing`,
      `claw: --mcp-config: cannot read ${join(missing, "mcp.json")}; pass a JSON file or inline JSON.`,
    ]);
  });
});

describe("output to a closed pipe", () => {
  it("stops quietly when the reader goes away (claw -p … | head -1), without an EPIPE stack trace", async () => {
    // The answer arrives after the reader has closed the pipe, so claw's next write fails with EPIPE.
    const message = reply.text("a late answer");
    if (message.kind !== "message") throw new Error("expected a message reply");
    e2e.mock.enqueue(reply.sse([{ pauseMs: 300 }, ...messageEvents(message)]));
    const claw = spawnClaw(["-p", "hi", "--output-format", "stream-json", "--verbose"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    claw.child.stdout?.once("data", () => claw.child.stdout?.destroy());
    const r = await claw.done;
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.stderr).not.toMatch(/^\s*at /m);
  });

  it("the other commands stop quietly too (claw config | head -1)", async () => {
    // 3,000 env settings print ~250 KB: far more than a pipe holds, so writes go on after the reader has left.
    const env = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`SOME_VARIABLE_${i}`, `value-${i}`]),
    );
    mkdirSync(join(e2e.sandbox.workspace, ".claude"), { recursive: true });
    writeFileSync(join(e2e.sandbox.workspace, ".claude", "settings.json"), JSON.stringify({ env }));
    const claw = spawnClaw(["config"], { sandbox: e2e.sandbox, env: e2e.env() });
    claw.child.stdout?.once("data", () => claw.child.stdout?.destroy());
    const r = await claw.done;
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

describe("a deleted working directory", () => {
  it("gets one line saying so instead of a crash", async () => {
    const gone = join(e2e.sandbox.root, "gone");
    mkdirSync(gone);
    // The shell removes the directory it stands in, then starts claw there, as after `rm -rf` in another tab.
    const script = `cd ${JSON.stringify(gone)} && rmdir ${JSON.stringify(gone)} && exec "$@" -p hi`;
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        "sh",
        ["-c", script, "sh", ...CLAW_COMMAND],
        { env: cleanEnv(e2e.sandbox, e2e.env()) },
        (error, _out, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
    expect(r.code).toBe(1);
    // The native build's runtime (Bun) checks the directory before claw's code runs, and says so in its words.
    if (CLAW_BIN)
      expect(r.stderr.trim()).toMatch(
        /^error: The current working directory was deleted.*cd into a different directory/,
      );
    else
      expect(r.stderr).toBe(
        "claw: the current directory no longer exists; cd into a directory and run claw again\n",
      );
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });
});
