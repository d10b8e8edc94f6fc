// An editor for `claw acp` tests: spawns the built claw as an ACP agent and connects the official ACP SDK's
// client side over its stdio. Optionally it lends claw its buffers (fs/read_text_file), takes its writes
// (fs/write_text_file, saved to disk as an editor would) and runs its commands in terminals (terminal/*).
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";
import { afterEach } from "vitest";
import { CLAW_COMMAND, cleanEnv } from "./claw-runner.js";
import type { MockApiContext } from "./e2e-context.js";

export interface EditorTerminal {
  id: string;
  command: string;
  args: string[];
  cwd: string | null | undefined;
  output: string;
  released: boolean;
}

export interface Editor {
  agent: acp.ClientContext;
  updates: acp.SessionUpdate[];
  permissionRequests: acp.RequestPermissionRequest[];
  /** fs/write_text_file requests, in order. */
  writes: Array<{ path: string; content: string }>;
  terminals: EditorTerminal[];
  child: ChildProcess;
}

export interface EditorOptions {
  answerPermission?: (request: acp.RequestPermissionRequest) => acp.RequestPermissionResponse;
  /** The editor's buffers (offers fs/read_text_file). */
  editorFiles?: Record<string, string>;
  /** Offers fs/write_text_file. */
  takesWrites?: boolean;
  /** Offers terminal/*. */
  terminals?: boolean;
}

const running: ChildProcess[] = [];

/** Call once at the top of a test file: kills what each test started. */
export function killEditorsAfterEach(): void {
  afterEach(() => {
    for (const child of running.splice(0)) child.kill("SIGKILL");
  });
}

/** Spawns `claw acp` and connects an ACP client to it. */
export async function startEditor(e2e: MockApiContext, opts: EditorOptions = {}): Promise<Editor> {
  const child = spawn(CLAW_COMMAND[0]!, [...CLAW_COMMAND.slice(1), "acp"], {
    cwd: e2e.sandbox.workspace,
    env: cleanEnv(e2e.sandbox, e2e.env()),
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.push(child);
  child.stderr?.resume();
  const updates: acp.SessionUpdate[] = [];
  const permissionRequests: acp.RequestPermissionRequest[] = [];
  const writes: Editor["writes"] = [];
  const terminals = new TerminalHost();
  const app = acp
    .client({ name: "test-editor" })
    .onNotification(acp.methods.client.session.update, ({ params }) => {
      updates.push(params.update);
    })
    .onRequest(acp.methods.client.session.requestPermission, ({ params }) => {
      permissionRequests.push(params);
      return opts.answerPermission?.(params) ?? { outcome: { outcome: "cancelled" } };
    })
    .onRequest(acp.methods.client.fs.readTextFile, ({ params }) => {
      const text = opts.editorFiles?.[params.path];
      if (text === undefined) throw acp.RequestError.resourceNotFound(params.path);
      return { content: text };
    })
    .onRequest(acp.methods.client.fs.writeTextFile, ({ params }) => {
      writes.push({ path: params.path, content: params.content });
      writeFileSync(params.path, params.content);
      return {};
    })
    .onRequest(acp.methods.client.terminal.create, ({ params }) => terminals.create(params))
    .onRequest(acp.methods.client.terminal.waitForExit, ({ params }) =>
      terminals.waitForExit(params.terminalId),
    )
    .onRequest(acp.methods.client.terminal.output, ({ params }) => terminals.output(params.terminalId))
    .onRequest(acp.methods.client.terminal.kill, ({ params }) => terminals.kill(params.terminalId))
    .onRequest(acp.methods.client.terminal.release, ({ params }) => terminals.release(params.terminalId));
  const stream = acp.ndJsonStream(
    Writable.toWeb(child.stdin as Writable) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout as Readable) as ReadableStream<Uint8Array>,
  );
  const agent = app.connect(stream).agent;
  await agent.request(acp.methods.agent.initialize, {
    protocolVersion: acp.PROTOCOL_VERSION,
    clientCapabilities: {
      fs: { readTextFile: opts.editorFiles !== undefined, writeTextFile: opts.takesWrites === true },
      terminal: opts.terminals === true,
    },
  });
  return { agent, updates, permissionRequests, writes, terminals: terminals.list, child };
}

export async function newSession(
  e2e: MockApiContext,
  editor: Editor,
  mcpServers: acp.McpServer[] = [],
): Promise<string> {
  const session = await editor.agent.request(acp.methods.agent.session.new, {
    cwd: e2e.sandbox.workspace,
    mcpServers,
  });
  return session.sessionId;
}

export function prompt(editor: Editor, sessionId: string, text: string): Promise<acp.PromptResponse> {
  return editor.agent.request(acp.methods.agent.session.prompt, {
    sessionId,
    prompt: [{ type: "text", text }],
  });
}

/** The editor's side of terminal/*: real processes, their output kept until release. */
class TerminalHost {
  readonly list: EditorTerminal[] = [];
  private readonly procs = new Map<
    string,
    { child: ChildProcess; exited: Promise<acp.TerminalExitStatus> }
  >();

  create(params: acp.CreateTerminalRequest): acp.CreateTerminalResponse {
    const id = `term-${this.list.length + 1}`;
    const env = Object.fromEntries((params.env ?? []).map((v) => [v.name, v.value]));
    const child = spawn(params.command, params.args ?? [], {
      cwd: params.cwd ?? undefined,
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: kill and release stop everything the command started, as an editor's terminal does.
      detached: true,
    });
    const terminal: EditorTerminal = {
      id,
      command: params.command,
      args: params.args ?? [],
      cwd: params.cwd,
      output: "",
      released: false,
    };
    const collect = (chunk: Buffer) => {
      terminal.output += chunk.toString("utf8");
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const exited = new Promise<acp.TerminalExitStatus>((resolve) =>
      child.on("close", (exitCode, signal) => resolve({ exitCode, signal })),
    );
    this.list.push(terminal);
    this.procs.set(id, { child, exited });
    return { terminalId: id };
  }

  private get(id: string) {
    const proc = this.procs.get(id);
    if (!proc) throw acp.RequestError.resourceNotFound(id);
    return proc;
  }

  async waitForExit(id: string): Promise<acp.WaitForTerminalExitResponse> {
    return this.get(id).exited;
  }

  async output(id: string): Promise<acp.TerminalOutputResponse> {
    const proc = this.get(id);
    const terminal = this.list.find((t) => t.id === id);
    const done = proc.child.exitCode !== null || proc.child.signalCode !== null;
    return {
      output: terminal?.output ?? "",
      truncated: false,
      ...(done ? { exitStatus: await proc.exited } : {}),
    };
  }

  private signalGroup(id: string, signal: NodeJS.Signals): void {
    const pid = this.get(id).child.pid;
    try {
      if (pid !== undefined) process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  kill(id: string): acp.KillTerminalResponse {
    this.signalGroup(id, "SIGTERM");
    return {};
  }

  release(id: string): acp.ReleaseTerminalResponse {
    this.signalGroup(id, "SIGKILL");
    this.procs.delete(id);
    const terminal = this.list.find((t) => t.id === id);
    if (terminal) terminal.released = true;
    return {};
  }
}
