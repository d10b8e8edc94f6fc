// `claw acp`: claw as an Agent Client Protocol agent over stdio, for editors (Zed, JetBrains, Neovim, Emacs).
// Each ACP session is one runtime (its own cwd, MCP servers and session file) driven through the same agent
// loop as every other front end. The ACP SDK is loaded only here.
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";
import { StartupAuthError } from "../api/startup-auth.js";
import type { CliOptions } from "../runtime/options.js";
import { createRuntime, RuntimeError } from "../runtime/runtime.js";
import { AcpSession, clientMcpServers, MODES } from "./session.js";
import { historyUpdates } from "./updates.js";

export async function runAcpServer(options: CliOptions): Promise<number> {
  const stream = acp.ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  );
  const sessions = new Map<string, AcpSession>();
  let capabilities: acp.ClientCapabilities = {};
  const app = acp.agent({ name: "claw" });

  const open = async (
    params: { cwd: string; mcpServers: acp.McpServer[] },
    client: acp.AgentContext,
    resume?: string,
  ): Promise<AcpSession> => {
    let session: AcpSession | undefined;
    const canRead = capabilities.fs?.readTextFile === true;
    const canWrite = capabilities.fs?.writeTextFile === true;
    try {
      const runtime = await createRuntime(
        { ...options, resume, continue: false, sessionId: undefined, forkSession: false },
        {
          cwd: params.cwd,
          extraMcpServers: clientMcpServers(params.mcpServers),
          askPermission: (question, signal) =>
            session ? session.askPermission(question, signal) : Promise.resolve({ behavior: "deny" }),
          editorText: canRead
            ? (path) => (session ? session.editorText(path) : Promise.resolve(undefined))
            : undefined,
          editorWrite: canWrite
            ? (path, text) => (session ? session.editorWrite(path, text) : Promise.resolve(false))
            : undefined,
          editorTerminal:
            capabilities.terminal === true
              ? (request) => {
                  if (!session) throw new Error("the session is not ready");
                  return session.runInTerminal(request);
                }
              : undefined,
        },
      );
      session = new AcpSession(runtime, client);
    } catch (error) {
      if (error instanceof StartupAuthError) throw acp.RequestError.authRequired(undefined, error.message);
      if (error instanceof RuntimeError) throw acp.RequestError.invalidParams(undefined, error.message);
      throw error;
    }
    sessions.set(session.id, session);
    return session;
  };
  const sessionFor = (sessionId: string): AcpSession => {
    const session = sessions.get(sessionId);
    if (!session) throw acp.RequestError.resourceNotFound(sessionId);
    return session;
  };

  app.onRequest(acp.methods.agent.initialize, ({ params }) => {
    capabilities = params.clientCapabilities ?? {};
    return {
      protocolVersion: acp.PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: true, embeddedContext: true },
        mcpCapabilities: { http: true, sse: true },
      },
      authMethods: [],
      agentInfo: { name: "claw", version: options.version.replace(/^claw /, "") },
    };
  });
  app.onRequest(acp.methods.agent.authenticate, () => ({}));
  app.onRequest(acp.methods.agent.session.new, async ({ params, client }) => {
    const session = await open(params, client);
    return { sessionId: session.id, modes: session.modes() };
  });
  app.onRequest(acp.methods.agent.session.load, async ({ params, client }) => {
    const session = await open(params, client, params.sessionId);
    // The editor shows the conversation again before the load answers, as the protocol asks.
    for (const update of historyUpdates(session.history())) await session.notify(update);
    return { modes: session.modes() };
  });
  app.onRequest(acp.methods.agent.session.prompt, ({ params }) =>
    sessionFor(params.sessionId).prompt(params.prompt),
  );
  app.onNotification(acp.methods.agent.session.cancel, ({ params }) => {
    sessions.get(params.sessionId)?.cancel();
  });
  app.onRequest(acp.methods.agent.session.setMode, ({ params }) => {
    const session = sessionFor(params.sessionId);
    if (!MODES.some((mode) => mode.id === params.modeId)) {
      throw acp.RequestError.invalidParams(undefined, `unknown mode "${params.modeId}"`);
    }
    session.setMode(params.modeId);
    return {};
  });

  const connection = app.connect(stream);
  const stop = () => connection.close();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await connection.closed;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  for (const session of sessions.values()) await session.close();
  return 0;
}
