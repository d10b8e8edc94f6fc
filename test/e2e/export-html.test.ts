// `claw export <session> --html` end to end: two prompts run by dist/claw.js -p against the mock API (an Edit,
// a code answer), exported as one page, then loaded by a real headless Chromium: its DOM has the turns, the
// diff and the chart, and a screenshot lands in the test's temp dir.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi({ sandboxPrefix: "claw-export-html-" });

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
// .ci/run installs chromium and sets CLAW_CI: there the browser test must run, never skip.
const skipBrowser = !CHROMIUM && !process.env.CLAW_CI;
if (skipBrowser)
  console.warn("export-html: chromium is not installed (apt-get install chromium); browser test skipped");

function claw(args: string[]) {
  return runClaw(args, { sandbox: e2e.sandbox, env: e2e.env(), timeoutMs: 60_000 });
}

/** Two turns: Read + Edit of greet.ts with a code answer, then a plain answer. Returns the session id. */
async function recordSession(): Promise<string> {
  const ws = e2e.sandbox.workspace;
  writeFileSync(join(ws, "greet.ts"), "export const greeting = 'hello';\n");
  const usage = { input_tokens: 1200, output_tokens: 90, cache_read_input_tokens: 800 };
  e2e.mock.enqueue(
    reply.toolUse({ name: "Read", input: { file_path: join(ws, "greet.ts") } }, { usage }),
    reply.toolUse(
      {
        name: "Edit",
        input: { file_path: join(ws, "greet.ts"), old_string: "'hello'", new_string: "'goodbye'" },
      },
      { usage },
    ),
    reply.text("Changed it:\n\n```ts\nexport const greeting = 'goodbye';\n```", { usage }),
    reply.text("You are **welcome**.", { usage: { input_tokens: 3000, output_tokens: 20 } }),
  );
  const first = await claw(["-p", "say goodbye instead", "--output-format", "json"]);
  expect(first.code, first.stderr).toBe(0);
  const id = JSON.parse(first.stdout).session_id as string;
  expect(readFileSync(join(ws, "greet.ts"), "utf8")).toContain("goodbye");
  const second = await claw(["-p", "thanks", "-r", id]);
  expect(second.code, second.stderr).toBe(0);
  return id;
}

function chromium(args: string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM ?? "chromium",
      ["--headless", "--no-sandbox", "--disable-gpu", `--user-data-dir=${join(home, "chromium")}`, ...args],
      { env: { PATH: process.env.PATH, HOME: home }, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe("claw export --html", () => {
  it("writes one self-contained page of the session", async () => {
    const id = await recordSession();
    mkdirSync(join(e2e.sandbox.workspace, "out"));
    const r = await claw(["export", id, "--html", "-o", "out/session.html"]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(e2e.sandbox.workspace, "out", "session.html");
    expect(r.stdout).toContain(`Exported to ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html.match(/<section class="turn"/g)).toHaveLength(2);
    expect(html).toContain("say goodbye instead");
    expect(html).toMatch(/<details class="tool tool-ok" open data-tool="Edit">/);
    expect(html).toMatch(
      /<span class="d-add">\+export const greeting = &#39;goodbye&#39;;<\/span>|<span class="d-add">\+&#39;goodbye&#39;<\/span>/,
    );
    expect(html).toContain('<svg id="usage-chart"');
    expect(html).not.toMatch(/<script|<link|\bsrc=/i);
  });

  it("exports the latest session without an id; markdown without --html", async () => {
    await recordSession();
    const r = await claw(["export", "-o", "latest.md"]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(e2e.sandbox.workspace, "latest.md"), "utf8");
    expect(md).toContain("## User\n\nsay goodbye instead");
    expect(md).toContain("## User\n\nthanks");
    expect(md).toContain("**Tool:** `Edit(greet.ts)`");
  });

  it("says what to do for an unknown session, in one line", async () => {
    const r = await claw(["export", "no-such-session", "--html"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("claw sessions");
  });

  it.skipIf(skipBrowser)(
    "loads in headless Chromium: turns, a diff and the chart are in the DOM",
    async () => {
      if (!CHROMIUM)
        throw new Error("chromium is not installed; .ci/run installs it (apt-get install chromium)");
      const id = await recordSession();
      const sessionFile = join(e2e.sandbox.workspace, "page.html");
      const r = await claw(["export", id, "--html", "-o", sessionFile]);
      expect(r.code, r.stderr).toBe(0);
      const home = e2e.sandbox.home;
      mkdirSync(join(home, "chromium"), { recursive: true });
      const url = pathToFileURL(sessionFile).href;
      const dom = await chromium(["--dump-dom", url], home);
      // The browser's DOM, not the file: the parser kept the structure and the SVG.
      expect(dom.match(/<section class="turn"/g)).toHaveLength(2);
      expect(dom).toMatch(/<details class="tool tool-ok" open(="")? data-tool="Edit">/);
      expect(dom).toMatch(/<span class="d-del">-/);
      expect(dom).toMatch(/<span class="d-add">\+/);
      expect(dom).toMatch(/<svg id="usage-chart"[\s\S]*<g class="bar" data-turn="2">/);
      expect(dom).toMatch(/<rect class="seg seg-output_tokens"/);
      const shot = join(e2e.sandbox.root, "shot.png");
      await chromium([`--screenshot=${shot}`, "--window-size=1100,1400", url], home);
      // A PNG of some size: the page painted.
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      if (process.env.CLAW_KEEP_SHOT) writeFileSync(process.env.CLAW_KEEP_SHOT, readFileSync(shot));
    },
  );
});
