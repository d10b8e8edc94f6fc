// The contract every tool (built-in or MCP) implements. Tools are data: a schema and an execute function.
import type { ImageBlock, TextBlock } from "../api/types.js";
import type { SandboxLaunch } from "./os-sandbox.js";

export type ToolKind = "read" | "write" | "execute" | "network";

export interface ToolContext {
  /** The working directory; relative paths resolve against it. */
  cwd: string;
  /** Fires on user interrupt or turn abort; tools must stop and kill their children. */
  signal: AbortSignal;
  /** Resolves paths and checks workspace containment (symlinks included). */
  workspace: WorkspaceGuard;
  /** Extra environment for subprocesses (settings `env`); never contains credentials. */
  env: Record<string, string>;
  /** Where tools may save large outputs (full Bash output, etc). */
  scratchDir: string;
  /** Per-session state shared by tools (read-file timestamps, todos, background shells). */
  session: ToolSessionState;
  /** Progress for the UI (partial output). */
  onUpdate?: (text: string) => void;
  /** One request to a small, fast model (WebFetch answers its prompt over the page with it). */
  askModel?: (prompt: string, signal: AbortSignal) => Promise<string>;
  /** The OS sandbox for Bash, background shells and hooks (settings `sandbox`); absent when it is off. */
  shellSandbox?: ShellSandbox;
  /** One web search through the provider's server-side search tool; absent when the provider has none. */
  webSearch?: (request: WebSearchRequest, signal: AbortSignal) => Promise<WebSearchOutcome>;
  /** True for a path a deny rule forbids reading (`Read(./secrets/**)`): Grep and Glob leave it out of results. */
  isReadDenied?: (absolutePath: string) => boolean;
  /** When claw runs inside an editor (ACP): the editor's text for a file, unsaved changes included. */
  editorText?: (absolutePath: string) => Promise<string | undefined>;
  /**
   * When the editor takes file writes (ACP fs/write_text_file): Write and Edit save through it, so its open
   * buffers stay in step. False when it refused: the tool then writes the disk itself.
   */
  editorWrite?: (absolutePath: string, text: string) => Promise<boolean>;
  /** When the editor offers terminals (ACP): a foreground Bash command runs in one, shown in the tool call. */
  editorTerminal?: (request: EditorTerminalRequest) => Promise<EditorTerminalResult>;
  /** The id of the tool call being run (set by the loop). */
  toolUseId?: string;
}

export interface EditorTerminalRequest {
  command: string;
  cwd: string;
  /** Settings `env` for the command. */
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** The tool call that shows the terminal. */
  toolUseId: string | undefined;
}

export interface EditorTerminalResult {
  terminalId: string;
  /** stdout and stderr as the terminal showed them. */
  output: string;
  /** The editor kept only the end of a long output. */
  truncated: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  interrupted: boolean;
}

export interface ShellSandbox {
  /** Whether this call runs in the sandbox; the permission gate decided on the same answer. */
  confines(input: { command: string; dangerouslyDisableSandbox?: boolean | undefined }): boolean;
  /** How to start `shell -c command` in the sandbox. */
  launch(shell: string, command: string, cwd: string): Promise<SandboxLaunch>;
  /** One line for the model after a sandboxed command failed: what the sandbox blocks and how to get past it. */
  readonly failureNote: string;
}

export interface WebSearchRequest {
  query: string;
  allowedDomains?: string[];
  blockedDomains?: string[];
}

export interface WebSearchOutcome {
  results: Array<{ title: string; url: string; pageAge?: string }>;
  /** The model's own words about the results (with what it cited), if any. */
  text: string;
}

export interface WorkspaceGuard {
  /** The workspace roots, resolved (realpath). */
  readonly roots: readonly string[];
  /** Absolute, symlink-resolved path (nearest existing parent for paths that do not exist yet). */
  resolve(path: string): Promise<string>;
  /** True when the resolved path is inside one of the roots (separator-aware). */
  contains(resolvedPath: string): boolean;
}

export interface TodoItem {
  content: string;
  activeForm: string;
  status: "pending" | "in_progress" | "completed";
}

export interface ToolSessionState {
  /** Resolved path → mtimeMs at the time the model last read (or wrote) it. */
  readFiles: Map<string, number>;
  todos: TodoItem[];
}

export interface ToolResult {
  /** What the model sees (already truncated by the truncation module). */
  content: string | Array<TextBlock | ImageBlock>;
  /** A short line for the UI ("Read 120 lines", "exit 0, 3 lines of output"); may include a diff in `diff`. */
  display?: string;
  /** Unified diff for Edit/Write, shown by the UI. */
  diff?: string;
  isError?: boolean;
  /** Structured details for stream-json's tool_use_result (e.g. {stdout, stderr, interrupted}). */
  details?: Record<string, unknown>;
}

export interface Tool<Input = unknown> {
  name: string;
  description: string;
  kind: ToolKind;
  /** JSON schema offered to the model (object schema). */
  inputSchema: Record<string, unknown>;
  /** Validates raw model input; returns the parsed input or a message the model can act on. */
  parse(input: unknown): { ok: true; value: Input } | { ok: false; error: string };
  /** The paths this call touches (for the permission gate), resolved against ctx.cwd by the gate. */
  paths?(input: Input): string[];
  /** A one-line summary for the UI: `Read(src/index.ts)`. */
  summary?(input: Input): string;
  /**
   * Checks that the call can work (input values, files it needs, the read-before-write rule) without changing
   * anything; a message the model can act on, or undefined. Run before the user is asked to approve the call.
   */
  check?(input: Input, ctx: PreconditionContext): Promise<string | undefined>;
  execute(input: Input, ctx: ToolContext): Promise<ToolResult>;
  /** Loads the tool's code; the methods above work once it resolves (built-in tools load at first use). */
  load?(): Promise<void>;
}

/** What a precondition check may look at: no signal, no progress, nothing to run. */
export type PreconditionContext = Pick<
  ToolContext,
  "cwd" | "workspace" | "session" | "editorText" | "editorWrite"
>;
