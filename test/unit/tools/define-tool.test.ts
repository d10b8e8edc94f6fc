import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../../../src/tools/define-tool.js";
import { builtinTools } from "../../../src/tools/registry.js";

const tool = defineTool({
  name: "Demo",
  description: "demo",
  kind: "read",
  schema: z.object({
    file_path: z.string(),
    offset: z.number().int().min(1).optional(),
    mode: z.enum(["a", "b"]).optional(),
  }),
  execute: async () => ({ content: "ok" }),
});

describe("defineTool", () => {
  it("produces an object JSON schema the API accepts", () => {
    expect(tool.inputSchema.$schema).toBeUndefined();
    expect(tool.inputSchema.type).toBe("object");
    expect(tool.inputSchema.required).toEqual(["file_path"]);
    expect(JSON.stringify(tool.inputSchema)).not.toContain("9007199254740991");
  });

  it("explains invalid input in terms the model can act on", () => {
    const err = (input: unknown) => {
      const r = tool.parse(input);
      return r.ok ? "" : r.error;
    };
    expect(err({})).toBe("file_path is required (string)");
    expect(err({ file_path: 3 })).toBe("file_path must be a string (got number 3)");
    expect(err({ file_path: "x", offset: 0 })).toBe("offset must be at least 1");
    expect(err({ file_path: "x", offset: 1.5 })).toContain("offset must be an integer");
    expect(err({ file_path: "x", mode: "c" })).toBe('mode must be one of "a", "b"');
    expect(err(null)).toContain("must be a JSON object with fields file_path, offset, mode");
    expect(tool.parse({ file_path: "x" })).toEqual({ ok: true, value: { file_path: "x" } });
  });

  it("registers the built-in tools with Claude Code's names and valid schemas", () => {
    const names = builtinTools().map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["Bash", "BashOutput", "KillShell", "Read", "Write", "Edit"]),
    );
    for (const t of builtinTools()) {
      expect(t.inputSchema.type).toBe("object");
      expect(t.inputSchema.$schema).toBeUndefined();
      expect(t.description.length).toBeGreaterThan(80);
    }
  });
});
