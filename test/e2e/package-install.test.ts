// The published package: `npm pack`, then a global install of the tarball into an empty prefix. What a user
// installs is dist/ plus only what dist/ loads from node_modules at run time (ripgrep) — and it works.
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSandbox, REPO_ROOT } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const run = promisify(execFile);
const e2e = setupMockApi();
const scratch = makeSandbox("claw-pack-");
let installed: string;
let prefix: string;

beforeAll(() => {
  const npm = (args: string[], cwd: string) =>
    execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const tarball = npm(["pack", "--silent", "--pack-destination", scratch.root], REPO_ROOT)
    .trim()
    .split("\n")
    .pop()!;
  prefix = join(scratch.root, "prefix");
  npm(
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      join(scratch.root, tarball),
    ],
    scratch.root,
  );
  installed = join(prefix, "lib", "node_modules", "claw");
}, 180_000);

afterAll(() => scratch.cleanup());

function packagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    if (name.startsWith("@")) for (const sub of readdirSync(join(dir, name))) out.push(`${name}/${sub}`);
    else out.push(name);
  }
  return out;
}

describe("the installed package", () => {
  it("holds dist/ and only the run-time dependency (ripgrep), not the bundled libraries", () => {
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).toEqual(["@vscode/ripgrep"]);
    const deps = packagesUnder(join(installed, "node_modules"));
    expect(deps).toContain("@vscode/ripgrep");
    for (const bundled of ["ink", "react", "zod", "@modelcontextprotocol/sdk", "commander"])
      expect(deps).not.toContain(bundled);
  });

  it("answers --version and a -p prompt through the installed bin", async () => {
    const bin = join(prefix, "bin", "claw");
    const env = {
      PATH: process.env.PATH,
      HOME: e2e.sandbox.home,
      CLAUDE_CONFIG_HOME: e2e.sandbox.configHome,
      ...e2e.env(),
    } as NodeJS.ProcessEnv;
    const version = await run(bin, ["--version"], { env });
    expect(version.stdout).toMatch(/^claw \d+\.\d+\.\d+/);
    e2e.mock.enqueue(reply.text("installed and answering"));
    // Asynchronous: the mock API answers from this process's event loop.
    const answer = await run(bin, ["-p", "hi"], { env, cwd: e2e.sandbox.workspace });
    expect(answer.stderr).toBe("");
    expect(answer.stdout).toBe("installed and answering\n");
  });
});
