// Fails when a lower layer imports a higher one (DESIGN.md: dependencies point down only).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

// Each layer and the layers it may import. Front ends (cli, tui, sdk, acp) sit side by side on the runtime
// and never import each other; main.ts, the entry, wires them together.
const base = ["util"];
const below = {
  util: [],
  auth: base,
  api: ["auth", ...base],
  config: ["api", "auth", ...base],
  session: ["config", "api", "auth", ...base],
  tools: ["config", "api", "auth", ...base],
  mcp: ["tools", "config", "api", "auth", ...base],
  policy: ["tools", "config", "api", "auth", ...base],
  agent: ["policy", "tools", "mcp", "session", "config", "api", "auth", ...base],
  runtime: ["agent", "policy", "tools", "mcp", "session", "config", "api", "auth", ...base],
};
const frontEndBase = Object.keys(below);
for (const frontEnd of ["cli", "tui", "sdk", "acp"]) below[frontEnd] = frontEndBase;
below.main = ["cli", "tui", "sdk", "acp", ...frontEndBase];

const root = resolve("src");
function layerOf(file) {
  const rel = relative(root, file).split(sep);
  return rel.length > 1 ? rel[0] : "main";
}
function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

// `import x from "…"`, `export … from "…"`, a bare `import "…"` and `import("…")`.
const importPattern =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s*["']([^"']+)["']/g;
const problems = [];
for (const file of walk(root)) {
  const from = layerOf(file);
  const allowed = below[from];
  if (!allowed) {
    problems.push(`${relative(".", file)}: unknown layer "${from}" (add it to scripts/check-layers.mjs)`);
    continue;
  }
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec?.startsWith(".")) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(root + sep)) continue;
    const to = layerOf(target);
    if (to === from || allowed.includes(to)) continue;
    problems.push(`${relative(".", file)}: layer "${from}" must not import "${to}" (${spec})`);
  }
}
if (problems.length > 0) {
  console.error(`Layer check failed:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log("layer check: ok");
