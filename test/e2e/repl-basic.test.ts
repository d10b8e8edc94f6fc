// The REPL in a real terminal (tmux): banner, a prompt with its streamed markdown answer, /help, exits.
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-" });

describe("REPL basics", () => {
  it("shows the banner, sends a prompt and renders the streamed markdown answer", async () => {
    e2e.mock.enqueue(
      reply.text(
        "# Result\n\nHere is **bold** and `code`:\n\n- one\n- two\n\n```js\nconst x = 1;\n```\n\nDone.",
        {
          chunks: 12,
        },
      ),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("explain the thing");
    const screen = await e2e.tmux.waitFor("Done.");
    expect(screen).toContain("> explain the thing");
    expect(screen).toContain("# Result");
    expect(screen).toContain("Here is bold and `code`:");
    expect(screen).toContain("• one");
    expect(screen).toContain("const x = 1;");
    expect(e2e.mock.messageRequests()).toHaveLength(1);
    const body = e2e.mock.messageRequests()[0]!.body;
    expect(JSON.stringify(body.messages.at(-1))).toContain("explain the thing");
  });

  it("never sends an empty or whitespace-only prompt", async () => {
    e2e.start();
    await e2e.ready();
    e2e.tmux.send("Enter");
    e2e.submit("   ");
    e2e.tmux.send(["C-u"]);
    e2e.submit("/cost");
    await e2e.tmux.waitFor("Total cost");
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("/help lists commands; an unknown command gets a suggestion", async () => {
    e2e.start();
    await e2e.ready();
    e2e.submit("/help");
    let screen = await e2e.tmux.waitFor("Keys:", { history: true });
    expect(screen).toContain("/compact");
    expect(screen).toContain("/resume");
    e2e.submit("/stauts");
    screen = await e2e.tmux.waitFor("Did you mean");
    expect(screen).toContain("/status");
  });

  it("/context splits the context into system prompt, tools and messages", async () => {
    e2e.start();
    await e2e.ready();
    e2e.submit("/context");
    const screen = await e2e.tmux.waitFor("Free");
    const tokens = (label: string) => {
      const m = new RegExp(`${label}\\s+([\\d.]+)(k?)`).exec(screen);
      return m ? Number(m[1]) * (m[2] ? 1000 : 1) : Number.NaN;
    };
    // Before any request every part is an estimate; the system prompt and the built-in tools are never empty.
    expect(tokens("System prompt")).toBeGreaterThan(100);
    expect(tokens("Built-in tools")).toBeGreaterThan(1000);
    expect(tokens("MCP tools")).toBe(0);
    expect(e2e.mock.messageRequests()).toHaveLength(0);
  });

  it("sends a 300 KB bracketed paste in full while showing a placeholder", async () => {
    e2e.mock.enqueue(reply.text("got the paste"));
    e2e.start();
    await e2e.ready();
    const big = Array.from({ length: 5000 }, (_, i) => `pasted line ${i} ${"x".repeat(40)}`).join("\n");
    e2e.tmux.type("summarise: ");
    e2e.tmux.paste(big);
    const screen = await e2e.tmux.waitFor("[Pasted text #1 +5000 lines]");
    expect(screen).not.toContain("pasted line 4999");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("got the paste");
    const sent = JSON.stringify(e2e.mock.messageRequests()[0]!.body.messages.at(-1));
    expect(sent).toContain("summarise: pasted line 0 ");
    expect(sent).toContain("pasted line 4999 ");
  });

  it("Ctrl+C during a stream interrupts; a second Ctrl+C within 2 s exits", async () => {
    e2e.mock.enqueue(
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
    e2e.start();
    await e2e.ready();
    e2e.submit("go");
    await e2e.tmux.waitFor("partial words");
    e2e.tmux.send("C-c");
    await e2e.tmux.waitFor((s) => s.includes("Interrupted by user") && /│ > go/.test(s));
    e2e.tmux.send("C-c");
    expect(await e2e.tmux.waitForExit()).toBe(0);
  });

  it("exits on Ctrl+C twice", async () => {
    e2e.start();
    await e2e.ready();
    e2e.tmux.send("C-c");
    await e2e.tmux.waitFor("Press Ctrl+C again to exit");
    e2e.tmux.send("C-c");
    expect(await e2e.tmux.waitForExit()).toBe(0);
  });

  it("exits on /exit and on Ctrl+D twice with an empty prompt, saying how to resume", async () => {
    e2e.mock.enqueue(reply.text("noted"));
    e2e.start();
    await e2e.ready();
    e2e.submit("remember this");
    await e2e.tmux.waitFor("noted");
    e2e.submit("/exit");
    expect(await e2e.tmux.waitForExit()).toBe(0);
    const id = /claw -r ([0-9a-f-]{36})/.exec(e2e.tmux.capture())?.[1];
    expect(id).toBeDefined();

    e2e.newTmux();
    e2e.start(["-r", id!]);
    await e2e.ready();
    e2e.tmux.type("x");
    e2e.tmux.send("C-d");
    e2e.tmux.send("BSpace");
    e2e.tmux.send("C-d");
    // One press only warns: a stray Ctrl+D does not end the session.
    await e2e.tmux.waitFor("Press Ctrl+D again to exit");
    expect(e2e.tmux.running()).toBe(true);
    e2e.tmux.send("C-d");
    expect(await e2e.tmux.waitForExit()).toBe(0);
    expect(e2e.tmux.capture()).toContain(`claw -r ${id}`);
  });

  it("starts with the prompt given on the command line", async () => {
    e2e.mock.enqueue(reply.text("answer to the first prompt"));
    e2e.start(["say hello"]);
    await e2e.tmux.waitFor("answer to the first prompt");
    expect(JSON.stringify(e2e.mock.messageRequests()[0]!.body.messages)).toContain("say hello");
  });

  it("respects NO_COLOR and colours otherwise", async () => {
    e2e.mock.enqueue(reply.text("plain `code` and **bold**"), reply.text("coloured `code` and **bold**"));
    e2e.start([], { env: { NO_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("hi");
    await e2e.tmux.waitFor("plain `code`");
    const plain = e2e.tmux.capture({ escapes: true });
    // Only inverse video (the cursor) may appear; no colours, bold or dim.
    const params = [...plain.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => m[1]!.split(";"));
    expect(params.filter((p) => !["", "0", "7", "27", "39", "49"].includes(p))).toEqual([]);
    e2e.newTmux();
    e2e.start([], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    await e2e.ready();
    e2e.submit("hi");
    await e2e.tmux.waitFor("coloured code");
    expect(e2e.tmux.capture({ escapes: true })).toMatch(/\x1b\[[0-9;]*3[0-9]m/);
  });
});
