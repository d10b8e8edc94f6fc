// The REPL in a real terminal (tmux): banner, a prompt with its streamed markdown answer, /help, exits.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLAW_JS, cleanEnv, makeSandbox, type Sandbox } from "../support/claw-runner.js";
import { type MockAnthropic, reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { TmuxSession } from "../support/tmux.js";

let mock: MockAnthropic;
let sandbox: Sandbox;
let tmux: TmuxSession;

beforeEach(async () => {
  mock = await startMockAnthropic();
  sandbox = makeSandbox("claw-repl-");
  tmux = new TmuxSession();
});

afterEach(async () => {
  tmux.kill();
  await mock.close();
  sandbox.cleanup();
});

function startClaw(args: string[] = [], env: Record<string, string> = {}): void {
  tmux.start({
    command: [process.execPath, CLAW_JS, ...args],
    env: cleanEnv(sandbox, { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url, ...env }),
    cwd: sandbox.workspace,
  });
}

describe("REPL basics", () => {
  it("shows the banner, sends a prompt and renders the streamed markdown answer", async () => {
    mock.enqueue(
      reply.text(
        "# Result\n\nHere is **bold** and `code`:\n\n- one\n- two\n\n```js\nconst x = 1;\n```\n\nDone.",
        {
          chunks: 12,
        },
      ),
    );
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.type("explain the thing");
    tmux.send("Enter");
    const screen = await tmux.waitFor("Done.");
    expect(screen).toContain("> explain the thing");
    expect(screen).toContain("# Result");
    expect(screen).toContain("Here is bold and `code`:");
    expect(screen).toContain("• one");
    expect(screen).toContain("const x = 1;");
    expect(mock.messageRequests()).toHaveLength(1);
    const body = mock.messageRequests()[0]!.body;
    expect(JSON.stringify(body.messages.at(-1))).toContain("explain the thing");
  });

  it("never sends an empty or whitespace-only prompt", async () => {
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.send("Enter");
    tmux.type("   ");
    tmux.send("Enter");
    tmux.send(["C-u"]);
    tmux.type("/cost");
    tmux.send("Enter");
    await tmux.waitFor("Total cost");
    expect(mock.messageRequests()).toHaveLength(0);
  });

  it("/help lists commands; an unknown command gets a suggestion", async () => {
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.type("/help");
    tmux.send("Enter");
    let screen = await tmux.waitFor("Keys:", { history: true });
    expect(screen).toContain("/compact");
    expect(screen).toContain("/resume");
    tmux.type("/stauts");
    tmux.send("Enter");
    screen = await tmux.waitFor("Did you mean");
    expect(screen).toContain("/status");
  });

  it("sends a 300 KB bracketed paste in full while showing a placeholder", async () => {
    mock.enqueue(reply.text("got the paste"));
    startClaw();
    await tmux.waitFor("/help for commands");
    const big = Array.from({ length: 5000 }, (_, i) => `pasted line ${i} ${"x".repeat(40)}`).join("\n");
    tmux.type("summarise: ");
    tmux.paste(big);
    const screen = await tmux.waitFor("[Pasted text #1 +5000 lines]");
    expect(screen).not.toContain("pasted line 4999");
    tmux.send("Enter");
    await tmux.waitFor("got the paste");
    const sent = JSON.stringify(mock.messageRequests()[0]!.body.messages.at(-1));
    expect(sent).toContain("summarise: pasted line 0 ");
    expect(sent).toContain("pasted line 4999 ");
  });

  it("Ctrl+C during a stream interrupts; a second Ctrl+C within 2 s exits", async () => {
    mock.enqueue(
      reply.sse(
        [
          {
            event: "message_start",
            data: {
              type: "message_start",
              message: {
                id: "m1",
                type: "message",
                role: "assistant",
                model: "claude-test",
                content: [],
                stop_reason: null,
                usage: { input_tokens: 5, output_tokens: 1 },
              },
            },
          },
          {
            event: "content_block_start",
            data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
          },
          {
            event: "content_block_delta",
            data: {
              type: "content_block_delta",
              index: 0,
              delta: { type: "text_delta", text: "partial words " },
            },
          },
        ],
        "stall",
      ),
    );
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.type("go");
    tmux.send("Enter");
    await tmux.waitFor("partial words");
    tmux.send("C-c");
    await tmux.waitFor((s) => s.includes("Interrupted by user") && /│ > go/.test(s));
    tmux.send("C-c");
    expect(await tmux.waitForExit()).toBe(0);
  });

  it("exits on Ctrl+C twice", async () => {
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.send("C-c");
    await tmux.waitFor("Press Ctrl+C again to exit");
    tmux.send("C-c");
    expect(await tmux.waitForExit()).toBe(0);
  });

  it("exits on /exit and on Ctrl+D with an empty prompt", async () => {
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.type("/exit");
    tmux.send("Enter");
    expect(await tmux.waitForExit()).toBe(0);
    tmux.kill();
    tmux = new TmuxSession();
    startClaw();
    await tmux.waitFor("/help for commands");
    tmux.type("x");
    tmux.send("C-d");
    tmux.send("BSpace");
    tmux.send("C-d");
    expect(await tmux.waitForExit()).toBe(0);
  });

  it("starts with the prompt given on the command line", async () => {
    mock.enqueue(reply.text("answer to the first prompt"));
    startClaw(["say hello"]);
    await tmux.waitFor("answer to the first prompt");
    expect(JSON.stringify(mock.messageRequests()[0]!.body.messages)).toContain("say hello");
  });

  it("respects NO_COLOR and colours otherwise", async () => {
    mock.enqueue(reply.text("plain `code` and **bold**"), reply.text("coloured `code` and **bold**"));
    startClaw([], { NO_COLOR: "1" });
    await tmux.waitFor("/help for commands");
    tmux.type("hi");
    tmux.send("Enter");
    await tmux.waitFor("plain `code`");
    const plain = tmux.capture({ escapes: true });
    // Only inverse video (the cursor) may appear; no colours, bold or dim.
    const params = [...plain.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => m[1]!.split(";"));
    expect(params.filter((p) => !["", "0", "7", "27", "39", "49"].includes(p))).toEqual([]);
    tmux.kill();
    tmux = new TmuxSession();
    startClaw([], { NO_COLOR: "", FORCE_COLOR: "1" });
    await tmux.waitFor("/help for commands");
    tmux.type("hi");
    tmux.send("Enter");
    await tmux.waitFor("coloured code");
    expect(tmux.capture({ escapes: true })).toMatch(/\x1b\[[0-9;]*3[0-9]m/);
  });
});
