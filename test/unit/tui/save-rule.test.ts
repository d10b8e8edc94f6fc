import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { saveAllowRule } from "../../../src/tui/save-rule.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("saveAllowRule", () => {
  it("creates the file, adds once, and keeps other keys", async () => {
    dir = mkdtempSync(join(tmpdir(), "claw-save-rule-"));
    const path = join(dir, ".claude", "settings.local.json");
    expect(await saveAllowRule(path, "Bash(npm test:*)")).toBeUndefined();
    writeFileSync(
      path,
      JSON.stringify({ env: { A: "1" }, permissions: { allow: ["Read"], deny: ["Bash(rm:*)"] } }),
    );
    expect(await saveAllowRule(path, "Bash(npm test:*)")).toBeUndefined();
    expect(await saveAllowRule(path, "Bash(npm test:*)")).toBeUndefined();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      env: { A: "1" },
      permissions: { allow: ["Read", "Bash(npm test:*)"], deny: ["Bash(rm:*)"] },
    });
  });

  it("leaves a file it cannot parse untouched", async () => {
    dir = mkdtempSync(join(tmpdir(), "claw-save-rule-"));
    const path = join(dir, "settings.local.json");
    writeFileSync(path, "{ not json");
    expect(await saveAllowRule(path, "Edit")).toMatch(/not valid JSON/);
    expect(readFileSync(path, "utf8")).toBe("{ not json");
  });
});
