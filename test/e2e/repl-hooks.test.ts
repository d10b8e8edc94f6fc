// SessionStart/SessionEnd hooks in the REPL are told why: startup, then /clear ends one session ("clear") and
// starts the next ("clear"), and leaving ends it with "prompt_input_exit".
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-hooks-" });

describe("REPL session hooks", () => {
  it("reports startup, clear and prompt_input_exit to SessionStart/SessionEnd hooks", async () => {
    const log = join(e2e.sandbox.root, "hooks.log");
    // User settings: the user's own hooks run whether or not the folder is trusted.
    const record = { hooks: [{ type: "command", command: `cat >> '${log}'; echo >> '${log}'` }] };
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({ hooks: { SessionStart: [record], SessionEnd: [record] } }),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("/clear");
    await e2e.tmux.waitFor("Started a new session");
    e2e.submit("/exit");
    await e2e.tmux.waitForExit();
    expect(existsSync(log)).toBe(true);
    const events = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { hook_event_name: string; source?: string; reason?: string });
    expect(events.map((e) => `${e.hook_event_name}:${e.source ?? e.reason}`)).toEqual([
      "SessionStart:startup",
      "SessionEnd:clear",
      "SessionStart:clear",
      "SessionEnd:prompt_input_exit",
    ]);
  });

  it("a hangup ends the REPL even when its shutdown cannot finish (a SessionEnd hook that hangs)", async () => {
    const started = join(e2e.sandbox.root, "end-hook.started");
    const hang = { hooks: [{ type: "command", command: `touch '${started}'; sleep 60` }] };
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({ hooks: { SessionEnd: [hang] } }),
    );
    e2e.start();
    await e2e.ready();
    process.kill(e2e.tmux.programPid(), "SIGHUP");
    // Without the bounded shutdown the hook's 60 s (and a terminal that is gone) would keep claw alive.
    expect(await e2e.tmux.waitForExit(20_000)).toBe(129);
    expect(existsSync(started)).toBe(true);
  }, 30_000);
});
