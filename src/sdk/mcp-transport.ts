// An MCP transport over the control channel: the host runs the server in its own process (the SDK's
// createSdkMcpServer); each JSON-RPC message goes out as an mcp_message request, and its answer comes back in
// the control_response. claw's MCP client speaks through this like through stdio.
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { isRecord } from "../util/is-record.js";
import type { ControlChannel } from "./control-channel.js";

export class ControlChannelMcpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;

  constructor(
    private readonly channel: ControlChannel,
    private readonly serverName: string,
  ) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error(`the host's MCP server "${this.serverName}" is closed`);
    // Not awaited by the client: the answer arrives through onmessage, like a message read from a pipe.
    void this.channel
      .request({ subtype: "mcp_message", server_name: this.serverName, message })
      .then((response) => {
        const answer = response.mcp_response;
        // Notifications get a placeholder answer from the SDK; only answers to our requests go to the client.
        if (this.closed || !("id" in message) || !isRecord(answer)) return;
        this.onmessage?.(answer as JSONRPCMessage);
      })
      .catch((error: unknown) => {
        if (this.closed) return;
        const reason = error instanceof Error ? error.message : String(error);
        if ("id" in message && "method" in message) {
          // The request fails at once instead of waiting for the client's timeout.
          this.onmessage?.({
            jsonrpc: "2.0",
            id: message.id,
            error: { code: -32603, message: `the host's MCP server did not answer: ${reason}` },
          } as JSONRPCMessage);
        } else this.onerror?.(new Error(reason));
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
