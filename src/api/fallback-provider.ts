// --fallback-model: a request the chosen model cannot serve (overloaded after the retries, or unavailable) is
// sent again to the fallback model, with a notice; the rest of that prompt's requests go there directly. Each
// prompt tries the chosen model first again (startPrompt), so a passing outage does not demote the session.
import type { ApiError, ModelRequest, Provider, ProviderEvent } from "./types.js";

/** Failures the fallback model may get past: the model is overloaded or not served, not the request wrong. */
function modelUnavailable(error: ApiError): boolean {
  if (error.kind === "overloaded") return true;
  if (error.kind === "server" && error.status === 503) return true;
  return error.kind === "invalid_request" && error.status === 404;
}

export interface FallbackProvider extends Provider {
  /** A new prompt: back to the chosen model. */
  startPrompt(): void;
}

export function withFallbackModel(provider: Provider, fallbackModel: string | undefined): FallbackProvider {
  if (!fallbackModel)
    return { serverTools: provider.serverTools, stream: (r) => provider.stream(r), startPrompt() {} };
  let unavailable: string | undefined;
  return {
    serverTools: provider.serverTools,
    startPrompt() {
      unavailable = undefined;
    },
    async *stream(request: ModelRequest): AsyncGenerator<ProviderEvent> {
      if (request.model === unavailable) {
        yield* provider.stream({ ...request, model: fallbackModel });
        return;
      }
      let streamed = false;
      for await (const event of provider.stream(request)) {
        if (event.type === "retry") streamed = false;
        else if (event.type === "text_delta" || event.type === "tool_use_start") streamed = true;
        if (event.type !== "error" || request.model === fallbackModel || !modelUnavailable(event.error)) {
          yield event;
          continue;
        }
        if (streamed) {
          // What the failed attempt showed is not the answer: the fallback sends the whole message again.
          yield { type: "retry", attempt: 1, delayMs: 0, reason: "switching to the fallback model" };
        }
        unavailable = request.model;
        yield {
          type: "notice",
          message: `${request.model} is unavailable (${event.error.message.replace(/\.$/, "")}); this prompt uses the fallback model ${fallbackModel}.`,
        };
        yield* provider.stream({ ...request, model: fallbackModel });
        return;
      }
    },
  };
}
