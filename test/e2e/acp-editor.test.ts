// `claw acp` using what the editor offers: Bash runs in the editor's terminal (terminal/create, shown in the
// tool call, wait_for_exit, output, release), and Write/Edit save through fs/write_text_file so the editor's
// buffers stay in step (an edit applies to the unsaved buffer).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as acp from "@agentclientprotocol/sdk";
import { describe, expect, it } from "vitest";
import { killEditorsAfterEach, newSession, prompt, startEditor } from "../support/acp-editor.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
const TIMEOUT = 60_000;

killEditorsAfterEach();

const allow = () => ({ outcome: { outcome: "selected" as const, optionId: "allow_once" } });

function lastToolResult(requestIndex: number): string {
  return JSON.stringify(e2e.mock.messageRequests()[requestIndex]?.body.messages.at(-1).content);
}

describe("claw acp with the editor's terminal and file writes", () => {
  it(
    "runs Bash in an editor terminal shown in the tool call, and releases it",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "Bash", input: { command: "echo from-terminal; exit 3" } }),
        reply.text("saw it"),
      );
      const editor = await startEditor(e2e, { terminals: true, answerPermission: allow });
      const sessionId = await newSession(e2e, editor);
      expect((await prompt(editor, sessionId, "run it")).stopReason).toBe("end_turn");

      expect(editor.terminals).toHaveLength(1);
      const terminal = editor.terminals[0];
      expect(terminal?.args).toEqual(["-c", "echo from-terminal; exit 3"]);
      expect(terminal?.cwd).toBe(e2e.sandbox.workspace);
      expect(terminal?.released).toBe(true);
      // The model sees the terminal's output and exit status.
      expect(lastToolResult(1)).toContain("from-terminal");
      expect(lastToolResult(1)).toContain("Exit code 3");
      // The editor was told which terminal belongs to the call, and the call ends as failed (exit 3).
      const call = editor.updates.find((u) => u.sessionUpdate === "tool_call");
      const shown = editor.updates.find(
        (u) => u.sessionUpdate === "tool_call_update" && JSON.stringify(u.content ?? []).includes("terminal"),
      );
      expect(shown).toMatchObject({
        toolCallId: call?.sessionUpdate === "tool_call" ? call.toolCallId : "",
        content: [{ type: "terminal", terminalId: terminal?.id }],
      });
      const end = editor.updates.filter((u) => u.sessionUpdate === "tool_call_update").at(-1);
      expect(end).toMatchObject({ status: "failed" });
    },
    TIMEOUT,
  );

  it(
    "without the terminal capability Bash runs locally as before",
    async () => {
      e2e.mock.enqueue(
        reply.toolUse({ name: "Bash", input: { command: "echo local-run" } }),
        reply.text("ok"),
      );
      const editor = await startEditor(e2e, { answerPermission: allow });
      const sessionId = await newSession(e2e, editor);
      await prompt(editor, sessionId, "run it");
      expect(editor.terminals).toHaveLength(0);
      expect(lastToolResult(1)).toContain("local-run");
    },
    TIMEOUT,
  );

  it(
    "Write and Edit save through the editor; Edit applies to the unsaved buffer",
    async () => {
      const created = join(e2e.sandbox.workspace, "new.txt");
      const draft = join(e2e.sandbox.workspace, "draft.txt");
      writeFileSync(draft, "on disk: alpha\n");
      e2e.mock.enqueue(
        reply.toolUse({ name: "Write", input: { file_path: created, content: "written via editor\n" } }),
        reply.toolUse({ name: "Read", input: { file_path: draft } }),
        reply.toolUse({ name: "Edit", input: { file_path: draft, old_string: "beta", new_string: "gamma" } }),
        reply.text("done"),
      );
      const editor = await startEditor(e2e, {
        takesWrites: true,
        editorFiles: { [draft]: "unsaved: beta\n" },
        answerPermission: allow,
      });
      const sessionId = await newSession(e2e, editor);
      expect((await prompt(editor, sessionId, "write and edit")).stopReason).toBe("end_turn");
      expect(editor.writes).toEqual([
        { path: created, content: "written via editor\n" },
        { path: draft, content: "unsaved: gamma\n" },
      ]);
      expect(readFileSync(draft, "utf8")).toBe("unsaved: gamma\n");
      expect(lastToolResult(3)).toContain("gamma");
      expect(lastToolResult(3)).not.toMatch(/is_error":true/);
    },
    TIMEOUT,
  );

  it(
    "session/cancel stops a command running in the editor's terminal and releases it",
    async () => {
      e2e.mock.enqueue(reply.toolUse({ name: "Bash", input: { command: "sleep 60" } }), reply.text("next"));
      const editor = await startEditor(e2e, { terminals: true, answerPermission: allow });
      const sessionId = await newSession(e2e, editor);
      const running = prompt(editor, sessionId, "wait");
      while (editor.terminals.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await editor.agent.notify(acp.methods.agent.session.cancel, { sessionId });
      expect((await running).stopReason).toBe("cancelled");
      expect(editor.terminals[0]?.released).toBe(true);
    },
    TIMEOUT,
  );
});
