// The built-in tools, in the order they are offered to the model. What the model is offered (name,
// description, JSON schema) comes from tool-manifest.json, generated from the tools' own definitions at build
// time (scripts/tool-manifest.mjs; a unit test keeps it current), so a one-shot answer that calls no tool
// never loads the tool modules or zod, which validates their input. A tool's module loads at its first call.
import manifest from "./tool-manifest.json" with { type: "json" };
import type { Tool, ToolKind } from "./types.js";

/** Each built-in tool's module, by tool name, in the order the tools are offered. */
const LOADERS: Record<string, () => Promise<Tool>> = {
  Bash: async () => (await import("./bash.js")).bashTool as Tool,
  BashOutput: async () => (await import("./background-shells.js")).bashOutputTool as Tool,
  KillShell: async () => (await import("./background-shells.js")).killShellTool as Tool,
  Read: async () => (await import("./read.js")).readTool as Tool,
  Write: async () => (await import("./write.js")).writeTool as Tool,
  Edit: async () => (await import("./edit.js")).editTool as Tool,
  Glob: async () => (await import("./glob.js")).globTool as Tool,
  Grep: async () => (await import("./grep.js")).grepTool as Tool,
  WebFetch: async () => (await import("./web-fetch.js")).webFetchTool as Tool,
  WebSearch: async () => (await import("./web-search.js")).webSearchTool as Tool,
  TodoWrite: async () => (await import("./todo-write.js")).todoWriteTool as Tool,
  NotebookEdit: async () => (await import("./notebook-edit.js")).notebookEditTool as Tool,
};

export interface ToolManifestEntry {
  name: string;
  description: string;
  kind: ToolKind;
  inputSchema: Record<string, unknown>;
}

/** Every built-in tool. MCP tools are added by the agent after their servers connect. */
export function builtinTools(): Tool[] {
  return (manifest as ToolManifestEntry[]).map((entry) => {
    const load = LOADERS[entry.name];
    if (!load)
      throw new Error(`tool-manifest.json names ${entry.name}, which has no module: run npm run build`);
    return lazyTool(entry, load);
  });
}

/** Every built-in tool, loaded, with what the manifest records of it (for the generator and its test). */
export async function builtinManifest(): Promise<ToolManifestEntry[]> {
  const tools = await Promise.all(Object.values(LOADERS).map((load) => load()));
  return tools.map(({ name, description, kind, inputSchema }) => ({ name, description, kind, inputSchema }));
}

/** Loads the modules of these tools that are not loaded yet (a no-op for MCP tools and loaded ones). */
export async function loadTools(tools: Iterable<Tool | undefined>): Promise<void> {
  await Promise.all([...tools].map((tool) => tool?.load?.()));
}

/**
 * A tool offered from its manifest entry; its methods work once load() has resolved. `loaded()` gives the tool
 * behind it (for what a wrapper adds, such as the Agent tool's event reporting).
 */
export function lazyTool(entry: ToolManifestEntry, load: () => Promise<Tool>): Tool & { loaded(): Tool } {
  let loaded: Tool | undefined;
  let loading: Promise<void> | undefined;
  const real = (): Tool => {
    if (!loaded) throw new Error(`the ${entry.name} tool was used before it was loaded`);
    return loaded;
  };
  return {
    ...entry,
    loaded: real,
    load: () => {
      loading ??= load().then((tool) => {
        loaded = tool;
      });
      return loading;
    },
    // Before loading, nothing can be said about an input; describeCall then shows the tool's name.
    parse: (input) =>
      loaded ? loaded.parse(input) : { ok: false, error: `${entry.name} is not loaded yet` },
    paths: (input) => real().paths?.(input) ?? [],
    summary: (input) => real().summary?.(input) ?? entry.name,
    check: (input, ctx) => real().check?.(input, ctx) ?? Promise.resolve(undefined),
    execute: (input, ctx) => real().execute(input, ctx),
  };
}
