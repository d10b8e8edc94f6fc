// Issue 11 class 7 end to end: with `Bash(curl:*)` denied, no spelling of the command that hides the name
// from the plain words reaches a `curl` on PATH, even in bypassPermissions mode.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setupMockApi } from "../support/e2e-context.js";
import { bash, runToolCalls } from "../support/tool-calls.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-deny-" });

describe("class 7: a denied command cannot be reached through what claw cannot see", () => {
  it("Bash(curl:*) denied: globs, IFS, substitution, variables, pipes into sh, interpreters, git aliases", async () => {
    const bin = join(e2e.sandbox.root, "bin");
    const marker = join(e2e.sandbox.root, "CURL-RAN");
    mkdirSync(bin);
    writeFileSync(join(bin, "curl"), `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(join(bin, "curl"), 0o755);
    const commands = [
      `${bin}/cu?l http://127.0.0.1:1/`,
      `${bin}/[c]url x`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      "curl${IFS}http://127.0.0.1:1/",
      "$(echo curl) x",
      "c=curl; $c x",
      "printf 'curl x' | sh",
      "sh <<EOF\ncurl x\nEOF",
      "bash <<< 'curl x'",
      "python3 -c 'import os; os.system(\"curl x\")'",
      "perl -e 'system(\"curl x\")'",
      "git init -q r && cd r && git -c alias.x='!curl x' x",
      "f() { curl x; }; f",
      "echo curl | xargs -I{} {} x",
    ];
    const { results, run } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      commands.map(bash),
      ["--permission-mode", "bypassPermissions", "--disallowedTools", "Bash(curl:*)"],
      { PATH: `${bin}:${process.env.PATH}`, SHELL: "/bin/bash" },
    );
    expect(run.code).toBe(0);
    expect(results).toHaveLength(commands.length);
    for (const result of results) expect(result.text).toMatch(/denied by the rule \\"Bash\(curl:\*\)\\"/);
    expect(existsSync(marker)).toBe(false);
  });

  it("commands that plainly run something else still run", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "a.txt"), "");
    const { results } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [bash("echo curl is denied && ls *")],
      ["--permission-mode", "bypassPermissions", "--disallowedTools", "Bash(curl:*)"],
    );
    expect(results[0]).toMatchObject({ isError: false, text: expect.stringContaining("curl is denied") });
  });
});
