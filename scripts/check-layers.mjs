// Fails when a lower layer imports a higher one (DESIGN.md: dependencies point down only).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const below = {
  util: [],
  auth: ["util"],
  api: ["auth", "util"],
  config: ["api", "auth", "util"],
  session: ["config", "api", "auth", "util"],
  tools: ["config", "api", "auth", "util"],
  mcp: ["tools", "config", "api", "auth", "util"],
  agent: ["tools", "mcp", "session", "config", "api", "auth", "util"],
  cli: ["tui", "agent", "tools", "mcp", "session", "config", "api", "auth", "util"],
  tui: ["cli", "agent", "tools", "mcp", "session", "config", "api", "auth", "util"],
};

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

const importPattern = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const problems = [];
for (const file of walk(root)) {
  const from = layerOf(file);
  if (from === "main") continue;
  const allowed = below[from];
  if (!allowed) {
    problems.push(`${relative(".", file)}: unknown layer "${from}" (add it to scripts/check-layers.mjs)`);
    continue;
  }
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
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
