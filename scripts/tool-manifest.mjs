// Writes src/tools/tool-manifest.json: each built-in tool's name, description, kind and JSON schema, taken from
// the tools' own definitions (zod schemas), so the CLI can offer the tools without loading their code.
// Run by scripts/build.mjs before bundling; test/unit/tools/tool-manifest.test.ts fails when it is stale.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "src/tools/tool-manifest.json");

export async function writeToolManifest() {
  // The registry imports the manifest it is about to replace: a first run starts from an empty one.
  if (!existsSync(target)) writeFileSync(target, "[]\n");
  const dir = join(root, ".bench-tmp");
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `tool-manifest-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: 'export { builtinManifest } from "./src/tools/registry.ts";',
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
    const { builtinManifest } = await import(pathToFileURL(outfile).href);
    const text = `${JSON.stringify(await builtinManifest(), null, 2)}\n`;
    if (readFileSync(target, "utf8") !== text) writeFileSync(target, text);
  } finally {
    rmSync(outfile, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await writeToolManifest();
