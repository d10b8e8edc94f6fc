// Checkpoints and `claw rewind` end to end: prompts run by dist/claw.js -p against the mock API change files
// through Edit, Write and Bash; `claw rewind` lists them and restores the code per checkpoint.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const ws = () => e2e.sandbox.workspace;
const read = (name: string) => readFileSync(join(ws(), name), "utf8");
const write = (name: string, text: string) => writeFileSync(join(ws(), name), text);

function claw(args: string[]) {
  return runClaw(args, { sandbox: e2e.sandbox, env: e2e.env(), timeoutMs: 60_000 });
}

function gitUser(args: string[]): string {
  return execFileSync("git", args, {
    cwd: ws(),
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: e2e.sandbox.home, GIT_CONFIG_NOSYSTEM: "1" },
  });
}

/** A hash of every file under the user's .git that records state: index, HEAD, refs, packed refs, logs. */
function userGitState(): string {
  const hash = createHash("sha256");
  const gitDir = join(ws(), ".git");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${relative(gitDir, full)}\0`).update(readFileSync(full));
    }
  };
  for (const name of ["index", "HEAD", "packed-refs", "ORIG_HEAD"]) {
    if (existsSync(join(gitDir, name))) hash.update(name).update(readFileSync(join(gitDir, name)));
  }
  for (const dir of ["refs", "logs"]) if (existsSync(join(gitDir, dir))) walk(join(gitDir, dir));
  return hash.digest("hex");
}

type Entry = { id: string; kind: string; prompt: string; at: string; files: string[] };

async function listJson(): Promise<Entry[]> {
  const r = await claw(["rewind", "--list", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}

const readFile = (path: string) => reply.toolUse({ name: "Read", input: { file_path: path } });
const bash = (command: string) => reply.toolUse({ name: "Bash", input: { command } });

describe("checkpoints and claw rewind", () => {
  it("restores Edit, Bash sed -i, a created and a deleted file per prompt, leaves ignored files and the user's .git alone, and can be undone", async () => {
    write("a.txt", "one\n");
    write("b.txt", "bee\n");
    write("gone.txt", "keep me\n");
    write(".gitignore", "ignored.log\n");
    write("ignored.log", "old log\n");
    gitUser(["init", "-q"]);
    gitUser(["add", "-A"]);
    gitUser(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init"]);
    write("b.txt", "bee\n"); // same bytes: the user's index stays as git left it
    gitUser(["stash", "list"]);
    const gitBefore = userGitState();

    e2e.mock.enqueue(
      readFile("a.txt"),
      reply.toolUse({ name: "Edit", input: { file_path: "a.txt", old_string: "one", new_string: "two" } }),
      bash("sed -i 's/bee/BEE/' b.txt && echo new log > ignored.log"),
      reply.text("first done"),
    );
    const first = await claw(["-p", "change a and b", "--allowedTools", "Bash"]);
    expect(first.code, first.stderr).toBe(0);
    expect(read("a.txt")).toBe("two\n");
    expect(read("b.txt")).toBe("BEE\n");

    e2e.mock.enqueue(
      reply.toolUse({ name: "Write", input: { file_path: "new/created.txt", content: "fresh\n" } }),
      bash("rm gone.txt"),
      reply.text("second done"),
    );
    const second = await claw(["-c", "-p", "create and delete", "--allowedTools", "Bash"]);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(join(ws(), "gone.txt"))).toBe(false);

    const entries = await listJson();
    expect(entries.map((e) => e.prompt)).toEqual(["change a and b", "create and delete"]);
    expect(entries[0]!.files).toEqual(["a.txt", "b.txt"]);
    expect(entries[1]!.files).toEqual(["gone.txt", "new/created.txt"]);
    for (const e of entries) expect(Number.isNaN(Date.parse(e.at))).toBe(false);

    const text = await claw(["rewind", "--list"]);
    expect(text.stdout).toContain(entries[0]!.id.slice(0, 8));
    expect(text.stdout).toMatch(/change a and b.*2 files: a\.txt, b\.txt/);
    expect(text.stdout).toMatch(/Not covered: files outside the workspace/);

    // Back to before the second prompt: the created file goes, the deleted one returns, the first prompt's work stays.
    const toSecond = await claw(["rewind", entries[1]!.id]);
    expect(toSecond.code, toSecond.stderr).toBe(0);
    expect(toSecond.stdout).toContain("removed   new/created.txt");
    expect(toSecond.stdout).toContain("restored  gone.txt");
    expect(existsSync(join(ws(), "new"))).toBe(false);
    expect(read("gone.txt")).toBe("keep me\n");
    expect(read("a.txt")).toBe("two\n");

    // Back to before the first prompt (by id prefix).
    const toFirst = await claw(["rewind", entries[0]!.id.slice(0, 8)]);
    expect(toFirst.code, toFirst.stderr).toBe(0);
    expect(read("a.txt")).toBe("one\n");
    expect(read("b.txt")).toBe("bee\n");
    expect(read("ignored.log")).toBe("new log\n"); // ignored and only changed by Bash: not covered
    expect(userGitState()).toBe(gitBefore);
    expect(gitUser(["stash", "list"])).toBe("");

    // The restore is itself a checkpoint: undoing it brings the first prompt's changes back.
    const after = await listJson();
    const rewinds = after.filter((e) => e.kind === "rewind");
    expect(rewinds).toHaveLength(2);
    const undo = await claw(["rewind", rewinds[1]!.id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(read("a.txt")).toBe("two\n");
    expect(read("b.txt")).toBe("BEE\n");
    expect(read("gone.txt")).toBe("keep me\n");
  }, 120_000);

  it("refuses to overwrite a file changed outside claw, lists it and exits 1; --force restores it", async () => {
    write("a.txt", "original\n");
    e2e.mock.enqueue(
      readFile("a.txt"),
      reply.toolUse({ name: "Write", input: { file_path: "a.txt", content: "by claw\n" } }),
      reply.text("done"),
    );
    expect((await claw(["-p", "rewrite a"])).code).toBe(0);
    write("a.txt", "by the user\n");
    const [entry] = await listJson();

    const refused = await claw(["rewind", entry!.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changed outside claw/);
    expect(refused.stderr).toContain("  a.txt");
    expect(read("a.txt")).toBe("by the user\n");

    const forced = await claw(["rewind", entry!.id, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read("a.txt")).toBe("original\n");
  }, 120_000);

  it("an Edit of a gitignored file is covered; an unknown id is a one-line error", async () => {
    write(".gitignore", "*.env\n");
    write("app.env", "KEY=1\n");
    e2e.mock.enqueue(
      readFile("app.env"),
      reply.toolUse({ name: "Edit", input: { file_path: "app.env", old_string: "1", new_string: "2" } }),
      reply.text("done"),
    );
    expect((await claw(["-p", "edit env"])).code).toBe(0);
    expect(read("app.env")).toBe("KEY=2\n");
    const [entry] = await listJson();
    expect(entry!.files).toEqual(["app.env"]);
    const r = await claw(["rewind", entry!.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(read("app.env")).toBe("KEY=1\n");

    const bad = await claw(["rewind", "zzzz"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^claw: No prompt with id zzzz/);
  }, 120_000);
});
