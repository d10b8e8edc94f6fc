// Shared pieces of the plain-JS benchmarks: where the built CLI is, medians, millisecond formatting, timing
// one `claw` run, and bundling our TypeScript modules so a benchmark can call them in process.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/** Benchmarks run from the repo root. */
export const ROOT = process.cwd();
export const CLAW = join(ROOT, "dist", "claw.js");

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const formatMs = (ms, digits = 1) => `${ms.toFixed(digits)} ms`;

/**
 * Bundles `contents` (TypeScript importing paths relative to the repo root) into .bench-tmp/<outName> and
 * imports it. `sourcefile` names the entry in messages; other options go to esbuild as they are.
 */
export async function importBundled(outName, contents, { sourcefile, ...buildOptions } = {}) {
  const outfile = join(ROOT, ".bench-tmp", outName);
  await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts", ...(sourcefile ? { sourcefile } : {}) },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    ...buildOptions,
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}

/**
 * Runs `node dist/claw.js …args` and resolves with when it started and its wall time; rejects when it exits
 * non-zero, with at most `stderrLimit` characters of its stderr.
 */
export function timeClaw(args, env, cwd, stderrLimit = Number.POSITIVE_INFINITY) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLAW, ...args], { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`claw exited ${code}: ${stderr.slice(0, stderrLimit)}`));
      else resolve({ started, wallMs: performance.now() - started });
    });
  });
}

/** Result rows, each printed as it comes and all of them again by print() as one Markdown table. */
export function resultTable() {
  const rows = [];
  return {
    row(name, value, target) {
      rows.push(`| ${name} | ${value} | ${target} |`);
      console.log(`${name}: ${value}   (target ${target})`);
    },
    print() {
      console.log(`\n| benchmark | result | target |\n|---|---|---|\n${rows.join("\n")}`);
    },
  };
}

/**
 * A fresh place to run claw in: a temp root with a home (its config home inside) and a workspace, and the clean
 * environment claw gets there (a test key; the mock API when `apiUrl` is given). `cleanup()` removes it all.
 */
export function benchPlace(prefix, apiUrl) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, "home");
  const workspace = join(root, "ws");
  mkdirSync(join(home, ".claude"), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_CONFIG_HOME: join(home, ".claude"),
    ANTHROPIC_API_KEY: "bench-key",
    ...(apiUrl ? { ANTHROPIC_BASE_URL: apiUrl } : {}),
  };
  return { root, home, workspace, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
