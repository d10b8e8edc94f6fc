// `claw mcp list|get|add|remove`: shows each server's health and tools, and edits the file of a scope.
import type { McpServerInfo } from "../mcp/manager.js";
import type { CliOptions } from "../runtime/options.js";
import { configHome } from "../util/config-home.js";

const USAGE = `Usage:
  claw mcp list                                   servers, their status and tools
  claw mcp get <name>                             one server in detail
  claw mcp add [options] <name> <command> [args...]
  claw mcp add --transport http|sse [options] <name> <url>
      -s, --scope local|project|user   where to save it (default local; project writes .mcp.json)
      -t, --transport stdio|http|sse   (default stdio)
      -e, --env KEY=value              environment for a stdio server (repeatable)
      -H, --header "Name: value"       header for an http/sse server (repeatable)
  claw mcp remove [-s scope] <name>`;

interface AddArgs {
  scope: "local" | "project" | "user";
  transport: "stdio" | "http" | "sse";
  env: Record<string, string>;
  headers: Record<string, string>;
  positional: string[];
}

class UsageError extends Error {}

function parseAddArgs(args: string[]): AddArgs {
  const out: AddArgs = { scope: "local", transport: "stdio", env: {}, headers: {}, positional: [] };
  let i = 0;
  const value = (flag: string): string => {
    const v = args[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const arg = args[i]!;
    // After a stdio server's command, everything belongs to the command.
    if (out.transport === "stdio" && out.positional.length >= 2) {
      out.positional.push(arg);
      continue;
    }
    if (arg === "--") {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const take = (): string => inline ?? value(flag);
    if (flag === "-s" || flag === "--scope") {
      const s = take();
      if (s !== "local" && s !== "project" && s !== "user")
        throw new UsageError(`unknown scope "${s}" (local, project or user)`);
      out.scope = s;
    } else if (flag === "-t" || flag === "--transport") {
      const t = take();
      if (t !== "stdio" && t !== "http" && t !== "sse")
        throw new UsageError(`unknown transport "${t}" (stdio, http or sse)`);
      out.transport = t;
    } else if (flag === "-e" || flag === "--env") {
      const kv = take();
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new UsageError(`--env needs KEY=value, got "${kv}"`);
      out.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (flag === "-H" || flag === "--header") {
      const h = take();
      const colon = h.indexOf(":");
      if (colon <= 0) throw new UsageError(`--header needs "Name: value", got "${h}"`);
      out.headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    } else if (arg.startsWith("-") && out.positional.length < 2) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      out.positional.push(arg);
    }
  }
  return out;
}

function describeTarget(info: McpServerInfo, raw: Record<string, unknown> | undefined): string {
  if (!raw) return info.type;
  if (typeof raw.url === "string") return `${raw.url} (${info.type.toUpperCase()})`;
  const args = Array.isArray(raw.args) ? ` ${raw.args.join(" ")}` : "";
  return `${String(raw.command ?? "")}${args}`;
}

function statusLine(info: McpServerInfo): string {
  if (info.status === "connected") {
    const skipped = info.skippedTools.length ? `, ${info.skippedTools.length} skipped` : "";
    return `✓ Connected (${info.tools.length} tool${info.tools.length === 1 ? "" : "s"}${skipped})`;
  }
  return `✗ Failed: ${info.error ?? "unknown error"}`;
}

async function listOrGet(options: CliOptions, name: string | undefined): Promise<number> {
  const { startMcpServers } = await import("../mcp/manager.js");
  const { loadMcpConfig } = await import("../mcp/config.js");
  const cwd = process.cwd();
  const home = configHome();
  const loaded = loadMcpConfig({
    cwd,
    configHome: home,
    mcpConfig: options.mcpConfig,
    strict: options.strictMcpConfig,
    flagSettings: options.settings,
  });
  for (const w of loaded.warnings) process.stderr.write(`claw: ${w}\n`);
  const servers = name ? loaded.servers.filter((s) => s.name === name) : loaded.servers;
  if (name && servers.length === 0) {
    process.stderr.write(`claw: no MCP server named "${name}"; see \`claw mcp list\`\n`);
    return 1;
  }
  if (servers.length === 0) {
    process.stdout.write(
      "No MCP servers configured. Add one with `claw mcp add <name> <command> [args...]`.\n",
    );
    return 0;
  }
  process.stdout.write("Checking MCP server health...\n\n");
  const manager = await startMcpServers({ cwd, configHome: home, servers });
  try {
    for (const info of manager.status()) {
      const raw = servers.find((s) => s.name === info.name);
      const target = describeTarget(info, raw?.config as Record<string, unknown> | undefined);
      process.stdout.write(`${info.name}: ${target} - ${statusLine(info)}\n`);
      if (name) {
        process.stdout.write(`  Scope: ${info.scope} (${info.source})\n  Type: ${info.type}\n`);
        for (const tool of info.tools) process.stdout.write(`  Tool: ${tool}\n`);
        for (const s of info.skippedTools) process.stdout.write(`  Skipped: ${s.name} (${s.reason})\n`);
        if (info.stderrTail) process.stdout.write(`  Stderr:\n${indent(info.stderrTail.trimEnd())}\n`);
      } else {
        for (const s of info.skippedTools) process.stdout.write(`  skipped tool ${s.name}: ${s.reason}\n`);
      }
    }
  } finally {
    await manager.close();
  }
  return 0;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

async function add(args: string[]): Promise<number> {
  const parsed = parseAddArgs(args);
  const [name, target, ...rest] = parsed.positional;
  if (!name || !target)
    throw new UsageError("add needs a name and a command (or a URL with --transport http|sse)");
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new UsageError(`server names may use letters, digits, "_", "-" and "."`);
  let entry: Record<string, unknown>;
  if (parsed.transport === "stdio") {
    entry = { type: "stdio", command: target, args: rest, env: parsed.env };
  } else {
    if (rest.length > 0) throw new UsageError(`unexpected arguments after the URL: ${rest.join(" ")}`);
    try {
      new URL(target);
    } catch {
      throw new UsageError(`"${target}" is not a URL`);
    }
    entry = { type: parsed.transport, url: target };
    if (Object.keys(parsed.headers).length > 0) entry.headers = parsed.headers;
  }
  const { addMcpServer } = await import("../mcp/config-edit.js");
  const path = await addMcpServer({
    name,
    entry,
    scope: parsed.scope,
    cwd: process.cwd(),
    configHome: configHome(),
  });
  process.stdout.write(`Added ${parsed.transport} MCP server "${name}" (${parsed.scope} scope) to ${path}\n`);
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { findServerScopes, removeMcpServer } = await import("../mcp/config-edit.js");
  let scope: "local" | "project" | "user" | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-s" || arg === "--scope" || arg.startsWith("--scope=")) {
      const v = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (v !== "local" && v !== "project" && v !== "user")
        throw new UsageError(`unknown scope "${v ?? ""}"`);
      scope = v;
    } else names.push(arg);
  }
  const name = names[0];
  if (!name || names.length > 1) throw new UsageError("remove needs exactly one server name");
  const cwd = process.cwd();
  const home = configHome();
  if (!scope) {
    const found = findServerScopes(name, cwd, home);
    if (found.length === 0) {
      process.stderr.write(`claw: no MCP server named "${name}" in local, project or user config\n`);
      return 1;
    }
    if (found.length > 1) {
      process.stderr.write(
        `claw: "${name}" is in several scopes (${found.join(", ")}); pick one with --scope\n`,
      );
      return 1;
    }
    scope = found[0]!;
  }
  const { removed, path } = await removeMcpServer({ name, scope, cwd, configHome: home });
  if (!removed) {
    process.stderr.write(`claw: no MCP server named "${name}" in ${path}\n`);
    return 1;
  }
  process.stdout.write(`Removed MCP server "${name}" from ${path}\n`);
  return 0;
}

export async function runMcpCommand(action: string, args: string[], options: CliOptions): Promise<number> {
  try {
    switch (action) {
      case "list":
        return await listOrGet(options, undefined);
      case "get":
        if (!args[0]) throw new UsageError("get needs a server name");
        return await listOrGet(options, args[0]);
      case "add":
        return await add(args);
      case "remove":
      case "rm":
        return await remove(args);
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(`unknown mcp command "${action}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`claw mcp: ${error.message}\n${USAGE}\n`);
      return 1;
    }
    const { JsonFileEditError } = await import("../util/json-file-edit.js");
    const { FileLockError } = await import("../util/file-lock.js");
    if (error instanceof JsonFileEditError || error instanceof FileLockError) {
      process.stderr.write(`claw mcp: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
