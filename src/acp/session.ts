// One ACP session: a runtime plus the editor connection it reports to. A prompt runs one agent turn and
// streams its events as session/update notifications; approvals become session/request_permission.
import * as acp from "@agentclientprotocol/sdk";
import type { RunSummary } from "../agent/events.js";
import type { Message } from "../api/types.js";
import type { McpServerEntry } from "../mcp/config.js";
import type { PermissionAnswer, PermissionQuestion } from "../policy/permission-types.js";
import { parsePermissionMode } from "../policy/permissions.js";
import type { Runtime } from "../runtime/runtime.js";
import type { EditorTerminalRequest, EditorTerminalResult } from "../tools/types.js";
import { runInEditorTerminal } from "./editor-terminal.js";
import { promptContent } from "./prompt-content.js";
import { type AcpUpdate, createUpdateMapper, toolKind } from "./updates.js";

/** claw's permission modes as the editor's mode picker offers them. */
export const MODES = [
  { id: "default", name: "Ask", description: "Asks before edits and commands that change things" },
  {
    id: "workspace-write",
    name: "Edit automatically",
    description: "Edits files in the workspace without asking",
  },
  { id: "read-only", name: "Read only", description: "Plans and reads; changes nothing" },
  { id: "danger-full-access", name: "Full access", description: "Runs everything without asking" },
];

/** The servers an editor passes in session/new, as claw's MCP entries. */
export function clientMcpServers(servers: readonly acp.McpServer[]): McpServerEntry[] {
  return servers.map((server) => {
    const base = { name: server.name, scope: "flag" as const, source: "the editor" };
    if ("type" in server && (server.type === "http" || server.type === "sse")) {
      const headers = Object.fromEntries(server.headers.map((h) => [h.name, h.value]));
      return { ...base, config: { type: server.type, url: server.url, headers } };
    }
    const stdio = server as acp.McpServerStdio;
    const env = Object.fromEntries(stdio.env.map((v) => [v.name, v.value]));
    return { ...base, config: { type: "stdio", command: stdio.command, args: stdio.args, env } };
  });
}

export class AcpSession {
  private turn: AbortController | undefined;
  /** Tool calls the editor has been told about (a subagent's calls are not shown). */
  private readonly shownCalls = new Set<string>();

  constructor(
    private readonly runtime: Runtime,
    private readonly client: acp.AgentContext,
  ) {}

  get id(): string {
    return this.runtime.sessionId;
  }

  history(): readonly Message[] {
    return this.runtime.agent.messages;
  }

  modes(): acp.SessionModeState {
    return { currentModeId: this.runtime.gate.mode, availableModes: MODES };
  }

  notify(update: AcpUpdate): Promise<void> {
    return this.client.notify(acp.methods.client.session.update, {
      sessionId: this.id,
      update: update as acp.SessionUpdate,
    });
  }

  setMode(modeId: string): void {
    const parsed = parsePermissionMode(modeId);
    if (!parsed.ok) throw acp.RequestError.invalidParams(undefined, parsed.error);
    this.runtime.setPermissionMode(parsed.mode);
  }

  cancel(): void {
    this.turn?.abort();
  }

  async prompt(prompt: readonly unknown[]): Promise<acp.PromptResponse> {
    if (this.turn)
      throw acp.RequestError.invalidRequest(undefined, "a prompt is already running in this session");
    const content = promptContent(prompt);
    const first = content[0];
    // A plain text prompt goes in as text, so UserPromptSubmit hooks see it.
    const input = content.length === 1 && first?.type === "text" ? first.text : content;
    if (content.length === 0) return { stopReason: "end_turn" };
    const controller = new AbortController();
    this.turn = controller;
    const map = createUpdateMapper();
    let summary: RunSummary | undefined;
    try {
      for await (const event of this.runtime.agent.run(input, { signal: controller.signal })) {
        this.runtime.record(event);
        if (event.type === "done") summary = event.summary;
        for (const update of map(event)) {
          if (update.sessionUpdate === "tool_call") this.shownCalls.add(update.toolCallId);
          await this.notify(update);
        }
      }
    } finally {
      this.turn = undefined;
    }
    if (controller.signal.aborted) return { stopReason: "cancelled" };
    if (!summary) throw acp.RequestError.internalError(undefined, "the turn ended without a result");
    if (summary.subtype === "error_max_turns") return { stopReason: "max_turn_requests" };
    if (summary.isError) throw acp.RequestError.internalError(undefined, summary.result);
    if (summary.stopReason === "max_tokens") return { stopReason: "max_tokens" };
    if (summary.stopReason === "refusal") return { stopReason: "refusal" };
    return { stopReason: "end_turn" };
  }

  async askPermission(question: PermissionQuestion, signal: AbortSignal): Promise<PermissionAnswer> {
    const always = question.suggestedRule ?? question.toolName;
    let response: acp.RequestPermissionResponse;
    try {
      response = await this.client.request(
        acp.methods.client.session.requestPermission,
        {
          sessionId: this.id,
          toolCall: {
            toolCallId: question.toolUseId,
            title: `${question.toolName}: ${question.reason}`,
            kind: toolKind(question.toolName),
            status: "pending",
            rawInput: question.input,
          },
          options: [
            { optionId: "allow_once", name: "Allow", kind: "allow_once" },
            { optionId: "allow_always", name: `Always allow ${always}`, kind: "allow_always" },
            { optionId: "reject_once", name: "Reject", kind: "reject_once" },
          ],
        },
        // Cancelling the turn withdraws the question; the editor then answers "cancelled".
        { cancellationSignal: signal, stopWaitingOnCancel: true },
      );
    } catch {
      return { behavior: "deny", message: "the editor did not answer the permission request" };
    }
    const outcome = response.outcome;
    if (outcome.outcome !== "selected") return { behavior: "deny" };
    if (outcome.optionId === "allow_once") return { behavior: "allow" };
    if (outcome.optionId === "allow_always") return { behavior: "allow", remember: "session", rule: always };
    return { behavior: "deny" };
  }

  /** The editor's buffer for a file (unsaved changes included); undefined when it has none to give. */
  async editorText(path: string): Promise<string | undefined> {
    try {
      const response = await this.client.request(acp.methods.client.fs.readTextFile, {
        sessionId: this.id,
        path,
      });
      return response.content;
    } catch {
      return undefined;
    }
  }

  /** Saves a file through the editor (fs/write_text_file); false when it refused. */
  async editorWrite(path: string, content: string): Promise<boolean> {
    try {
      await this.client.request(acp.methods.client.fs.writeTextFile, { sessionId: this.id, path, content });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs a Bash command in an editor terminal, shown in its tool call. */
  runInTerminal(request: EditorTerminalRequest): Promise<EditorTerminalResult> {
    const callId = request.toolUseId;
    return runInEditorTerminal(this.client, this.id, request, async (terminalId) => {
      if (!callId || !this.shownCalls.has(callId)) return;
      await this.notify({
        sessionUpdate: "tool_call_update",
        toolCallId: callId,
        status: "in_progress",
        content: [{ type: "terminal", terminalId }],
      });
    });
  }

  close(): Promise<void> {
    this.turn?.abort();
    return this.runtime.close();
  }
}
