// Issue 11 class 7 end to end: with `Bash(curl:*)` denied, no spelling of the command that hides the name
// from the plain words reaches a `curl` on PATH, even in bypassPermissions mode.
import { execFileSync } from "node:child_process";
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

describe("class 7: a copy of a denied program under another name", () => {
  const touch = execFileSync("sh", ["-c", "command -v touch"]).toString().trim();
  const marker = (n: number) => join(e2e.sandbox.root, `TOUCHED-${n}`);

  it.each([
    ["default mode with every Bash call allowed", ["--allowedTools", "Bash"]],
    ["bypassPermissions mode", ["--permission-mode", "bypassPermissions"]],
  ])("in %s, running it from the workspace or a temp folder asks (denied in -p)", async (_mode, flags) => {
    const root = e2e.sandbox.root;
    const commands = [
      `cp ${touch} ./t1 && ./t1 ${marker(1)}`,
      `cp ${touch} ${root}/t3 && ${root}/t3 ${marker(3)}`,
      `cp ${touch} t4 && timeout 5 ./t4 ${marker(4)}`,
      `cp ${touch} t5 && find . -maxdepth 0 -exec ./t5 ${marker(5)} \\;`,
      `cp ${touch} t6 && PATH=.:$PATH t6 ${marker(6)}`,
      `cp ${touch} t7 && export PATH=$PWD:$PATH && t7 ${marker(7)}`,
      `cp ${touch} t8 && sh -c './t8 ${marker(8)}'`,
      `cp ${touch} t9 && ./t? ${marker(9)}`,
      `ln -s ${touch} t10 && ./t10 ${marker(10)}`,
      `cp ${touch} t11 && alias t11=./t11 && t11 ${marker(11)}`,
    ];
    const { results, run } = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [bash(`cp ${touch} ./t2`), bash(`./t2 ${marker(2)}`), ...commands.map(bash)],
      [...flags, "--disallowedTools", "Bash(touch:*)"],
    );
    expect(run.code).toBe(0);
    expect(results).toHaveLength(commands.length + 2);
    for (const result of results.slice(1)) {
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/cannot tell whether this runs what it names|denied by the rule/);
    }
    for (let n = 1; n <= 11; n++) expect(existsSync(marker(n))).toBe(false);
  });

  it("programs on PATH, builtins and system paths still run; without a Bash rule a workspace program runs", async () => {
    writeFileSync(join(e2e.sandbox.workspace, "run.sh"), "#!/bin/sh\necho RAN-SCRIPT\n");
    chmodSync(join(e2e.sandbox.workspace, "run.sh"), 0o755);
    const flags = ["--permission-mode", "bypassPermissions"];
    const denied = await runToolCalls(
      e2e.mock,
      e2e.sandbox,
      [bash("echo one && ls / >/dev/null && cd . && /bin/echo two && git --version"), bash("./run.sh")],
      [...flags, "--disallowedTools", "Bash(touch:*)"],
    );
    expect(denied.results[0]).toMatchObject({ isError: false, text: expect.stringContaining("two") });
    expect(denied.results[1]?.isError).toBe(true);
    e2e.mock.reset();
    const free = await runToolCalls(e2e.mock, e2e.sandbox, [bash("./run.sh")], flags);
    expect(free.results[0]).toMatchObject({ isError: false, text: expect.stringContaining("RAN-SCRIPT") });
  });
});
