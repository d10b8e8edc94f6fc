// Adds and removes MCP servers in the file of the chosen scope (local/user settings, or the project's
// .mcp.json): locked read-modify-write with an atomic replace, other keys kept as they were.
import { isRecord } from "../util/is-record.js";
import { editJsonFile, readJsonObjectFile } from "../util/json-file-edit.js";
import { mcpConfigFiles } from "./config.js";

export type EditScope = "local" | "project" | "user";

/** The file `claw mcp add --scope <scope>` writes. */
function scopeFile(scope: EditScope, cwd: string, configHome: string): string {
  const files = mcpConfigFiles(cwd, configHome);
  if (scope === "user") return files[0]!.path;
  if (scope === "project") return files[2]!.path;
  return files[3]!.path;
}

async function editServers(
  path: string,
  change: (servers: Record<string, unknown>) => boolean,
): Promise<boolean> {
  return editJsonFile(path, (doc) => {
    const servers = isRecord(doc.mcpServers) ? { ...doc.mcpServers } : {};
    if (!change(servers)) return false;
    doc.mcpServers = servers;
    return true;
  });
}

/** Adds (or replaces) a server; returns the file written. */
export async function addMcpServer(options: {
  name: string;
  entry: Record<string, unknown>;
  scope: EditScope;
  cwd: string;
  configHome: string;
}): Promise<string> {
  const path = scopeFile(options.scope, options.cwd, options.configHome);
  await editServers(path, (servers) => {
    servers[options.name] = options.entry;
    return true;
  });
  return path;
}

/** Servers named `name` per scope file. */
export function findServerScopes(name: string, cwd: string, configHome: string): EditScope[] {
  const out: EditScope[] = [];
  for (const scope of ["local", "project", "user"] as const) {
    try {
      const doc = readJsonObjectFile(scopeFile(scope, cwd, configHome));
      if (isRecord(doc.mcpServers) && name in doc.mcpServers) out.push(scope);
    } catch {
      // unreadable file: it cannot hold the server as far as we can tell
    }
  }
  return out;
}

/** Removes a server from the scope's file; false when it was not there. */
export async function removeMcpServer(options: {
  name: string;
  scope: EditScope;
  cwd: string;
  configHome: string;
}): Promise<{ removed: boolean; path: string }> {
  const path = scopeFile(options.scope, options.cwd, options.configHome);
  const removed = await editServers(path, (servers) => {
    if (!(options.name in servers)) return false;
    delete servers[options.name];
    return true;
  });
  return { removed, path };
}
