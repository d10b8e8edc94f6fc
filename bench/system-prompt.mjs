// System prompt benchmark: building the prompt in a repository with 20 instruction files (in process, and as
// `claw system-prompt` against `node -e 0`). Run from the repo root after `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAW, formatMs as fmt, importBundled, median, resultTable } from "./bench-utils.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const IN_PROCESS_RUNS = 50;

const { row, print } = resultTable();

/** Our config modules, bundled so this plain script can call them in process. */
function loadConfigLib() {
  return importBundled(
    "system-prompt-bench-lib.mjs",
    'export { loadInstructionFiles } from "./src/config/instructions.ts"; export { buildSystemPrompt, BUILTIN_TOOL_NAMES } from "./src/config/system-prompt.ts"; export { loadSettings } from "./src/config/settings.ts";',
  );
}

/** A git repository five directories deep with all four instruction files in each: 20 files of ~2 KB. */
function makeWorkspace(root, env) {
  const configHome = join(root, "home", ".claude");
  mkdirSync(configHome, { recursive: true });
  let dir = join(root, "repo");
  mkdirSync(dir, { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir, env });
  const body = (name) => `# ${name}\n${"- Prefer small, focused changes and run the tests.\n".repeat(40)}`;
  for (let level = 0; level < 5; level++) {
    if (level > 0) dir = join(dir, `level${level}`);
    mkdirSync(join(dir, ".claude"), { recursive: true });
    for (const name of ["CLAUDE.md", "CLAUDE.local.md", join(".claude", "CLAUDE.md"), "AGENTS.md"]) {
      writeFileSync(join(dir, name), body(`${name} at level ${level}`));
    }
  }
  return { cwd: dir, configHome };
}

function timeNode(args, options) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { ...options, stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
  return performance.now() - started;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "claw-bench-prompt-"));
  const env = {
    PATH: process.env.PATH,
    HOME: join(root, "home"),
    CLAUDE_CONFIG_HOME: join(root, "home", ".claude"),
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  try {
    const { cwd, configHome } = makeWorkspace(root, env);
    const lib = await loadConfigLib();
    const files = lib.loadInstructionFiles({ cwd, configHome });
    if (files.length !== 20) throw new Error(`expected 20 instruction files, found ${files.length}`);

    const buildOnce = async () => {
      const started = performance.now();
      const settings = lib.loadSettings({ cwd, configHome });
      const instructions = lib.loadInstructionFiles({ cwd, configHome });
      const blocks = await lib.buildSystemPrompt({
        cwd,
        model: settings.settings.model ?? "claude-sonnet-4-5",
        instructions,
        toolNames: lib.BUILTIN_TOOL_NAMES,
      });
      return { ms: performance.now() - started, chars: blocks.join("\n\n").length };
    };
    await buildOnce(); // warm-up: first git spawn, fs caches
    const samples = [];
    let chars = 0;
    for (let i = 0; i < IN_PROCESS_RUNS; i++) {
      const result = await buildOnce();
      samples.push(result.ms);
      chars = result.chars;
    }
    row(
      "system prompt: settings + 20 instruction files + git, in process (median)",
      `${fmt(median(samples))} (${Math.round(chars / 1024)} KB prompt)`,
      "—",
    );

    const baseline = [];
    const command = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(timeNode(["-e", "0"], { env, cwd }));
      command.push(timeNode([CLAW, "system-prompt"], { env, cwd }));
    }
    const b = median(baseline);
    const c = median(command);
    row(
      "claw system-prompt (20 instruction files) vs node -e 0",
      `${fmt(c)} vs ${fmt(b)} = ${(c / b).toFixed(2)}×`,
      "—",
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  print();
}

await main();
