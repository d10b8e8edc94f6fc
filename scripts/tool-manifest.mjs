// Writes src/tools/tool-manifest.json: each built-in tool's name, description, kind and JSON schema, taken from
// the tools' own definitions (zod schemas), so the CLI can offer the tools without loading their code; and
// src/agent/delegation-tools.json: the Agent and Skill tools' kind and schema (their descriptions are built at run time).
// Run by scripts/build.mjs before bundling; test/unit/tools/tool-manifest.test.ts fails when it is stale.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "src/tools/tool-manifest.json");
const delegationTarget = join(root, "src/agent/delegation-tools.json");

export async function writeToolManifest() {
  // The registry imports the manifest it is about to replace: a first run starts from an empty one.
  if (!existsSync(target)) writeFileSync(target, "[]\n");
  if (!existsSync(delegationTarget)) writeFileSync(delegationTarget, "{}\n");
  const dir = join(root, ".bench-tmp");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `tool-manifest-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: [
        'export { builtinManifest } from "./src/tools/registry.ts";',
        'export { delegationManifest } from "./src/agent/delegation-manifest.ts";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  try {
    const { builtinManifest, delegationManifest } = await import(pathToFileURL(outfile).href);
    writeIfChanged(target, await builtinManifest());
    writeIfChanged(delegationTarget, await delegationManifest());
  } finally {
    rmSync(outfile, { force: true });
  }
}

function writeIfChanged(path, value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (readFileSync(path, "utf8") !== text) writeFileSync(path, text);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await writeToolManifest();
