// The CLI offers the built-in tools from src/tools/tool-manifest.json without loading their code: it must say
// exactly what the tools' own definitions say, and a tool must behave the same whether loaded or offered.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { delegationManifest } from "../../../src/agent/delegation-manifest.js";
import { builtinManifest, builtinTools, loadTools } from "../../../src/tools/registry.js";
import { run, tempWorkspace, text } from "./tool-context.js";

describe("the built-in tool manifest", () => {
  it("matches every tool's name, description, kind and JSON schema (npm run build regenerates it)", async () => {
    const committed = JSON.parse(
      readFileSync(new URL("../../../src/tools/tool-manifest.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(await builtinManifest());
  });

  it("records the Agent and Skill tools' kind and JSON schema as their definitions say", async () => {
    const committed = JSON.parse(
      readFileSync(new URL("../../../src/agent/delegation-tools.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(await delegationManifest());
  });

  it("offers the tools in order before loading them; a call loads the tool and then validates and runs", async () => {
    const tools = builtinTools();
    expect(tools.map((t) => t.name)).toEqual((await builtinManifest()).map((t) => t.name));
    const bash = tools.find((t) => t.name === "Bash")!;
    // Before loading nothing can be validated; the runner always loads first.
    expect(bash.parse({ command: "echo hi" }).ok).toBe(false);
    await loadTools([bash]);
    expect(bash.parse({ command: 1 })).toEqual({ ok: false, error: expect.stringContaining("command") });
    expect(bash.summary?.({ command: "echo hi" })).toContain("echo hi");
    const ws = tempWorkspace();
    try {
      expect(text(await run(bash, { command: "echo hi" }, ws.ctx))).toBe("hi");
    } finally {
      ws.cleanup();
    }
  });
});
