// The permission dialog's preview of an Edit: a diff against the file itself (real line numbers, context).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PermissionQuestion } from "../../../src/policy/permission-types.js";
import { permissionPreview } from "../../../src/tui/permission-preview.js";
import { createStyle } from "../../../src/tui/style.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function question(input: Record<string, unknown>): PermissionQuestion {
  return { toolName: "Edit", input } as PermissionQuestion;
}

describe("permissionPreview for Edit", () => {
  it("diffs against the file: the hunk has the real line number and the lines around it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "claw-preview-"));
    dirs.push(cwd);
    writeFileSync(join(cwd, "app.js"), "function main() {\n  // TODO: greet\n  return 0;\n}\nmain();\n");
    const out = await permissionPreview(
      question({ file_path: "app.js", old_string: "// TODO: greet", new_string: "console.log('hi');" }),
      cwd,
      createStyle(false),
    );
    expect(out).toContain("@@ -1,4 +1,4 @@");
    expect(out).toContain(" function main() {");
    expect(out).toContain("-  // TODO: greet");
    expect(out).toContain("+  console.log('hi');");
    expect(out).toContain("   return 0;");
  });

  it("replaces every occurrence with replace_all", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "claw-preview-"));
    dirs.push(cwd);
    writeFileSync(join(cwd, "a.txt"), "x\ny\nx\n");
    const out = await permissionPreview(
      question({ file_path: "a.txt", old_string: "x", new_string: "z", replace_all: true }),
      cwd,
      createStyle(false),
    );
    expect(out.match(/^\+z$/gm)).toHaveLength(2);
  });

  it("falls back to the strings themselves when the file or the text is not there", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "claw-preview-"));
    dirs.push(cwd);
    const out = await permissionPreview(
      question({ file_path: "missing.js", old_string: "old line", new_string: "new line" }),
      cwd,
      createStyle(false),
    );
    expect(out).toContain("-old line");
    expect(out).toContain("+new line");
  });
});
