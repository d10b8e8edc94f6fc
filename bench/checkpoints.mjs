// Checkpoint benchmarks on a 10,000-file workspace (plus 5,000 ignored files): the cost per prompt of the
// checkpoint when nothing changed (target ≤ 50 ms), the first snapshot of a project, a new session's first
// snapshot, a prompt that changed one file, and a one-file rewind. In process, through FileCheckpoints.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMs as fmt, importBundled, median, ROOT, resultTable } from "./bench-utils.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);

function makeWorkspace(dir) {
  for (let d = 0; d < 100; d++) {
    const sub = join(dir, `pkg${d}`, "src");
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++)
      writeFileSync(join(sub, `file${f}.ts`), `export const v${d}_${f} = ${f};\n`);
  }
  for (let d = 0; d < 50; d++) {
    const sub = join(dir, "node_modules", `dep${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(sub, `index${f}.js`), "module.exports = 1;\n");
  }
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  writeFileSync(join(dir, ".ready"), "");
}

/** CPU ms used so far by this process and its finished children (git), from /proc (Linux). */
function cpuMs() {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // cutime and cstime: fields 16 and 17 of stat, in clock ticks (100 a second).
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    // not Linux: children unknown
  }
  return (own.user + own.system) / 1000 + children;
}

async function timed(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main() {
  const { FileCheckpoints, SessionStore } = await importBundled(
    "checkpoints-bench-lib.mjs",
    'export { FileCheckpoints } from "./src/session/checkpoints/file-checkpoints.ts"; export { SessionStore } from "./src/session/session-store.ts";',
  );
  const workspace = join(ROOT, ".bench-tmp", "checkpoint-ws10k");
  if (!existsSync(join(workspace, ".ready"))) {
    rmSync(workspace, { recursive: true, force: true });
    makeWorkspace(workspace);
  }
  const configHome = mkdtempSync(join(tmpdir(), "claw-bench-checkpoints-"));
  const stores = [];
  const sessionFor = () => {
    const store = SessionStore.create({ configHome, cwd: workspace, model: "m", clawVersion: "bench" });
    stores.push(store);
    const checkpoints = new FileCheckpoints({
      configHome,
      cwd: workspace,
      sessionId: store.id,
      sessionPath: store.path,
      sink: store,
      warn: (message) => console.error(message),
    });
    return { store, checkpoints };
  };
  const table = resultTable();
  try {
    const { store, checkpoints: session } = sessionFor();
    let prompt = 0;
    /** One prompt: the "before" snapshot (what a prompt's first change waits for), then "after". */
    const onePrompt = async (change) => {
      const id = `p${prompt++}`;
      store.append({ type: "user", uuid: id, message: { role: "user", content: id } });
      // The snapshot starts with the prompt; with no model in between, the first change waits for all of it.
      const before = await timed(() => {
        session.promptStarted(id);
        return session.beforeChange(id, []);
      });
      change?.();
      const after = await timed(async () => {
        await session.afterPrompt(id);
        await session.flush();
      });
      return { before, after };
    };

    const cold = await onePrompt();
    const unchanged = [];
    const cpuBefore = cpuMs();
    for (let i = 0; i < RUNS; i++) unchanged.push(await onePrompt());
    const cpuPerPrompt = (cpuMs() - cpuBefore) / RUNS;
    const oneFile = [];
    for (let i = 0; i < RUNS; i++) {
      oneFile.push(
        await onePrompt(() => writeFileSync(join(workspace, "pkg7", "src", "file7.ts"), `// ${i}\n`)),
      );
    }
    const fresh = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      const { checkpoints } = sessionFor();
      fresh.push(
        await timed(() => {
          checkpoints.promptStarted("first");
          return checkpoints.beforeChange("first", []);
        }),
      );
    }
    const rewinds = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      await onePrompt(() => writeFileSync(join(workspace, "pkg8", "src", "file8.ts"), `// rewound ${i}\n`));
      const target = `p${prompt - 1}`;
      rewinds.push(
        await timed(async () => {
          const result = await session.rewind(target, { force: true });
          if (!result.ok || result.restore.length !== 1) throw new Error(`rewind: ${JSON.stringify(result)}`);
        }),
      );
    }

    table.row(
      "checkpoint per prompt, 10,000 files, nothing changed: before snapshot",
      fmt(median(unchanged.map((r) => r.before))),
      "≤ 50 ms",
    );
    table.row(
      "same, CPU per prompt (before + after, git and claw; load-independent)",
      fmt(cpuPerPrompt),
      "—",
    );
    table.row(
      "same, after snapshot (queued: the prompt does not wait)",
      fmt(median(unchanged.map((r) => r.after))),
      "—",
    );
    table.row(
      "checkpoint per prompt, one file changed: before + after",
      fmt(median(oneFile.map((r) => r.before + r.after))),
      "—",
    );
    table.row("first snapshot of the project (every file hashed once)", fmt(cold.before, 0), "—");
    table.row("a new session's first snapshot (index seeded from the last one)", fmt(median(fresh)), "—");
    table.row("rewind of one file (snapshot, restore, snapshot)", fmt(median(rewinds)), "—");
  } finally {
    for (const store of stores) store.close();
    rmSync(configHome, { recursive: true, force: true });
  }
  table.print();
}

await main();
