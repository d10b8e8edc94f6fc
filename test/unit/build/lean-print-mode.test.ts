// `claw -p` must not compile what a one-shot answer does not use: this follows the static imports of the
// print-mode entry in the real bundle graph and fails when a heavy library becomes reachable without an
// `await import(...)` on the way.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../support/claw-runner.js";

/** Packages the print-mode path may only reach through a dynamic import. */
// zod validates tool input, settings and resumed sessions: each loads it when it is used, never a plain answer.
const HEAVY = [
  "ink",
  "react",
  "highlight.js",
  "marked",
  "@modelcontextprotocol/sdk",
  "undici",
  "turndown",
  "zod",
];

async function staticGraph(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: "out",
    write: false,
    metafile: true,
    external: ["@vscode/ripgrep", "react-devtools-core"],
    logLevel: "silent",
  });
  const inputs = result.metafile.inputs;
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const imported of inputs[queue.shift()!]?.imports ?? []) {
      if (imported.kind === "dynamic-import" || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

describe("the print-mode import graph", () => {
  it("reaches no REPL, markdown, MCP, fetch, HTML or validation library statically", async () => {
    const graph = await staticGraph("src/cli/print-mode.ts");
    expect(graph.size).toBeGreaterThan(20);
    const reached = HEAVY.filter((pkg) => [...graph].some((path) => path.startsWith(`node_modules/${pkg}/`)));
    expect(reached).toEqual([]);
  });

  it("reaches the session export (HTML page, markdown) only through a dynamic import", async () => {
    for (const entry of ["src/main.ts", "src/cli/print-mode.ts", "src/cli/run.ts"]) {
      const graph = await staticGraph(entry);
      expect([...graph].filter((path) => path.startsWith("src/session/export/"))).toEqual([]);
    }
  });
});
