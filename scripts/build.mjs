// Bundles src/main.ts into dist/ with code splitting, so --version and -p never parse the REPL's code.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
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
  logLevel: "warning",
});
chmodSync(`${staging}/claw.js`, 0o755);
const old = `dist.old-${process.pid}`;
if (existsSync("dist")) renameSync("dist", old);
renameSync(staging, "dist");
rmSync(old, { recursive: true, force: true });
