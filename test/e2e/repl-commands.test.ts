// Slash commands as a Claude Code user drives them, in a real terminal (tmux): /export asks file, clipboard
// (OSC 52, checked in tmux's paste buffer) or web page; /memory creates and opens the memory files in $EDITOR.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reply } from "../support/mock-anthropic.js";
import { setupReplE2E } from "../support/repl-e2e.js";

const e2e = setupReplE2E({ sandboxPrefix: "claw-repl-commands-" });

async function oneExchange(env: Record<string, string | undefined> = {}): Promise<void> {
  e2e.mock.enqueue(reply.text("The answer is **42**."));
  e2e.start([], { env });
  await e2e.ready();
  e2e.submit("what is the answer?");
  await e2e.tmux.waitFor("The answer is");
}

describe("/export", () => {
  it("asks where to; the clipboard gets the transcript through OSC 52", async () => {
    await oneExchange();
    e2e.submit("/export");
    await e2e.tmux.waitFor("Copy to the clipboard");
    e2e.tmux.send("Down");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Copied the transcript");
    const copied = e2e.tmux.clipboard();
    expect(copied).toContain("## User\n\nwhat is the answer?");
    expect(copied).toContain("## Assistant\n\nThe answer is **42**.");
    // The REPL carries on.
    e2e.mock.enqueue(reply.text("still here"));
    e2e.submit("next");
    await e2e.tmux.waitFor("still here");
  });

  it("saves a file, or a self-contained web page of the session", async () => {
    await oneExchange();
    e2e.submit("/export");
    await e2e.tmux.waitFor("Save to a file");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Transcript saved to");
    const ws = e2e.sandbox.workspace;
    const md = readdirSync(ws).find((f) => f.endsWith(".md"));
    expect(readFileSync(join(ws, md!), "utf8")).toContain("## Assistant\n\nThe answer is **42**.");
    e2e.submit("/export");
    await e2e.tmux.waitFor("Save as a web page");
    e2e.tmux.send(["Down", "Down", "Enter"]);
    await e2e.tmux.waitFor("Session page saved to");
    const page = readdirSync(ws).find((f) => f.endsWith(".html"));
    const html = readFileSync(join(ws, page!), "utf8");
    expect(html).toContain('<section class="turn"');
    expect(html).toContain("<strong>42</strong>");
    expect(html).toContain('<svg id="usage-chart"');
    e2e.submit("/export html page.html");
    await e2e.tmux.waitFor(/page\.html \(self-contained/);
    expect(existsSync(join(ws, "page.html"))).toBe(true);
  });
});

describe("/memory", () => {
  /** An "editor" that appends a line to the file it is given and says so. */
  function fakeEditor(): string {
    const editor = join(e2e.sandbox.root, "editor.sh");
    writeFileSync(editor, '#!/bin/sh\necho "- remembered by the editor" >> "$1"\necho "EDITOR RAN ON $1"\n', {
      mode: 0o755,
    });
    return editor;
  }

  it("offers to create the project or the user memory and opens it in $EDITOR; the REPL resumes", async () => {
    e2e.start([], { env: { EDITOR: fakeEditor() } });
    await e2e.ready();
    e2e.submit("/memory");
    let screen = await e2e.tmux.waitFor("User memory");
    expect(screen).toContain("Project memory");
    expect(screen).toContain("(new)");
    // The second entry: the user's memory in the config home.
    e2e.tmux.send(["Down", "Enter"]);
    screen = await e2e.tmux.waitFor("Created and edited");
    const userMemory = join(e2e.sandbox.configHome, "CLAUDE.md");
    expect(readFileSync(userMemory, "utf8")).toBe("- remembered by the editor\n");
    // Then the project memory, created in the workspace.
    e2e.submit("/memory");
    await e2e.tmux.waitFor("Project memory");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor(/Created and edited .*workspace\/CLAUDE\.md/);
    expect(readFileSync(join(e2e.sandbox.workspace, "CLAUDE.md"), "utf8")).toBe(
      "- remembered by the editor\n",
    );
    // The REPL takes prompts again, and a new session reads both memories.
    e2e.mock.enqueue(reply.text("fresh start"), reply.text("with memory"));
    e2e.submit("/clear");
    await e2e.tmux.waitFor("Started a new session");
    e2e.submit("hello");
    await e2e.tmux.waitFor("fresh start");
    const system = JSON.stringify(e2e.mock.messageRequests()[0]!.body.system);
    expect(system.match(/remembered by the editor/g)).toHaveLength(2);
  });
});

describe("/context", () => {
  it("draws the window as a grid coloured by what fills it, with the numbers beside it", async () => {
    writeFileSync(
      join(e2e.sandbox.workspace, "CLAUDE.md"),
      `# Notes\n${"Always run the linter. ".repeat(400)}\n`,
    );
    // Colours on (the harness sets NO_COLOR unless told otherwise).
    await oneExchange({ NO_COLOR: undefined });
    e2e.submit("/context");
    await e2e.tmux.waitFor("Memory files");
    const screen = e2e.tmux.capture({ escapes: true });
    // The grid: ten rows of twenty cells, every cell coloured by its part or dim when free.
    const rows = screen
      .split("\n")
      .filter((line) => /^ {2}\S*■|^ {2}\S*□/.test(line.replace(/\x1b\[[\d;]*m/g, "")));
    expect(rows).toHaveLength(10);
    const cells =
      rows
        .join("\n")
        .replace(/\x1b\[[\d;]*m/g, "")
        .match(/[■□]/g) ?? [];
    // Each row's twenty cells, plus the legend's keys beside the first rows.
    expect(cells.length).toBeGreaterThanOrEqual(200);
    const colour = (code: number) => new RegExp(`\\x1b\\[${code}m■`);
    expect(screen).toMatch(colour(33)); // memory files: yellow
    expect(screen).toMatch(colour(34)); // built-in tools: blue
    expect(screen).toMatch(colour(35)); // messages: magenta
    const plain = e2e.tmux.capture();
    const tokens = (label: string) => {
      const m = new RegExp(`${label}\\s+([\\d.]+)(k?)`).exec(plain);
      return m ? Number(m[1]) * (m[2] ? 1000 : 1) : Number.NaN;
    };
    expect(tokens("Memory files")).toBeGreaterThan(1500);
    expect(tokens("Built-in tools")).toBeGreaterThan(1000);
    expect(tokens("Messages")).toBeGreaterThan(0);
    expect(tokens("Free")).toBeGreaterThan(100_000);
    expect(plain).toMatch(/of 1\.0M tokens/);
  });
});

describe("/diff", () => {
  it("steps through the changed files one at a time with ←/→ and n/p, coloured", async () => {
    const ws = e2e.sandbox.workspace;
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=a@b", "-c", "user.name=a", ...args], {
        cwd: ws,
        stdio: "ignore",
      });
    git("init", "-q");
    writeFileSync(join(ws, "alpha.txt"), "alpha one\n");
    writeFileSync(join(ws, "beta.txt"), "beta one\n");
    git("add", ".");
    git("commit", "-qm", "init");
    writeFileSync(join(ws, "alpha.txt"), "alpha two\n");
    writeFileSync(join(ws, "beta.txt"), "beta two\n");
    writeFileSync(join(ws, "gamma.txt"), "gamma new\n");
    e2e.start([], { env: { NO_COLOR: undefined } });
    await e2e.ready();
    e2e.submit("/diff");
    let screen = await e2e.tmux.waitFor("Diff 1/3: alpha.txt");
    expect(screen).toContain("+alpha two");
    expect(screen).not.toContain("beta");
    // Coloured: removed lines red, added lines green.
    const colours = e2e.tmux.capture({ escapes: true });
    expect(colours).toMatch(/\x1b\[31m-alpha one/);
    expect(colours).toMatch(/\x1b\[32m\+alpha two/);
    e2e.tmux.send("Right");
    screen = await e2e.tmux.waitFor("Diff 2/3: beta.txt");
    expect(screen).toContain("-beta one");
    expect(screen).not.toContain("alpha");
    e2e.tmux.type("n");
    screen = await e2e.tmux.waitFor("Diff 3/3: gamma.txt");
    expect(screen).toContain("+gamma new");
    e2e.tmux.type("p");
    await e2e.tmux.waitFor("Diff 2/3: beta.txt");
    e2e.tmux.send("Left");
    await e2e.tmux.waitFor("Diff 1/3: alpha.txt");
    e2e.tmux.type("q");
    screen = await e2e.tmux.waitFor("3 changed files (+3 -2)");
    expect(screen).toContain("/help for commands");
    // The REPL takes prompts again.
    e2e.mock.enqueue(reply.text("back at the prompt"));
    e2e.submit("hello");
    await e2e.tmux.waitFor("back at the prompt");
  });
});

describe("/diff outside git", () => {
  it("steps through the files claw changed in this session", async () => {
    const ws = e2e.sandbox.workspace;
    writeFileSync(join(ws, "old.txt"), "keep me\nchange me\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: join(ws, "notes.txt"), content: "first note\n" } }),
      reply.toolUse({ name: "Read", input: { file_path: join(ws, "old.txt") } }),
      reply.toolUse({
        name: "Edit",
        input: { file_path: join(ws, "old.txt"), old_string: "change me", new_string: "changed" },
      }),
      reply.text("all done"),
    );
    e2e.start();
    await e2e.ready();
    e2e.submit("make the changes");
    await e2e.tmux.waitFor("all done");
    e2e.submit("/diff");
    let screen = await e2e.tmux.waitFor("Diff 1/2: notes.txt");
    expect(screen).toContain("+first note");
    e2e.tmux.type("n");
    screen = await e2e.tmux.waitFor("Diff 2/2: old.txt");
    expect(screen).toContain("-change me");
    expect(screen).toContain("+changed");
    e2e.tmux.send("Escape");
    screen = await e2e.tmux.waitFor("2 changed files");
    expect(screen).toContain("Not a git repository: showing the edits claw made in this session");
  });
});

describe("/permissions", () => {
  const footer = (screen: string) => screen.trimEnd().split("\n").at(-1) ?? "";
  const lastToolResult = () => JSON.stringify(e2e.mock.messageRequests().at(-1)!.body.messages.at(-1));

  it("lists the rules with their source; removes one, adds one to the chosen file, switches the mode", async () => {
    const ws = e2e.sandbox.workspace;
    mkdirSync(join(ws, ".claude"));
    writeFileSync(
      join(ws, ".claude", "settings.json"),
      JSON.stringify({
        model: "claude-sonnet-4-5",
        permissions: { allow: ["Bash(npm test:*)"], deny: ["Read(./secret.txt)"] },
      }),
    );
    writeFileSync(
      join(e2e.sandbox.configHome, "settings.json"),
      JSON.stringify({ permissions: { ask: ["Bash(git push:*)"] } }),
    );
    writeFileSync(join(ws, "secret.txt"), "SECRET-CONTENT\n");
    e2e.start(["--allowedTools", "Bash(ls:*)"]);
    await e2e.ready();
    e2e.submit("/permissions");
    let screen = await e2e.tmux.waitFor("+ Add a rule");
    expect(screen).toMatch(/Mode: workspace-write/);
    expect(screen).toMatch(/ask\s+Bash\(git push:\*\)\s+user settings \(.*settings\.json\)/);
    expect(screen).toMatch(/allow\s+Bash\(npm test:\*\)\s+project settings \(\.claude\/settings\.json\)/);
    expect(screen).toMatch(/deny\s+Read\(\.\/secret\.txt\)\s+project settings/);
    expect(screen).toMatch(/allow\s+Bash\(ls:\*\)\s+command line/);

    // Remove the deny rule: the fifth entry (after the mode, the command line's, the user's, the project's allow).
    e2e.tmux.send(["Down", "Down", "Down", "Down", "Enter"]);
    await e2e.tmux.waitFor("Remove this rule");
    e2e.tmux.send("Enter");
    screen = await e2e.tmux.waitFor("Removed deny Read(./secret.txt)");
    const project = JSON.parse(readFileSync(join(ws, ".claude", "settings.json"), "utf8"));
    expect(project).toEqual({
      model: "claude-sonnet-4-5",
      permissions: { allow: ["Bash(npm test:*)"], deny: [] },
    });
    // The list comes back without it; the removal applies at once: the model may read the file now.
    // (The list pads the kind to five columns: "deny  Read(…)"; the notice above has one space.)
    await e2e.tmux.waitFor((s) => s.includes("+ Add a rule") && !/deny {2}Read\(/.test(s));
    e2e.tmux.send("Escape");
    // Typed before the list is gone, Esc and the next letter would arrive together as Alt+letter.
    await e2e.tmux.waitFor((s) => !s.includes("+ Add a rule"));
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: join(ws, "secret.txt") } }),
      reply.text("read it"),
    );
    e2e.submit("read the secret");
    await e2e.tmux.waitFor("read it");
    expect(lastToolResult()).toContain("SECRET-CONTENT");

    // Add a deny rule to the local settings: kind, place, then the rule typed after the prefilled command.
    e2e.submit("/permissions");
    await e2e.tmux.waitFor("+ Add a rule");
    e2e.tmux.send(["Up", "Enter"]);
    await e2e.tmux.waitFor("what should it do?");
    e2e.tmux.send(["Down", "Down", "Enter"]);
    await e2e.tmux.waitFor("save it where?");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("/permissions add deny local");
    e2e.tmux.type("Bash(rm:*)");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Added deny Bash(rm:*)");
    const local = JSON.parse(readFileSync(join(ws, ".claude", "settings.local.json"), "utf8"));
    expect(local).toEqual({ permissions: { deny: ["Bash(rm:*)"] } });
    e2e.mock.enqueue(
      reply.toolUse({ name: "Bash", input: { command: "rm -f nothing.txt" } }),
      reply.text("was refused"),
    );
    e2e.submit("remove it");
    await e2e.tmux.waitFor("was refused");
    expect(lastToolResult()).toContain('denied by the rule \\"Bash(rm:*)\\"');

    // Switch the mode from the list.
    e2e.submit("/permissions");
    await e2e.tmux.waitFor("+ Add a rule");
    e2e.tmux.send("Enter");
    await e2e.tmux.waitFor("Permission mode (");
    e2e.tmux.send(["Down", "Down", "Enter"]);
    screen = await e2e.tmux.waitFor("Permission mode set to read-only");
    e2e.tmux.send("Escape");
    screen = await e2e.tmux.waitFor((s) => footer(s).includes("read-only"));
  });
});
