#!/usr/bin/env node
// Entry point: answers --version and --help without importing anything, then loads the CLI.
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

const HELP = `claw — a terminal coding agent

Usage:
  claw [options] [prompt]          start an interactive session (optionally with a first prompt)
  claw -p "<prompt>" [options]     answer once and exit (print mode); piped stdin is added
  claw prompt <text...>            same as -p
  claw login | logout              sign in with the OAuth server configured in settings, or sign out
  claw config                      show effective settings and where each value came from
  claw sessions                    list saved sessions for this directory
  claw mcp list|add|remove         manage MCP servers
  claw system-prompt               print the system prompt claw would send
  claw acp                         serve the Agent Client Protocol on stdio (for editors: Zed, JetBrains, ...)

Options:
  -p, --print                      print mode: answer and exit
  --output-format <fmt>            text (default), json, stream-json
  --include-partial-messages       stream-json: also emit raw stream events
  --model <name>                   model to use (else settings, ANTHROPIC_MODEL, default)
  --max-turns <n>                  stop after n model turns
  --system-prompt <text>           replace the system prompt
  --append-system-prompt <text>    add to the system prompt
  --permission-mode <mode>         read-only | workspace-write | danger-full-access (or plan, acceptEdits,
                                   default, bypassPermissions)
  --dangerously-skip-permissions   same as --permission-mode danger-full-access
  --allowedTools <rules...>        permission rules to allow, e.g. "Bash(npm test:*)"
  --disallowedTools <rules...>     permission rules to deny
  --add-dir <dirs...>              more directories the tools may use
  -c, --continue                   resume the latest session in this directory
  -r, --resume <id>                resume a session by id
  --session-id <id>                id for a new session
  --settings <file-or-json>        extra settings, applied last
  --mcp-config <file-or-json...>   MCP servers to load
  --strict-mcp-config              use only --mcp-config servers
  --agents <json>                  subagents for this run: {"name": {"description", "prompt", "tools"?, "model"?}}
  --verbose                        accepted for Claude Code scripts (stream-json is always complete)
  --input-format <fmt>             text (default), or stream-json: JSON lines in, as the Agent SDK sends them
                                   (needs --output-format stream-json); with it:
      --replay-user-messages       echo each user line back
      --permission-prompt-tool stdio   ask the host (can_use_tool) instead of denying
  --setting-sources <list>         settings files to read: user,project,local (empty: none)
  --tools <list>                   built-in tools to offer ("" none, "default" all)
  -v, --version                    print the version
  -h, --help                       show this help

Auth: ANTHROPIC_API_KEY (x-api-key), ANTHROPIC_AUTH_TOKEN (Bearer), or \`claw login\`.
ANTHROPIC_BASE_URL points claw at a gateway or proxy.
`;

/** True when one of the flags appears before any "--": `claw -p --help` and `claw login -h` show help too.
 * `claw mcp …` is left out: its trailing words are the server's own arguments (it has its own usage). */
function hasFlag(...names: string[]): boolean {
  if (args[0] === "mcp") return false;
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => names.includes(arg));
}

if (hasFlag("--help", "-h")) {
  process.stdout.write(HELP);
} else if (hasFlag("--version", "-v")) {
  process.stdout.write(`${versionLine()}\n`);
} else if (!currentDirectoryExists()) {
  process.stderr.write(
    "claw: the current directory no longer exists; cd into a directory and run claw again\n",
  );
  process.exitCode = 1;
} else {
  // Node 22.1+ keeps the compiled code of claw's chunks in a cache directory (under the OS temp dir), so later
  // starts skip most of the compile; older Node has no such call.
  const { enableCompileCache } = (await import("node:module")) as { enableCompileCache?: () => unknown };
  enableCompileCache?.();
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
