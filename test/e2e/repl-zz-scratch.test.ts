import { it } from "vitest";
import { writeFileSync } from "node:fs";
import { CLAW_JS, cleanEnv, makeSandbox } from "../support/claw-runner.js";
import { reply, startMockAnthropic } from "../support/mock-anthropic.js";
import { TmuxSession } from "../support/tmux.js";

it("scratch", async () => {
  const mock = await startMockAnthropic();
  const sandbox = makeSandbox("claw-repl-");
  const tmux = new TmuxSession();
  writeFileSync(`${sandbox.workspace}/a.txt`, "hello\n");
  try {
    mock.enqueue(
      reply.text("# Result\n\nHere is **bold** and `code`:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\nDone.", { chunks: 12 }),
      reply.toolUse({ name: "Bash", input: { command: "echo hi && ls" } }),
      reply.text("ok after tool"),
    );
    tmux.start({ command: [process.execPath, CLAW_JS], env: cleanEnv(sandbox, { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: mock.url }), cwd: sandbox.workspace });
    await tmux.waitFor("/help for commands");
    tmux.type("explain");
    tmux.send("Enter");
    await tmux.waitFor("Done.");
    console.log(tmux.capture());
    tmux.type("run it");
    tmux.send("Enter");
    await new Promise((r) => setTimeout(r, 1500));
    console.log(tmux.capture());
    tmux.send("Enter");
    await new Promise((r) => setTimeout(r, 1500));
    console.log(tmux.capture());
  } finally {
    tmux.kill();
    await mock.close();
    sandbox.cleanup();
  }
});
