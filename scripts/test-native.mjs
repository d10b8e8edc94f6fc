// `npm run test:native` (build:native, then this): runs a subset of the end-to-end suite against the native
// executable, dist/claw-<platform>-<arch>, instead of `node dist/claw.js` (the harness reads CLAW_BIN). The
// subset covers every tool, the three print formats, the REPL in tmux (Ctrl+C, exit, hooks, /login, trust), MCP,
// hooks, OAuth, proxies and TLS, the SDK and ACP protocols and the CLI's error paths; the rest of the suite
// tests code the two builds share. Extra arguments go to vitest (--reporter=json --outputFile.json=out.json).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const NATIVE_TEST_FILES = [
  // tools: Read Write Edit Bash WebFetch (+ SIGINT kills Bash's process group); Glob Grep TodoWrite NotebookEdit;
  // BashOutput KillShell; Skill WebSearch; Agent
  "test/e2e/agent-tools.test.ts",
  "test/e2e/agent-search-tools.test.ts",
  "test/e2e/background-shell.test.ts",
  "test/e2e/skills.test.ts",
  "test/e2e/subagents.test.ts",
  // print mode: text, json, stream-json; closed pipe, deleted directory, usage errors
  "test/e2e/print-mode.test.ts",
  "test/e2e/cli-usage.test.ts",
  // the REPL in tmux: basics, Ctrl+C during a stream and twice to leave, session hooks, /login
  "test/e2e/repl-basic.test.ts",
  "test/e2e/repl-interrupt.test.ts",
  "test/e2e/repl-hooks.test.ts",
  "test/e2e/repl-qa.test.ts",
  // the trust question before the REPL (stdin read, then handed to Ink)
  "test/e2e/repl-trust.test.ts",
  // MCP servers (stdio and HTTP), hooks in print mode
  "test/e2e/mcp-tools.test.ts",
  "test/e2e/hooks-print.test.ts",
  // OAuth: claw login against the mock authorization server, tokens refreshed and used
  "test/e2e/auth-login.test.ts",
  "test/e2e/security-oauth.test.ts",
  // HTTPS_PROXY / HTTP_PROXY (undici's ProxyAgent) and a private CA through NODE_EXTRA_CA_CERTS
  "test/e2e/api-proxy.test.ts",
  // the Agent SDK driving claw over stream-json, and ACP
  "test/e2e/sdk-query.test.ts",
  "test/e2e/sdk-protocol.test.ts",
  "test/e2e/acp.test.ts",
];

const binary = join(
  "dist",
  `claw-${process.platform}-${process.arch}${process.platform === "win32" ? ".exe" : ""}`,
);
if (!existsSync(binary)) {
  console.error(`claw: ${binary} is missing: run \`npm run build:native\` first`);
  process.exit(1);
}
const vitest = join("node_modules", "vitest", "vitest.mjs");
const result = spawnSync(process.execPath, [vitest, "run", ...NATIVE_TEST_FILES, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, CLAW_BIN: binary },
});
process.exit(result.status ?? 1);
