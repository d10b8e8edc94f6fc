// A real MCP server over stdio for tests, built on the SDK's server API. Bundled by mcp-build.ts and run
// with node. Flags pick a fault: --exit-at-startup, --no-init, --garbage, --bad-schemas, --startup-delay=ms.
import { writeFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const flags = new Set(process.argv.slice(2));
const flagValue = (name: string): string | undefined =>
  process.argv
    .slice(2)
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3);

if (flags.has("--exit-at-startup")) {
  process.stderr.write("test-server: cannot open database at /nonexistent/db.sqlite\n");
  process.exit(1);
}
if (flags.has("--no-init")) {
  // Reads requests and never answers: the client's startup timeout must fire.
  process.stdin.resume();
  setInterval(() => undefined, 1 << 30);
} else {
  await main();
}

async function main(): Promise<void> {
  const pidFile = flagValue("pid-file");
  if (pidFile) writeFileSync(pidFile, String(process.pid));
  const delay = Number(flagValue("startup-delay") ?? 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));

  const server = new McpServer({ name: "claw-test-server", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes the text back.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }),
  );
  server.registerTool(
    "env",
    { description: "Returns an environment variable.", inputSchema: { name: z.string() } },
    async ({ name }) => ({ content: [{ type: "text", text: `${name}=${process.env[name] ?? "(unset)"}` }] }),
  );
  server.registerTool(
    "touch",
    {
      description: "Creates a file (so tests can tell whether a call ran).",
      inputSchema: { path: z.string() },
    },
    async ({ path }) => {
      writeFileSync(path, "touched\n");
      return { content: [{ type: "text", text: `touched ${path}` }] };
    },
  );
  server.registerTool(
    "slow",
    { description: "Answers after ms milliseconds.", inputSchema: { ms: z.number() } },
    async ({ ms }) => {
      await new Promise((r) => setTimeout(r, ms));
      return { content: [{ type: "text", text: `slept ${ms}` }] };
    },
  );
  server.registerTool(
    "big",
    { description: "Returns a large text result.", inputSchema: { bytes: z.number() } },
    async ({ bytes }) => ({
      content: [{ type: "text", text: `BEGIN${"x".repeat(Math.max(0, bytes - 8))}END` }],
    }),
  );
  server.registerTool("crash", { description: "Exits the server mid-call." }, async () => {
    process.stderr.write("test-server: crashing on purpose\n");
    process.exit(3);
  });
  server.registerTool("hang", { description: "Never answers." }, () => new Promise(() => undefined));
  server.registerTool("fail", { description: "Returns an error result." }, async () => ({
    isError: true,
    content: [{ type: "text", text: "the widget is broken" }],
  }));
  server.registerTool("image", { description: "Returns a tiny PNG and a resource." }, async () => ({
    content: [
      { type: "image", data: TINY_PNG, mimeType: "image/png" },
      {
        type: "resource",
        resource: { uri: "file:///notes.txt", mimeType: "text/plain", text: "resource body" },
      },
    ],
  }));

  const transport = new StdioServerTransport();
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    if (flags.has("--garbage")) process.stdout.write("this is not json, just a log line\n");
    const result = (message as { result?: { tools?: unknown[] } }).result;
    if (flags.has("--bad-schemas") && Array.isArray(result?.tools)) {
      result.tools.push(
        { name: "string_schema", description: "bad", inputSchema: { type: "string" } },
        { name: "anyof_schema", description: "bad", inputSchema: { type: "object", anyOf: [{}, {}] } },
        { name: "no_schema", description: "bad" },
      );
    }
    return send(message);
  };
  await server.connect(transport);
  if (flags.has("--garbage")) process.stdout.write("{ broken json\n");
}

const TINY_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
