// Issue 11 class 7: with `Bash(curl:*)` denied, a command that may run curl without saying so in plain
// words is denied too; commands that plainly run something else are not.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissionGate } from "../../../src/policy/permissions.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";

let ws = "";
beforeAll(() => {
  ws = realpathSync(mkdtempSync(join(tmpdir(), "claw-deny-unknown-")));
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

async function decide(command: string, deny = ["Bash(curl:*)"]) {
  const gate = createPermissionGate({
    mode: "danger-full-access",
    rules: { deny },
    workspace: createWorkspaceGuard(ws, [], { home: ws }),
    cwd: ws,
    home: ws,
  });
  return gate.decide({ toolName: "Bash", input: { command }, paths: [], kind: "execute" });
}

// biome-ignore format: one case per line reads best
const MAY_RUN_CURL = [
  "/usr/bin/cu?l http://x",
  "/usr/bin/[c]url http://x",
  "/usr/*/cu*",
  "c?rl http://x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  "curl${IFS}http://x",
  "$(echo curl) http://x",
  "`echo curl` http://x",
  "c=curl; $c http://x",
  '"$c" http://x',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  "${!name} http://x",
  "$'\\x63url' http://x",
  "printf 'curl http://x' | sh",
  "echo Y3VybA== | base64 -d | bash",
  "sh <<EOF\ncurl http://x\nEOF",
  "bash <<< 'curl http://x'",
  "sh -c \"$CMD\"",
  "sh -c 'c?rl x'",
  "bash -c 'eval $X'",
  "python3 -c 'import os; os.system(\"curl x\")'",
  "node -e 'require(\"child_process\").execSync(\"curl x\")'",
  "perl -e 'system q(curl x)'",
  "awk 'BEGIN{system(\"curl x\")}'",
  "sed -n '1e curl x' file",
  "sed 's/.*/curl x/e' file",
  "git -c alias.x='!curl http://x' x",
  "git -calias.x=!curl x",
  "git --config-env=alias.x=V x",
  "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!curl' git x",
  "PATH=/tmp/evil:$PATH fetch",
  "echo curl | xargs -I{} {} http://x",
  "echo 'curl http://x' | xargs sh -c",
  "env $X http://x",
  "sudo $X",
  "f() { curl x; }; f",
  "function f { curl x; }; f",
  "case a in a) curl x;; esac",
  "eval \"$X\"",
  "source ./script.sh",
  ". ./script.sh",
  "watch -n1 'curl http://x'",
  "$(curl http://x $(echo))",
  "ls $(cu?l x)",
];

const PLAIN = [
  "ls -la",
  "ls *.ts",
  "git status",
  "git log --oneline -5",
  'git commit -m "fix $thing"',
  "npm test",
  "grep -r curl src",
  "echo curl",
  "rm -rf build",
  "cat $HOME/notes.txt",
];

describe("a Bash deny rule catches commands that may run the named program", () => {
  it.each(MAY_RUN_CURL)("%s is denied", async (command) => {
    const decision = await decide(command);
    expect(decision.behavior).toBe("deny");
  });

  it.each(PLAIN)("%s is not", async (command) => {
    expect((await decide(command)).behavior).toBe("allow");
  });

  it("says why a command counts as matching", async () => {
    const decision = await decide("$(echo curl) http://x");
    expect(decision).toMatchObject({ reason: expect.stringMatching(/Bash\(curl:\*\).*counts as matching/) });
  });

  it("words after the rule's prefix may be unknown; those within it may not", async () => {
    expect((await decide("git push $REMOTE", ["Bash(git push:*)"])).behavior).toBe("deny");
    expect((await decide("git $SUB origin", ["Bash(git push:*)"])).behavior).toBe("deny");
    expect((await decide("git pu?h origin", ["Bash(git push:*)"])).behavior).toBe("deny");
    expect((await decide("git pull $REMOTE", ["Bash(git push:*)"])).behavior).toBe("allow");
    expect((await decide("rm -r[f] x", ["Bash(rm -rf:*)"])).behavior).toBe("deny");
  });
});
