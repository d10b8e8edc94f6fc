// FAULTS.md rows whose "Nothing lost" part lives in the session file, checked through print mode: A1 (one user
// message after retries), A3 (partial text never committed), A12/I2 (prompt kept on 413), I1 (no empty turn),
// I3 (invalid text in -p gives a valid JSON body), I6/I7 (SIGINT/SIGTERM in a backoff sleep: prompt exit, valid JSONL).
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSession } from "../../src/session/session-load.js";
import { projectDir } from "../../src/session/session-paths.js";
import { CLAW_COMMAND, cleanEnv, type RunClawResult, runClaw, spawnClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const FAST = {
  CLAW_RETRY_BASE_MS: "1",
  CLAW_STREAM_IDLE_TIMEOUT_MS: "1000",
  CLAW_HEADERS_TIMEOUT_MS: "1000",
};

function claw(args: string[], input?: string): Promise<RunClawResult> {
  return runClaw(args, { sandbox: e2e.sandbox, env: e2e.env(FAST), input });
}

function sessionFiles(): string[] {
  const dir = projectDir(e2e.sandbox.configHome, e2e.sandbox.workspace);
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function onlySession() {
  const files = sessionFiles();
  expect(files).toHaveLength(1);
  return loadSession(files[0]!);
}

/** Every line of the file parses on its own: no torn or interleaved record. */
function expectValidJsonl(path: string): void {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) expect(() => JSON.parse(line)).not.toThrow();
}

type Block = { type: string; text?: string };
const userTexts = (messages: { role: string; content: string | Block[] }[]) =>
  messages
    .filter((m) => m.role === "user")
    .map((m) => (typeof m.content === "string" ? m.content : m.content.map((b) => b.text ?? "").join("")));

describe("A1: retries add no user message to the session", () => {
  it("after two 429s the session holds one user message and one answer", async () => {
    e2e.mock.enqueue(
      reply.rateLimited({ retryAfter: 0 }),
      reply.rateLimited({ retryAfter: 0 }),
      reply.text("ok"),
    );
    const r = await claw(["-p", "only once"]);
    expect(r.code).toBe(0);
    expect(e2e.mock.messageRequests()).toHaveLength(3);
    const session = onlySession();
    expect(session.warnings).toEqual([]);
    expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(userTexts(session.messages)).toEqual(["only once"]);
  });
});

describe("A3–A6: partial text of a broken stream is never committed", () => {
  it.each([
    ["A3 overloaded_error event", reply.streamError({ afterText: "PARTIAL-XYZ " })],
    ["A4 socket reset", reply.resetMidStream({ afterText: "PARTIAL-XYZ " })],
    ["A5 stall", reply.stall({ afterText: "PARTIAL-XYZ " })],
    ["A6 bad JSON line", reply.badJson({ afterText: "PARTIAL-XYZ " })],
  ])("%s: the retried answer is the only assistant turn", async (_name, fault) => {
    e2e.mock.enqueue(fault, reply.text("whole answer"));
    const r = await claw(["-p", "hi"]);
    expect(r.code).toBe(0);
    const session = onlySession();
    expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(JSON.stringify(session.messages)).not.toContain("PARTIAL-XYZ");
    expect(JSON.stringify(session.messages[1])).toContain("whole answer");
    // The retry resent the same history, not one with the partial text in it.
    expect(JSON.stringify(e2e.mock.messageRequests()[1]?.body.messages)).not.toContain("PARTIAL-XYZ");
  });
});

describe("I1: an empty prompt records nothing", () => {
  it.each([[["-p", ""]], [["-p", " \n\t "]]])("%j: nothing sent, no session file", async (args) => {
    const r = await claw(args, "   \n");
    expect(r.code).toBe(1);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
    expect(sessionFiles()).toEqual([]);
  });
});

describe("I2/A12: a 1 MB prompt on stdin", () => {
  const big = `${"0123456789abcdef".repeat(65_536)}-END-OF-PASTE`;

  it("is sent whole, as valid JSON", async () => {
    e2e.mock.enqueue(reply.text("got it"));
    const r = await claw(["-p", "summarise"], big);
    expect(r.code).toBe(0);
    const [request] = e2e.mock.messageRequests();
    expect(request?.body).toBeDefined();
    expect(JSON.stringify(request?.body.messages)).toContain(big);
  });

  it("on 413 is not retried, the error offers compaction, and the session keeps the text", async () => {
    e2e.mock.enqueue(reply.promptTooLong(413), reply.text("never"));
    const r = await claw(["-p", "summarise"], big);
    expect(r.code).toBe(1);
    expect(e2e.mock.messageRequests()).toHaveLength(1);
    expect(r.stderr).toMatch(/too long|too large/i);
    expect(r.stderr).toMatch(/compact/i);
    const session = onlySession();
    expect(userTexts(session.messages).join("")).toContain(big);
  });
});

describe("I3: invalid text in the -p argument", () => {
  it("invalid UTF-8 bytes in argv give a valid JSON body with U+FFFD, deterministically", async () => {
    e2e.mock.enqueue(reply.text("a"), reply.text("b"));
    // argv cannot carry a lone surrogate from JS, so the shell puts raw bytes (0xFF, a lone 0xED 0xA0 0x80
    // surrogate encoding) into it.
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          "sh",
          ["-c", `exec "$@" -p "$(printf 'x\\377y\\355\\240\\200z')"`, "sh", ...CLAW_COMMAND],
          { cwd: e2e.sandbox.workspace, env: cleanEnv(e2e.sandbox, e2e.env(FAST)), stdio: "ignore" },
        );
        child.on("close", resolve);
      });
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const requests = e2e.mock.messageRequests();
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.body).toBeDefined(); // the mock parsed the raw body as JSON
      expect(request.rawBody).not.toMatch(/\\ud[89a-f]/i); // no escaped lone surrogate the API would refuse
    }
    const texts = requests.map((q) => JSON.stringify(q.body.messages));
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).toMatch(/x\uFFFD+y\uFFFD+z/);
  });

  it("a lone surrogate passed from JS is replaced as well", async () => {
    e2e.mock.enqueue(reply.text("ok"));
    const r = await claw(["-p", "a\uD800b\uDC00c"]);
    expect(r.code).toBe(0);
    const request = e2e.mock.messageRequests()[0];
    expect(request?.body).toBeDefined();
    expect(request?.rawBody).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.stringify(request?.body.messages)).toMatch(/a\uFFFD+b\uFFFD+c/);
  });
});

