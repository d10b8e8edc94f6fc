// `claw acp` driven by the official ACP SDK's client side over the child's stdio, as an editor would:
// tool calls and their updates, permission requests, cancel, session/load, the editor's buffers, its MCP servers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as acp from "@agentclientprotocol/sdk";
import { describe, expect, it } from "vitest";
import { killEditorsAfterEach, newSession, prompt, startEditor } from "../support/acp-editor.js";
import { setupMockApi } from "../support/e2e-context.js";
import { testServerEntry } from "../support/mcp-build.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const TIMEOUT = 60_000;

killEditorsAfterEach();

function toolResultSent(requestIndex: number): string {
  const messages = e2e.mock.messageRequests()[requestIndex]?.body.messages;
  return JSON.stringify(messages.at(-1).content);
}

describe("claw acp with an ACP client", () => {
  it(
    "streams a prompt's text, tool call and tool result as session updates",
    async () => {
      writeFileSync(join(e2e.sandbox.workspace, "notes.txt"), "line one\nline two\n");
      e2e.mock.enqueue(
        reply.toolUse({ name: "Read", input: { file_path: "notes.txt" } }),
        reply.text("The file has two lines."),
      );
      const editor = await startEditor(e2e);
      const sessionId = await newSession(e2e, editor);
      const response = await prompt(editor, sessionId, "read notes.txt");
      expect(response.stopReason).toBe("end_turn");
      const call = editor.updates.find((u) => u.sessionUpdate === "tool_call");
      expect(call).toMatchObject({
        kind: "read",
        title: "Read(notes.txt)",
        locations: [{ path: "notes.txt" }],
      });
      const done = editor.updates.find(
        (u) => u.sessionUpdate === "tool_call_update" && u.status === "completed",
      );
      expect(JSON.stringify(done)).toContain("line two");
      const text = editor.updates
        .filter((u) => u.sessionUpdate === "agent_message_chunk")
        .map((u) =>
          u.sessionUpdate === "agent_message_chunk" && u.content.type === "text" ? u.content.text : "",
        )
        .join("");
      expect(text).toBe("The file has two lines.");
    },
    TIMEOUT,
  );

  it(
    "asks the editor before an edit in Ask mode, and obeys allow and reject",
    async () => {
      const answers = ["allow_once", "reject_once"];
      const editor = await startEditor(e2e, {
        answerPermission: () => ({
          outcome: { outcome: "selected", optionId: answers.shift() ?? "reject_once" },
        }),
      });
      const sessionId = await newSession(e2e, editor);
      await editor.agent.request(acp.methods.agent.session.setMode, { sessionId, modeId: "default" });
      e2e.mock.enqueue(
        reply.toolUse({ name: "Write", input: { file_path: "allowed.txt", content: "yes\n" } }),
        reply.text("written"),
        reply.toolUse({ name: "Write", input: { file_path: "rejected.txt", content: "no\n" } }),
        reply.text("not written"),
      );
      await prompt(editor, sessionId, "write allowed.txt");
      await prompt(editor, sessionId, "write rejected.txt");
      expect(editor.permissionRequests).toHaveLength(2);
      expect(editor.permissionRequests[0]?.options.map((o) => o.kind)).toEqual([
        "allow_once",
        "allow_always",
        "reject_once",
      ]);
      expect(readFileSync(join(e2e.sandbox.workspace, "allowed.txt"), "utf8")).toBe("yes\n");
      expect(existsSync(join(e2e.sandbox.workspace, "rejected.txt"))).toBe(false);
      const diff = editor.updates.find((u) => u.sessionUpdate === "tool_call" && u.kind === "edit");
      expect(JSON.stringify(diff)).toContain('"type":"diff"');
    },
    TIMEOUT,
  );

  it(
    "session/cancel ends a running prompt with stopReason cancelled",
    async () => {
      e2e.mock.enqueue(reply.stall({ afterText: "working on it" }), reply.text("next answer"));
      const editor = await startEditor(e2e);
      const sessionId = await newSession(e2e, editor);
      const running = prompt(editor, sessionId, "take your time");
      await e2e.mock.waitForRequests(1);
      await editor.agent.notify(acp.methods.agent.session.cancel, { sessionId });
      expect((await running).stopReason).toBe("cancelled");
      expect((await prompt(editor, sessionId, "again")).stopReason).toBe("end_turn");
    },
    TIMEOUT,
  );

  it(
    "session/load replays an earlier session and continues it",
    async () => {
      e2e.mock.enqueue(reply.text("first answer"), reply.text("continued"));
      const first = await startEditor(e2e);
      const sessionId = await newSession(e2e, first);
      await prompt(first, sessionId, "remember KIWI");
      first.child.kill();
      const second = await startEditor(e2e);
      await second.agent.request(acp.methods.agent.session.load, {
        sessionId,
        cwd: e2e.sandbox.workspace,
        mcpServers: [],
      });
      const replayed = JSON.stringify(second.updates);
      expect(replayed).toContain("remember KIWI");
      expect(replayed).toContain("first answer");
      await prompt(second, sessionId, "what fruit?");
      expect(JSON.stringify(e2e.mock.messageRequests()[1]?.body.messages)).toContain("remember KIWI");
    },
    TIMEOUT,
  );

  it(
    "reads files through the editor's fs capability, so unsaved changes are seen",
    async () => {
      const path = join(e2e.sandbox.workspace, "draft.txt");
      writeFileSync(path, "saved on disk\n");
      e2e.mock.enqueue(reply.toolUse({ name: "Read", input: { file_path: path } }), reply.text("ok"));
      const editor = await startEditor(e2e, { editorFiles: { [path]: "unsaved editor text\n" } });
      const sessionId = await newSession(e2e, editor);
      await prompt(editor, sessionId, "read the draft");
      expect(toolResultSent(1)).toContain("unsaved editor text");
      expect(toolResultSent(1)).not.toContain("saved on disk");
    },
    TIMEOUT,
  );

  it(
    "offers the tools of an MCP server the editor passes in session/new",
    async () => {
      const server = await testServerEntry();
      e2e.mock.enqueue(
        reply.toolUse({ name: "mcp__editorsrv__echo", input: { text: "ping" } }),
        reply.text("ok"),
      );
      const editor = await startEditor(e2e, {
        answerPermission: () => ({ outcome: { outcome: "selected", optionId: "allow_once" } }),
      });
      const sessionId = await newSession(e2e, editor, [
        { name: "editorsrv", command: server.command, args: server.args, env: [] },
      ]);
      await prompt(editor, sessionId, "echo ping");
      const offered = e2e.mock.messageRequests()[0]?.body.tools.map((t: { name: string }) => t.name);
      expect(offered).toContain("mcp__editorsrv__echo");
      expect(toolResultSent(1)).toContain("echo: ping");
    },
    TIMEOUT,
  );
});
