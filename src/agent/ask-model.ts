// A one-shot, tool-less question to a small model (WebFetch answers its prompt over a page with it).
import type { Provider, Usage } from "../api/types.js";

export interface AskModelOptions {
  provider: Provider;
  model: string;
  maxTokens?: number;
  /** Counted into the session's usage and cost. */
  onUsage?: (model: string, usage: Usage) => void;
}

export function createAskModel(
  options: AskModelOptions,
): (prompt: string, signal: AbortSignal) => Promise<string> {
  return async (prompt, signal) => {
    let text = "";
    for await (const event of options.provider.stream({
      model: options.model,
      maxTokens: options.maxTokens ?? 4096,
      system: [
        "Answer the request using only the content provided. Be concise and quote exactly when asked.",
      ],
      messages: [{ role: "user", content: prompt }],
      tools: [],
      signal,
    })) {
      if (event.type === "text_delta") text += event.text;
      else if (event.type === "retry") text = "";
      else if (event.type === "message_end")
        options.onUsage?.(event.message.model || options.model, event.message.usage);
      else if (event.type === "error") throw new Error(event.error.message);
    }
    return text;
  };
}
