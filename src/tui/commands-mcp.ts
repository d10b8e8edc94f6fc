// /mcp: the MCP servers of this session, their status and tools (servers may still be connecting).
import type { ReplRuntime } from "./controller.js";
import type { Style } from "./style.js";

export function mcpStatusText(rt: ReplRuntime, st: Style): string {
  const servers = rt.mcp?.status() ?? [];
  if (servers.length === 0 && rt.mcpStarting?.()) {
    return "MCP servers are still connecting; their tools join the session when ready. Try /mcp again shortly.";
  }
  if (servers.length === 0)
    return "No MCP servers configured. Add one with `claw mcp add` or a .mcp.json file.";
  return servers
    .map((s) => {
      const status = s.status === "connected" ? st.color("green", s.status) : st.color("red", s.status);
      const head = `${st.bold(s.name)} ${status} ${st.dim(`(${s.type}, ${s.scope})`)}`;
      const tools = s.tools.length > 0 ? `\n  tools: ${s.tools.join(", ")}` : "";
      const error = s.error ? `\n  ${st.color("red", s.error)}` : "";
      return head + tools + error;
    })
    .join("\n");
}
