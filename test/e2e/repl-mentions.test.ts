// @file completion in a real terminal (tmux): the menu appears at the first "@", is filtered on every key,
// honours .gitignore, works on a 50,000-file tree, and Tab inserts the entry shown — never a stale one.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-mention-" });

function makeTree(root: string): void {
  for (let p = 0; p < 500; p++) {
    const dir = join(root, `pkg${p}`, "lib");
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `module${f}.ts`), "");
  }
  mkdirSync(join(root, "src", "util"), { recursive: true });
  mkdirSync(join(root, "build"), { recursive: true });
  writeFileSync(join(root, "src", "alpha.ts"), "export const alpha = 1;\n");
  writeFileSync(join(root, "src", "util", "strings.ts"), "export const STRINGS_MARKER = 1;\n");
  writeFileSync(join(root, "src", "util", "paths.ts"), "export const paths = 1;\n");
  writeFileSync(join(root, "build", "ignored-secret.ts"), "");
  writeFileSync(join(root, ".gitignore"), "build/\n");
}

/** The lines of the completion menu under the prompt box (entries are indented, the selected one has ›). */
function menu(screen: string): string[] {
  const lines = screen.split("\n");
  const boxEnd = lines.findLastIndex((l) => l.startsWith("╰"));
  return lines
    .slice(boxEnd + 1)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.includes("context") && !l.endsWith("matches"));
}

describe("@file completion", () => {
  it("filters live from the first @ over 50,000 files, honours .gitignore, and Tab inserts what is shown", async () => {
    makeTree(e2e.sandbox.workspace);
    e2e.mock.enqueue(reply.text("read it"));
    e2e.start();
    await e2e.ready();
    e2e.tmux.type("look at @");
    // The menu opens at once with the top level of the workspace (folders first); build/ is ignored.
    let screen = await e2e.tmux.waitFor((s) => menu(s).some((l) => l.endsWith("pkg0/")), {
      timeoutMs: 30_000,
    });
    expect(screen).not.toContain("build/");

    for (const char of "src/ut") e2e.tmux.type(char);
    screen = await e2e.tmux.waitFor((s) => menu(s)[0] === "› src/util/");
    expect(menu(screen).join("\n")).not.toContain("alpha");
    e2e.tmux.send("Tab");
    // A folder stays open on its contents; typing on narrows them.
    await e2e.tmux.waitFor(
      (s) => s.includes("@src/util/") && menu(s).some((l) => l.endsWith("src/util/paths.ts")),
    );
    e2e.tmux.type("str");
    screen = await e2e.tmux.waitFor((s) => menu(s)[0] === "› src/util/strings.ts");
    expect(menu(screen).join("\n")).not.toContain("paths.ts");
    e2e.tmux.send("Tab");
    await e2e.tmux.waitFor((s) => s.includes("@src/util/strings.ts ") && menu(s).length === 0);

    // An ignored file is never offered, however exactly it is typed.
    e2e.tmux.type("@ignored-sec");
    await e2e.tmux.waitFor((s) => s.includes("@ignored-sec"));
    expect(menu(e2e.tmux.capture()).join("\n")).not.toContain("ignored-secret");
    e2e.tmux.send(["C-w"]);
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("read it");
    expect(JSON.stringify(e2e.mock.messageRequests()[0]!.body.messages.at(-1))).toContain("STRINGS_MARKER");
  }, 90_000);
});