describe("I6/I7: a signal during a backoff sleep", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "%s: exits at once, sends nothing more, leaves valid JSONL with the prompt",
    async (signal) => {
      e2e.mock.enqueue(reply.rateLimited({ retryAfter: 50 }), reply.text("never"));
      const run = spawnClaw(["-p", "keep this prompt"], {
        sandbox: e2e.sandbox,
        env: e2e.env(FAST),
        timeoutMs: 20_000, // far below the 50 s retry-after: a hang shows as timedOut
      });
      await new Promise<void>((resolve) => {
        let seen = "";
        run.child.stderr?.on("data", (d: Buffer) => {
          seen += d.toString();
          if (seen.includes("retrying")) resolve();
        });
      });
      run.child.kill(signal);
      const r = await run.done;
      expect(r.timedOut).toBe(false);
      // 128 + the signal's number, as a shell reports it (issue 11: SIGTERM exited 130).
      expect(r.code).toBe({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal]);
      expect(r.stderr).not.toMatch(/^\s*at /m);
      expect(e2e.mock.messageRequests()).toHaveLength(1);
      const [file] = sessionFiles();
      expect(file).toBeDefined();
      expectValidJsonl(file!);
      const session = loadSession(file!);
      expect(userTexts(session.messages)).toContain("keep this prompt");
    },
  );
});

