// Bundles src/main.ts into dist/ with code splitting, so --version and -p never parse the REPL's code.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";
import { writeToolManifest } from "./tool-manifest.mjs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
let commit = "";
try {
  commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] })
    .toString()
    .trim();
} catch {
  // not a checkout (or no commits yet): the version stands alone
}

// What the CLI offers the model without loading the tools' code, taken from that code.
await writeToolManifest();

/**
 * zod's namespace export drags in its ~40 translated error-message locales (300 KB, a quarter of what -p used to
 * compile); claw uses only English, zod's default, so the locale index is replaced by English alone.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/")
        ? { path: args.importer, namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

// Build beside dist/ and swap it in, so a test run using dist/ never sees a half-written tree.
const staging = `dist.build-${process.pid}`;
await build({
  entryPoints: { claw: "src/main.ts" },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  minifySyntax: true,
  chunkNames: "chunks/[name]-[hash]",
  // rg's binary path is computed from the package's own location; devtools is an optional ink peer.
  external: ["@vscode/ripgrep", "react-devtools-core"],
  define: {
    __CLAW_VERSION__: JSON.stringify(pkg.version),
    __CLAW_COMMIT__: JSON.stringify(commit),
    "process.env.NODE_ENV": JSON.stringify("production"),
  },
  banner: {
    js: 'import { createRequire as __clawCreateRequire } from "node:module"; const require = __clawCreateRequire(import.meta.url);',
  },
  plugins: [zodEnglishOnly],
  logLevel: "warning",
});
chmodSync(`${staging}/claw.js`, 0o755);
// The native executables (npm run build:native) and the rg beside them are not rebuilt here: they stay.
for (const name of existsSync("dist") ? readdirSync("dist") : [])
  if (/^(claw-[a-z0-9]+-[a-z0-9]+(\.exe)?|rg(\.exe)?)$/.test(name))
    renameSync(`dist/${name}`, `${staging}/${name}`);
const old = `dist.old-${process.pid}`;
if (existsSync("dist")) renameSync("dist", old);
renameSync(staging, "dist");
rmSync(old, { recursive: true, force: true });
