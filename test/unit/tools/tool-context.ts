// Test support for tool tests: a real temp workspace and a ToolContext over it.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToolSessionState } from "../../../src/tools/session-state.js";
import type { Tool, ToolContext, ToolResult } from "../../../src/tools/types.js";
import { createWorkspaceGuard } from "../../../src/tools/workspace.js";
import { isRunning } from "../../support/processes.js";

export interface TempWorkspace {
  root: string;
  dir: string;
  outside: string;
  ctx: ToolContext;
  controller: AbortController;
  cleanup(): void;
}

/** root/ws is the workspace, root/outside is a sibling directory outside it. */
export function tempWorkspace(options: { env?: Record<string, string> } = {}): TempWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "claw-tools-")));
  const dir = join(root, "ws");
  const outside = join(root, "outside");
  for (const d of [dir, outside]) mkdirSync(d, { recursive: true });
  const controller = new AbortController();
  const ctx: ToolContext = {
    cwd: dir,
    signal: controller.signal,
    workspace: createWorkspaceGuard(dir, [], { home: join(root, "home") }),
    env: options.env ?? {},
    scratchDir: join(root, "scratch"),
    session: createToolSessionState(),
  };
  return {
    root,
    dir,
    outside,
    ctx,
    controller,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Parses and runs a tool like the agent does; a parse failure becomes an error result. */
export async function run<I>(tool: Tool<I>, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = tool.parse(input);
  if (!parsed.ok) return { content: `Invalid input for ${tool.name}: ${parsed.error}`, isError: true };
  return tool.execute(parsed.value, ctx);
}

export function text(result: ToolResult): string {
  if (typeof result.content === "string") return result.content;
  return result.content.map((b) => (b.type === "text" ? b.text : `[${b.type}]`)).join("\n");
}

/**
 * A `sleep` duration (long, fractional) unique to this call, so liveProcesses/pgrep find this test's processes
 * and never another test's or another suite's running on the same machine.
 */
export function uniqueSleepSeconds(): string {
  return `${1000 + Math.floor(Math.random() * 9000)}.${process.pid}${Math.floor(Math.random() * 1000)}`;
}

/** Live (non-zombie) `sleep <marker>…` processes, to check that a shell tool killed what it started. */
export function liveProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.startsWith(`sleep ${marker} `) && isRunning(Number(entry))) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** Writes `rel` under `dir` (making its directories), optionally with a fixed mtime; returns its path. */
export function writeTreeFile(dir: string, rel: string, content: string, mtimeSec?: number): string {
  const path = join(dir, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  if (mtimeSec !== undefined) utimesSync(path, mtimeSec, mtimeSec);
  return path;
}