/** Resolves once `text` has appeared on the child's stdout or stderr. */
function waitForOutput(run: ReturnType<typeof spawnClaw>, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) resolve();
    };
    run.child.stdout?.on("data", onData);
    run.child.stderr?.on("data", onData);
  });
}

describe("I4: Ctrl-C while streaming in print mode", () => {
  it("stops the stream, keeps the prompt and marks the partial answer interrupted", async () => {
    e2e.mock.enqueue(reply.stall({ afterText: "PARTIAL-STREAM " }), reply.text("never"));
    // stream-json with partial messages shows the text as it arrives (piped text waits for whole messages).
    const run = spawnClaw(
      ["-p", "stream please", "--output-format", "stream-json", "--include-partial-messages"],
      {
        sandbox: e2e.sandbox,
        env: e2e.env({ CLAW_RETRY_BASE_MS: "1" }), // the default idle limit: only the signal can end the stall
      },
    );
    await waitForOutput(run, "PARTIAL-STREAM");
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(130);
    expect(e2e.mock.messageRequests()).toHaveLength(1);
    const [file] = sessionFiles();
    expectValidJsonl(file!);
    const session = loadSession(file!);
    expect(userTexts(session.messages)).toContain("stream please");
    // The partial text is kept, marked as cut off, so it never reads as a complete answer.
    const assistant = session.messages.filter((m) => m.role === "assistant");
    expect(assistant).toHaveLength(1);
    expect(JSON.stringify(assistant[0])).toMatch(/PARTIAL-STREAM[\s\S]*interrupted/i);
    // The next run continues from there with a history the API accepts (roles alternate, prompt kept).
    e2e.mock.enqueue(reply.text("resumed"));
    const next = await claw(["-p", "-c", "and then?"]);
    expect(next.code).toBe(0);
    const sent = e2e.mock.messageRequests().at(-1)?.body.messages as Array<{ role: string }>;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(sent)).toContain("stream please");
  });
});

describe("I5/I7: a signal during a Bash call in print mode", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "%s: kills the process group, records an interrupted result, and -c sends a valid history",
    async (signal) => {
      const marker = `claw-faults-${signal}-${process.pid}`;
      e2e.mock.enqueue(
        reply.toolUse({
          name: "Bash",
          input: { command: `sleep 300 & sleep 301 # ${marker}` },
          id: "toolu_sleep",
        }),
      );
      const run = spawnClaw(["-p", "sleep now", "--dangerously-skip-permissions"], {
        sandbox: e2e.sandbox,
        env: e2e.env(FAST),
      });
      const running = () => {
        try {
          return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim() !== "";
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 200 && !running(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(running()).toBe(true);
      run.child.kill(signal);
      const r = await run.done;
      expect(r.timedOut).toBe(false);
      expect(r.code).not.toBe(0);
      for (let i = 0; i < 100 && running(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(running()).toBe(false);

      const [file] = sessionFiles();
      expectValidJsonl(file!);
      e2e.mock.enqueue(reply.text("resumed fine"));
      const next = await claw(["-p", "-c", "go on"]);
      expect(next.code).toBe(0);
      const messages = e2e.mock.messageRequests().at(-1)?.body.messages as Array<{
        role: string;
        content: string | Array<{ type: string; tool_use_id?: string; is_error?: boolean }>;
      }>;
      expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
      const results = (
        messages[2]!.content as Array<{ type: string; tool_use_id?: string; is_error?: boolean }>
      ).filter((b) => b.type === "tool_result");
      expect(results).toEqual([expect.objectContaining({ tool_use_id: "toolu_sleep", is_error: true })]);
      expect(JSON.stringify(messages[2])).toMatch(/interrupted/i);
      expect(JSON.stringify(messages[2])).toContain("go on");
    },
  );
});
