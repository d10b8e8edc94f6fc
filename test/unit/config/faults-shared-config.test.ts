// FAULTS.md S6 at unit level: concurrent read-modify-write of one shared settings file by the writers claw has
// (`claw mcp add/remove` and the REPL's "allow and save") — the file is always valid JSON and no key is lost.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addMcpServer, removeMcpServer } from "../../../src/mcp/config-edit.js";
import { localSettingsPath, saveAllowRule } from "../../../src/tui/save-rule.js";

let root: string;
let cwd: string;
let configHome: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-s6-"));
  cwd = join(root, "proj");
  configHome = join(root, "home", ".claude");
  mkdirSync(join(cwd, ".claude"), { recursive: true });
  mkdirSync(configHome, { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Parses the file over and over until stopped; collects every parse failure. */
function watchJson(path: string): { stop: () => Promise<string[]> } {
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        text = "{}"; // not created yet
      }
      try {
        JSON.parse(text);
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return failures;
    },
  };
}

const ROUNDS = 100;
const entry = (i: number) => ({ type: "stdio", command: "echo", args: [String(i)] });

describe("S6: shared config rewritten concurrently", () => {
  it("two writers adding 100 MCP servers each to user settings: valid JSON throughout, all keys kept", async () => {
    const path = join(configHome, "settings.json");
    writeFileSync(path, JSON.stringify({ model: "keep-me", permissions: { allow: ["Read"] } }, null, 2));
    const watch = watchJson(path);
    const writer = async (prefix: string) => {
      for (let i = 0; i < ROUNDS; i++)
        await addMcpServer({ name: `${prefix}${i}`, entry: entry(i), scope: "user", cwd, configHome });
    };
    await Promise.all([writer("a"), writer("b")]);
    expect(await watch.stop()).toEqual([]);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc.model).toBe("keep-me");
    expect(doc.permissions).toEqual({ allow: ["Read"] });
    expect(Object.keys(doc.mcpServers)).toHaveLength(2 * ROUNDS);
  });

  it("adds and removes interleaved with another writer keep exactly the expected servers", async () => {
    const path = join(cwd, ".mcp.json");
    const adder = async () => {
      for (let i = 0; i < ROUNDS; i++)
        await addMcpServer({ name: `keep${i}`, entry: entry(i), scope: "project", cwd, configHome });
    };
    const churn = async () => {
      for (let i = 0; i < ROUNDS / 2; i++) {
        await addMcpServer({ name: `tmp${i}`, entry: entry(i), scope: "project", cwd, configHome });
        await removeMcpServer({ name: `tmp${i}`, scope: "project", cwd, configHome });
      }
    };
    await Promise.all([adder(), churn()]);
    const servers = Object.keys(JSON.parse(readFileSync(path, "utf8")).mcpServers).sort();
    expect(servers).toEqual(Array.from({ length: ROUNDS }, (_, i) => `keep${i}`).sort());
  });

  it("'allow and save' racing `claw mcp add` on settings.local.json loses neither rules nor servers", async () => {
    const path = localSettingsPath(cwd, configHome);
    writeFileSync(path, JSON.stringify({ env: { KEEP: "1" } }));
    const watch = watchJson(path);
    const rules = async () => {
      for (let i = 0; i < ROUNDS; i++) expect(await saveAllowRule(path, `Bash(tool${i}:*)`)).toBeUndefined();
    };
    const servers = async () => {
      for (let i = 0; i < ROUNDS; i++)
        await addMcpServer({ name: `s${i}`, entry: entry(i), scope: "local", cwd, configHome });
    };
    await Promise.all([rules(), servers()]);
    expect(await watch.stop()).toEqual([]);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc.env).toEqual({ KEEP: "1" });
    expect(doc.permissions.allow).toHaveLength(ROUNDS);
    expect(Object.keys(doc.mcpServers)).toHaveLength(ROUNDS);
  });
});
