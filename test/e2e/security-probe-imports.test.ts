// Issue 11 class 4 end to end: a project's CLAUDE.md cannot pull files from outside the project and the
// config home into the system prompt (`@~/.netrc`, `@../../secret`); imports inside the project still work.
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-probe-imports-" });

describe("class 4: @imports outside the project", () => {
  it("are left out with a one-line warning; inside ones are included", async () => {
    const { root, home, workspace } = e2e.sandbox;
    writeFileSync(join(home, ".netrc"), "machine x login me password NETRC-SECRET-1\n");
    mkdirSync(join(root, "outside"));
    writeFileSync(join(root, "outside", "secret"), "OUTSIDE-SECRET-2\n");
    writeFileSync(join(workspace, "rules.md"), "INSIDE-RULE-3\n");
    writeFileSync(join(workspace, "CLAUDE.md"), "See @~/.netrc and @../outside/secret and @./rules.md\n");
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(r.code).toBe(0);
    const sent = JSON.stringify(e2e.mock.messageRequests()[0]?.body);
    expect(sent).toContain("INSIDE-RULE-3");
    expect(sent).not.toContain("NETRC-SECRET-1");
    expect(sent).not.toContain("OUTSIDE-SECRET-2");
    expect(r.stderr).toMatch(/not importing .*\.netrc .*outside the project/);
    expect(r.stderr).toMatch(/not importing .*outside\/secret/);
  });

  it("an import inside the project that a Read deny rule covers is left out too", async () => {
    const { workspace } = e2e.sandbox;
    mkdirSync(join(workspace, "secrets"));
    writeFileSync(join(workspace, "secrets", "key"), "DENIED-KEY-4\n");
    writeFileSync(join(workspace, "CLAUDE.md"), "Key: @secrets/key\n");
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(["-p", "hi", "--disallowedTools", "Read(./secrets/**)"], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(r.code).toBe(0);
    expect(JSON.stringify(e2e.mock.messageRequests()[0]?.body)).not.toContain("DENIED-KEY-4");
    expect(r.stderr).toMatch(/not importing .*secrets\/key.*Read deny rule/);
  });
});

describe("class 4: approving imports from outside the project", () => {
  function outsideImport(): { secret: string } {
    const { root, workspace } = e2e.sandbox;
    mkdirSync(join(root, "shared"));
    const secret = join(root, "shared", "team-rules.md");
    writeFileSync(secret, "TEAM-RULE-5\n");
    writeFileSync(join(workspace, "CLAUDE.md"), "Follow @../shared/team-rules.md\n");
    return { secret };
  }

  it('"approvedImports" in the user\'s settings lets -p include it; a project cannot approve its own', async () => {
    const { secret } = outsideImport();
    mkdirSync(join(e2e.sandbox.workspace, ".claude"));
    writeFileSync(
      join(e2e.sandbox.workspace, ".claude", "settings.json"),
      JSON.stringify({ approvedImports: [secret] }),
    );
    e2e.mock.enqueue(reply.text("ok"));
    const refused = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(refused.code).toBe(0);
    expect(JSON.stringify(e2e.mock.messageRequests()[0]?.body)).not.toContain("TEAM-RULE-5");
    expect(refused.stderr).toMatch(/not importing .*team-rules\.md .*"approvedImports"/);

    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({ approvedImports: [join(e2e.sandbox.root, "shared")] }),
    );
    e2e.mock.enqueue(reply.text("ok"));
    const approved = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(approved.code).toBe(0);
    expect(approved.stderr).not.toContain("not importing");
    expect(JSON.stringify(e2e.mock.messageRequests()[1]?.body)).toContain("TEAM-RULE-5");
  });

  it("the REPL's remembered answer counts in -p: allow includes it, deny leaves it out; deny rules still apply", async () => {
    const { secret } = outsideImport();
    const store = (decision: string) =>
      writeFileSync(
        join(e2e.sandbox.configHome, "trusted-folders.json"),
        JSON.stringify({
          imports: { [realpathSync(e2e.sandbox.workspace)]: { [realpathSync(secret)]: decision } },
        }),
      );
    store("allow");
    e2e.mock.enqueue(reply.text("ok"), reply.text("ok"), reply.text("ok"));
    const allowed = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(allowed.stderr).toBe("");
    expect(JSON.stringify(e2e.mock.messageRequests()[0]?.body)).toContain("TEAM-RULE-5");

    const denied = await runClaw(["-p", "hi", "--disallowedTools", `Read(/${secret})`], {
      sandbox: e2e.sandbox,
      env: e2e.env(),
    });
    expect(denied.stderr).toMatch(/not importing .*team-rules\.md.*Read deny rule/);
    expect(JSON.stringify(e2e.mock.messageRequests()[1]?.body)).not.toContain("TEAM-RULE-5");

    store("deny");
    const declined = await runClaw(["-p", "hi"], { sandbox: e2e.sandbox, env: e2e.env() });
    expect(declined.stderr).toMatch(/not importing .*team-rules\.md.*you declined it for this project/);
    expect(JSON.stringify(e2e.mock.messageRequests()[2]?.body)).not.toContain("TEAM-RULE-5");
  });
});

describe("class 4: the user's own CLAUDE.md", () => {
  it("imports from anywhere the user chose, without asking; deny rules still apply", async () => {
    const { home, configHome } = e2e.sandbox;
    mkdirSync(join(home, "notes"));
    writeFileSync(join(home, "notes", "style.md"), "USER-STYLE-6\n");
    writeFileSync(join(home, "notes", "private.md"), "USER-PRIVATE-7\n");
    writeFileSync(join(configHome, "CLAUDE.md"), "See @~/notes/style.md and @~/notes/private.md\n");
    e2e.mock.enqueue(reply.text("ok"));
    const r = await runClaw(
      ["-p", "hi", "--disallowedTools", `Read(/${join(home, "notes", "private.md")})`],
      {
        sandbox: e2e.sandbox,
        env: e2e.env(),
      },
    );
    expect(r.code).toBe(0);
    const sent = JSON.stringify(e2e.mock.messageRequests()[0]?.body);
    expect(sent).toContain("USER-STYLE-6");
    expect(sent).not.toContain("USER-PRIVATE-7");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not importing .*private\.md.*Read deny rule/);
  });
});
