#!/usr/bin/env node
// Entry point: answers --version without importing anything (--help only the option table), then loads the CLI.
const args = process.argv.slice(2);

// A reader that goes away (`claw sessions | head -1`) ends the output, not the process with a stack trace.
// Print mode adds its own listener, which also stops the turn.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") return;
  process.stderr.write(`claw: cannot write the output (${error.code ?? error.message})\n`);
  process.exit(1);
});

function versionLine(): string {
  return __CLAW_COMMIT__ ? `claw ${__CLAW_VERSION__} (${__CLAW_COMMIT__})` : `claw ${__CLAW_VERSION__}`;
}

function helpText(optionsHelp: () => string): string {
  return `claw — a terminal coding agent

Usage:
  claw [options] [prompt]          start an interactive session (optionally with a first prompt)
  claw -p "<prompt>" [options]     answer once and exit (print mode); piped stdin is added
  claw prompt <text...>            same as -p
  claw login | logout              sign in with the OAuth server configured in settings, or sign out
  claw config                      show effective settings and where each value came from
  claw sessions                    list saved sessions for this directory
  claw export [id|file] [--html] [-o file]
                                   write a saved session (default: the latest here) as markdown, or as one
                                   self-contained web page
  claw mcp list|add|remove         manage MCP servers
  claw system-prompt               print the system prompt claw would send
  claw acp                         serve the Agent Client Protocol on stdio (for editors: Zed, JetBrains, ...)

Options:
${optionsHelp()}

Auth: ANTHROPIC_API_KEY (x-api-key), ANTHROPIC_AUTH_TOKEN (Bearer), or \`claw login\`.
ANTHROPIC_BASE_URL points claw at a gateway or proxy.
`;
}

/** True when one of the flags appears before any "--": `claw -p --help` and `claw login -h` show help too.
 * `claw mcp …` is left out: its trailing words are the server's own arguments (it has its own usage). */
function hasFlag(...names: string[]): boolean {
  if (args[0] === "mcp") return false;
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => names.includes(arg));
}

if (hasFlag("--help", "-h")) {
  process.stdout.write(helpText((await import("./cli/option-table.js")).optionsHelp));
} else if (hasFlag("--version", "-v")) {
  process.stdout.write(`${versionLine()}\n`);
} else if (!currentDirectoryExists()) {
  process.stderr.write(
    "claw: the current directory no longer exists; cd into a directory and run claw again\n",
  );
  process.exitCode = 1;
} else {
  // Node 22.1+ keeps the compiled code of claw's chunks in a cache directory (under the OS temp dir), so later
  // starts skip most of the compile; older Node has no such call. The native build (Bun) has its code as
  // bytecode already, so it leaves the cache alone.
  const { enableCompileCache } = (await import("node:module")) as { enableCompileCache?: () => unknown };
  if (!process.versions.bun) enableCompileCache?.();
  const { runCli } = await import("./cli/run.js");
  process.exitCode = await runCli(args, {
    version: versionLine(),
    runInteractive: async (options) => (await import("./tui/start.js")).runInteractive(options),
    runSdkServer: async (options) => (await import("./sdk/serve.js")).runSdkServer(options),
    runAcpServer: async (options) => (await import("./acp/server.js")).runAcpServer(options),
  });
}

/** process.cwd() throws when the directory was deleted under the shell. */
function currentDirectoryExists(): boolean {
  try {
    process.cwd();
    return true;
  } catch {
    return false;
  }
}
