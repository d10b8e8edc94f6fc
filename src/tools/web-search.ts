// The WebSearch tool (Claude Code's name and schema): a web search answered by the provider's server-side
// search tool in a side request; the model gets the results' titles and URLs (and the search model's notes).
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { errorResult } from "./file-helpers.js";
import type { Tool, WebSearchOutcome } from "./types.js";

const DESCRIPTION = `Search the web and get back the matching pages' titles and URLs, with a short summary.

- Use it for facts newer than your training data or not in the repository: current versions, recent releases, error messages, documentation.
- allowed_domains restricts results to those sites; blocked_domains leaves sites out (not both at once).
- To read a result in full, call WebFetch with its URL. Mention the sources (URLs) you rely on in your answer.`;

const domain = z.string().min(1);
const schema = z.strictObject({
  query: z.string().min(2).describe("The search query"),
  allowed_domains: z.array(domain).optional().describe("Only include results from these domains"),
  blocked_domains: z.array(domain).optional().describe("Never include results from these domains"),
});

export type WebSearchInput = z.infer<typeof schema>;

export function formatSearchResults(query: string, outcome: WebSearchOutcome): string {
  const lines = [`Web search results for "${query}":`, ""];
  if (outcome.results.length === 0) lines.push("(no results)");
  outcome.results.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.title || "(untitled)"}`, `   ${r.url}${r.pageAge ? ` (${r.pageAge})` : ""}`);
  });
  if (outcome.text.trim()) lines.push("", outcome.text.trim());
  return lines.join("\n");
}

export const webSearchTool: Tool<WebSearchInput> = defineTool({
  name: "WebSearch",
  description: DESCRIPTION,
  kind: "network",
  schema,
  summary: (input) => `WebSearch("${input.query}")`,
  async execute(input, ctx) {
    if (input.allowed_domains?.length && input.blocked_domains?.length)
      return errorResult("Give allowed_domains or blocked_domains, not both.");
    if (!ctx.webSearch)
      return errorResult(
        "WebSearch is not available: the configured model provider does not offer a web search tool. Use WebFetch with a known URL instead.",
      );
    let outcome: WebSearchOutcome;
    try {
      outcome = await ctx.webSearch(
        {
          query: input.query,
          ...(input.allowed_domains?.length ? { allowedDomains: input.allowed_domains } : {}),
          ...(input.blocked_domains?.length ? { blockedDomains: input.blocked_domains } : {}),
        },
        ctx.signal,
      );
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      return errorResult(`WebSearch failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const count = outcome.results.length;
    return {
      content: formatSearchResults(input.query, outcome),
      display: `${count} ${count === 1 ? "result" : "results"}`,
      details: { query: input.query, results: outcome.results },
    };
  },
});
