// Bundles test/support/mcp-test-server.ts into one .mjs file (node 20 cannot run TypeScript) and gives
// the command lines for the test servers: ours and the off-the-shelf server-everything.
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";

/** The repository root: found upward from this file (or from a bundle of it, e.g. in .bench-tmp/). */
function findRoot(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "test/support/mcp-test-server.ts"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}
const root = findRoot();
let built: Promise<string> | undefined;

/** Path of the bundled test server (built once per test process). */
export function buildMcpTestServer(): Promise<string> {
  built ??= (async () => {
    const dir = join(tmpdir(), "claw-mcp-test-server");
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `server-${process.pid}-${Date.now()}.mjs`);
    await build({
      entryPoints: [join(root, "test/support/mcp-test-server.ts")],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "error",
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
    });
    return outfile;
  })();
  return built;
}

/** An .mcp.json-style entry for our test server with the given flags. */
export async function testServerEntry(...flags: string[]): Promise<{ command: string; args: string[] }> {
  return { command: process.execPath, args: [await buildMcpTestServer(), ...flags] };
}

/** The stdio entry for @modelcontextprotocol/server-everything. */
export function everythingServerEntry(): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: [join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "stdio"],
  };
}
