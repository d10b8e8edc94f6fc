// Glob, Grep, WebFetch, TodoWrite and NotebookEdit through the built CLI (dist/claw.js -p) against the mock
// API: the bundled ripgrep and the lazily loaded HTML converter work, and permission rules apply to them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClaw } from "../support/claw-runner.js";
import { setupMockApi } from "../support/e2e-context.js";
import { reply } from "../support/mock-anthropic.js";

const e2e = setupMockApi();
let web: Server;
let webUrl = "";

beforeAll(async () => {
  web = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      "<html><head><title>Docs</title></head><body><h1>Usage</h1><p>Call <code>claw -p</code>.</p></body></html>",
    );
  });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/docs`;
});
afterAll(async () => {
  web.closeAllConnections();
  await new Promise((resolve) => web.close(resolve));
});

type ToolResultBlock = { type: string; tool_use_id: string; content: unknown; is_error?: boolean };

function toolResults(n: number): ToolResultBlock[] {
  const body = e2e.mock.messageRequests()[n]?.body as { messages: Array<{ role: string; content: unknown }> };
  return ((body.messages.at(-1)?.content ?? []) as ToolResultBlock[]).filter((b) => b.type === "tool_result");
}
const text = (b: ToolResultBlock | undefined) =>
  typeof b?.content === "string" ? b.content : JSON.stringify(b?.content ?? "");

async function json(args: string[]) {
  const r = await runClaw([...args, "--output-format", "json"], { sandbox: e2e.sandbox, env: e2e.env() });
  return { ...r, result: JSON.parse(r.stdout || "{}") };
}

function file(rel: string, content: string): string {
  const path = join(e2e.sandbox.workspace, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe("search, web, todo and notebook tools through the built CLI", () => {
  it("Glob and Grep run the bundled ripgrep", async () => {
    const a = file("src/a.ts", "export const needle = 1;\n");
    file("src/b.md", "no match\n");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Glob", input: { pattern: "**/*.ts" }, id: "g1" }),
      reply.toolUse({ name: "Grep", input: { pattern: "needle", output_mode: "content" }, id: "g2" }),
      reply.text("done"),
    );
    const r = await json(["-p", "search"]);
    expect(r.code).toBe(0);
    expect(text(toolResults(1)[0])).toBe(a);
    expect(text(toolResults(2)[0])).toBe(`${a}:1:export const needle = 1;`);
  });

  it("WebFetch needs an allow rule in print mode, then returns the page as markdown", async () => {
    e2e.mock.enqueue(
      reply.toolUse({ name: "WebFetch", input: { url: webUrl, prompt: "how to call?" } }),
      reply.text("no"),
    );
    const denied = await json(["-p", "fetch"]);
    expect(toolResults(1)[0]?.is_error).toBe(true);
    expect(denied.result.permission_denials[0]).toMatchObject({ tool_name: "WebFetch" });

    e2e.mock.requests.length = 0;
    e2e.mock.enqueue(
      reply.toolUse({ name: "WebFetch", input: { url: webUrl, prompt: "how to call?" } }),
      reply.text("SUMMARY: call claw -p"),
      reply.text("ok"),
    );
    const r = await json(["-p", "fetch", "--allowedTools", "WebFetch(domain:127.0.0.1)"]);
    expect(r.code).toBe(0);
    // The page, as markdown, goes to the small model with the prompt; its answer is the tool result.
    const side = JSON.stringify(e2e.mock.messageRequests()[1]?.body);
    expect(side).toContain("# Usage");
    expect(side).toContain("Call `claw -p`.");
    const result = toolResults(2)[0];
    expect(result?.is_error).toBeFalsy();
    expect(text(result)).toContain("SUMMARY: call claw -p");
  });

  it("TodoWrite and NotebookEdit work in a run; NotebookEdit is refused in read-only mode", async () => {
    const nb = file(
      "nb.ipynb",
      `${JSON.stringify({ cells: [{ cell_type: "code", execution_count: 1, id: "c1", metadata: {}, outputs: [], source: ["1"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`,
    );
    const before = readFileSync(nb, "utf8");
    e2e.mock.enqueue(
      reply.toolUse({ name: "Read", input: { file_path: nb } }),
      reply.toolUse({ name: "NotebookEdit", input: { notebook_path: nb, cell_id: "c1", new_source: "2" } }),
      reply.text("no"),
    );
    await json(["-p", "edit", "--permission-mode", "plan"]);
    expect(toolResults(2)[0]?.is_error).toBe(true);
    expect(readFileSync(nb, "utf8")).toBe(before);

    e2e.mock.requests.length = 0;
    const todos = [
      { content: "Edit the notebook", activeForm: "Editing the notebook", status: "in_progress" },
    ];
    e2e.mock.enqueue(
      reply.toolUse({ name: "TodoWrite", input: { todos } }),
      reply.toolUse({ name: "Read", input: { file_path: nb } }),
      reply.toolUse({ name: "NotebookEdit", input: { notebook_path: nb, cell_id: "c1", new_source: "2" } }),
      reply.text("edited"),
    );
    const r = await json(["-p", "edit"]);
    expect(r.code).toBe(0);
    expect(text(toolResults(1)[0])).toMatch(/Task list updated: 1 task/);
    expect(toolResults(3)[0]?.is_error).toBeFalsy();
    expect(JSON.parse(readFileSync(nb, "utf8")).cells[0].source).toEqual(["2"]);
  });
});
