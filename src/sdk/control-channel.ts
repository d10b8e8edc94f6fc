// The control half of the stream-json protocol: requests claw sends to the host (can_use_tool, hook_callback,
// mcp_message) wait here for the control_response with the same request_id; answers to the host's requests go out.
import { randomUUID } from "node:crypto";

export type WriteLine = (message: Record<string, unknown>) => void;

/** The host answered a control request with an error, or went away before answering. */
export class ControlRequestError extends Error {}

interface Pending {
  resolve(response: Record<string, unknown>): void;
  reject(error: Error): void;
}

export class ControlChannel {
  private readonly pending = new Map<string, Pending>();
  private closedReason: string | undefined;

  constructor(private readonly write: WriteLine) {}

  /** Sends a request to the host and resolves with its success payload. Aborting withdraws the request. */
  request(request: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (this.closedReason) return Promise.reject(new ControlRequestError(this.closedReason));
    if (signal?.aborted) return Promise.reject(new ControlRequestError("interrupted"));
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(requestId)) return;
        // Tells the host it may stop asking its user (Claude Code's own behaviour after an interrupt).
        this.write({ type: "control_cancel_request", request_id: requestId });
        reject(new ControlRequestError("interrupted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(requestId, {
        resolve: (response) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(response);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      this.write({ type: "control_request", request_id: requestId, request });
    });
  }

  /** Routes a control_response from the host; false when no request of ours had that id. */
  settle(requestId: string, outcome: { response?: Record<string, unknown>; error?: string }): boolean {
    const waiting = this.pending.get(requestId);
    if (!waiting) return false;
    this.pending.delete(requestId);
    if (outcome.error !== undefined) waiting.reject(new ControlRequestError(outcome.error));
    else waiting.resolve(outcome.response ?? {});
    return true;
  }

  respond(requestId: string, response?: Record<string, unknown>): void {
    this.write({
      type: "control_response",
      response: { subtype: "success", request_id: requestId, ...(response ? { response } : {}) },
    });
  }

  respondError(requestId: string, error: string): void {
    this.write({ type: "control_response", response: { subtype: "error", request_id: requestId, error } });
  }

  /** The host's stdin closed: nothing more will be answered, so every waiting request fails now. */
  close(reason: string): void {
    this.closedReason = reason;
    for (const waiting of this.pending.values()) waiting.reject(new ControlRequestError(reason));
    this.pending.clear();
  }
}
