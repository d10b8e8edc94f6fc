// WebSearch's side request: one Messages API call offering only the server-side web search tool
// (web_search_20250305), whose result blocks give the pages' titles and URLs. Its tokens count as usage.
import type { ApiError, Provider, Usage } from "../api/types.js";
import type { WebSearchOutcome, WebSearchRequest } from "../tools/types.js";
import { isRecord } from "../util/is-record.js";

export interface WebSearchRequestOptions {
  provider: Provider;
  /** The model that runs the search (the session's current model). */
  model: () => string;
  onUsage?: (model: string, usage: Usage) => void;
  /** How many searches the API may run for one call. */
  maxUses?: number;
}

/** ToolContext.webSearch for a provider that offers web search, else undefined. */
export function createWebSearch(
  options: WebSearchRequestOptions,
): ((request: WebSearchRequest, signal: AbortSignal) => Promise<WebSearchOutcome>) | undefined {
  if (!options.provider.serverTools?.webSearch) return undefined;
  return async (request, signal) => {
    const model = options.model();
    const tool: Record<string, unknown> = {
      type: "web_search_20250305",
      name: "web_search",
      max_uses: options.maxUses ?? 5,
    };
    if (request.allowedDomains) tool.allowed_domains = request.allowedDomains;
    if (request.blockedDomains) tool.blocked_domains = request.blockedDomains;
    const results: WebSearchOutcome["results"] = [];
    let text = "";
    for await (const event of options.provider.stream({
      model,
      maxTokens: 4096,
      system: [
        "You run web searches for a coding agent. Search for the query, then summarise briefly what the results say.",
      ],
      messages: [{ role: "user", content: `Search the web for: ${request.query}` }],
      tools: [],
      serverTools: [tool],
      signal,
    })) {
      if (event.type === "text_delta") text += event.text;
      else if (event.type === "retry") {
        text = "";
        results.length = 0;
      } else if (event.type === "server_tool_result") results.push(...searchResults(event.block));
      else if (event.type === "message_end")
        options.onUsage?.(event.message.model || model, event.message.usage);
      else if (event.type === "error") throw new Error(searchError(event.error));
    }
    return { results, text };
  };
}

function searchError(error: ApiError): string {
  if (error.kind !== "invalid_request") return error.message;
  return `the API did not accept the web search tool, so this provider or gateway may not offer web search (${error.message})`;
}

/** The results of a web_search_tool_result block; a search error (`error_code`) is thrown as a message. */
function searchResults(block: Record<string, unknown>): WebSearchOutcome["results"] {
  if (block.type !== "web_search_tool_result") return [];
  const content = block.content;
  if (isRecord(content) && typeof content.error_code === "string")
    throw new Error(`the search service answered ${content.error_code}`);
  if (!Array.isArray(content)) return [];
  return content.filter(isRecord).flatMap((r) =>
    typeof r.url === "string"
      ? [
          {
            title: typeof r.title === "string" ? r.title : "",
            url: r.url,
            ...(typeof r.page_age === "string" ? { pageAge: r.page_age } : {}),
          },
        ]
      : [],
  );
}
