// Bundles bench/run.ts (which reuses the test mock server) and runs it.
import { spawnSync } from "node:child_process";
import { build } from "esbuild";

await build({
  entryPoints: ["bench/run.ts"],
  outfile: ".bench-tmp/bench.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
const result = spawnSync(process.execPath, [".bench-tmp/bench.mjs"], { stdio: "inherit" });
process.exit(result.status ?? 1);
