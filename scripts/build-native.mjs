// `npm run build:native`: compiles claw into one executable, dist/claw-<platform>-<arch>, with Bun.
// Run by Node, this finds the Bun binary the `bun` dev dependency installed for this machine (no download) and runs
// this same file under it; under Bun it bundles src/main.ts with Bun.build and writes the executable. ripgrep is
// not inside the executable: it is copied beside it as dist/rg (the executable looks there, then on PATH).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const platform = process.platform === "win32" ? "windows" : process.platform;
const arch = process.arch === "arm64" ? "aarch64" : process.arch;
const outfile = join(
  root,
  "dist",
  `claw-${process.platform}-${process.arch}${platform === "windows" ? ".exe" : ""}`,
);

/** Under Node: refresh the tool manifest (as `npm run build` does), then hand over to Bun. */
async function runUnderBun() {
  const bun = locateBun();
  if (!bun) {
    console.error(
      `claw: no Bun binary for ${platform}-${arch} in node_modules: run \`npm ci\` (the bun dev dependency brings @oven/bun-${platform}-${arch}), or set BUN=/path/to/bun`,
    );
    // Its own code: CI skips the native tests on a machine without Bun rather than failing.
    process.exit(3);
  }
  const { writeToolManifest } = await import("./tool-manifest.mjs");
  await writeToolManifest();
  const result = spawnSync(bun, [fileURLToPath(import.meta.url)], { stdio: "inherit", cwd: root });
  process.exit(result.status ?? 1);
}

/** BUN, else the platform package (@oven/bun-linux-x64 …), else node_modules/bun's copy that its postinstall made. */
function locateBun() {
  const exe = platform === "windows" ? "bun.exe" : "bun";
  const candidates = [process.env.BUN];
  for (const variant of ["", "-baseline", "-musl", "-musl-baseline"])
    candidates.push(join(root, "node_modules", "@oven", `bun-${platform}-${arch}${variant}`, "bin", exe));
  candidates.push(join(root, "node_modules", "bun", "bin", "bun.exe"));
  for (const candidate of candidates) {
    // node_modules/bun/bin/bun.exe is a 1 KB placeholder until the postinstall replaced it with the binary.
    if (!candidate || !existsSync(candidate) || statSync(candidate).size < 1_000_000) continue;
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // wrong libc or CPU level: try the next variant
    }
  }
  return undefined;
}

function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    return "";
  }
}

/**
 * What the Node bundle leaves to node_modules or drops, resolved inside the executable instead:
 * - Ink's devtools module (loaded only when DEV=true) imports react-devtools-core, which is not installed: empty.
 * - @vscode/ripgrep computes rg's path from its own location, which is inside the executable: rg beside the
 *   executable instead (ripgrep.ts falls back to `rg` on PATH when that file is missing).
 * - zod's 40 translated locales: English only, as in scripts/build.mjs.
 */
const nativeModules = {
  name: "claw-native-modules",
  setup(build) {
    build.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      args.importer.includes("/node_modules/ink/")
        ? { path: "ink-devtools", namespace: "claw-native" }
        : undefined,
    );
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: "ink-devtools",
      namespace: "claw-native",
    }));
    build.onResolve({ filter: /^@vscode\/ripgrep$/ }, () => ({ path: "ripgrep", namespace: "claw-native" }));
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/")
        ? { path: resolve(dirname(args.importer), "../locales/en-only.js"), namespace: "claw-zod-locales" }
        : undefined,
    );
    const sources = {
      "ink-devtools": "export default {};",
      ripgrep: [
        'import { dirname, join } from "node:path";',
        `export const rgPath = join(dirname(process.execPath), process.platform === "win32" ? "rg.exe" : "rg");`,
      ].join("\n"),
    };
    build.onLoad({ filter: /.*/, namespace: "claw-native" }, (args) => ({
      contents: sources[args.path],
      loader: "js",
    }));
    build.onLoad({ filter: /.*/, namespace: "claw-zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      loader: "js",
    }));
  },
};

/** Under Bun: bundle and compile, then put rg beside the executable. */
async function compile() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await Bun.build({
    entrypoints: [join(root, "src", "main.ts")],
    target: "bun",
    format: "esm",
    // Measured on -p hello (BENCHMARKS.md): bytecode saves the parse of the bundle (about 3× faster start), and
    // splitting lets --version and -p load only their chunks from the executable (--version 35 vs 52 ms,
    // -p 57 vs 62 MiB). minify makes the chunks (and their bytecode) smaller.
    splitting: true,
    minify: true,
    bytecode: true,
    sourcemap: "none",
    define: {
      __CLAW_VERSION__: JSON.stringify(pkg.version),
      __CLAW_COMMIT__: JSON.stringify(gitCommit()),
      "process.env.NODE_ENV": JSON.stringify("production"),
    },
    plugins: [nativeModules],
    // A project's .env or bunfig.toml must not change what claw does: only Node-style configuration applies.
    compile: {
      outfile,
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
    },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
  chmodSync(outfile, 0o755);
  copyRipgrep();
  console.log(`${outfile.slice(root.length + 1)} (${(statSync(outfile).size / 1048576).toFixed(0)} MiB)`);
}

function copyRipgrep() {
  const exe = process.platform === "win32" ? "rg.exe" : "rg";
  const source = join(
    root,
    "node_modules",
    "@vscode",
    `ripgrep-${process.platform}-${process.arch}`,
    "bin",
    exe,
  );
  if (!existsSync(source)) {
    console.warn(`claw: ${source} is missing: Grep and Glob in the executable will use rg from PATH`);
    return;
  }
  const target = join(dirname(outfile), exe);
  copyFileSync(source, target);
  chmodSync(target, 0o755);
}

if (process.versions.bun) await compile();
else await runUnderBun();
