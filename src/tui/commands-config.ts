// The REPL commands that look at or change how claw is set up here: /permissions, /memory, /init.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parsePermissionMode } from "../policy/permissions.js";
import type { CommandEnv } from "./commands.js";
import type { ReplController } from "./controller.js";

export function permissionsCommand(c: ReplController, args: string): void {
  const rt = c.runtime;
  const [verb, ...rest] = args.split(/\s+/).filter(Boolean);
  if (!verb) {
    const rules =
      rt.gate
        .sessionRules()
        .map((r) => `  ${r.behavior} ${r.rule}`)
        .join("\n") || "  (none)";
    c.print(
      `Permission mode: ${c.style.bold(rt.gate.mode)}\nSession rules:\n${rules}\nChange with /permissions <read-only|workspace-write|danger-full-access|default>, /permissions allow|deny|remove <rule>.`,
    );
    return;
  }
  if (verb === "allow" || verb === "deny") {
    const rule = rest.join(" ");
    const error = rule
      ? rt.gate.addSessionRule(verb, rule)
      : "Give a rule, e.g. /permissions allow Bash(npm test:*)";
    if (error) c.notice("error", error);
    else c.notice("info", `Added session rule: ${verb} ${rule}`);
    return;
  }
  if (verb === "remove") {
    const rule = rest.join(" ");
    const found = rt.gate.sessionRules().find((r) => r.rule === rule.trim());
    if (found && rt.gate.removeSessionRule(found.behavior, found.rule))
      c.notice("info", `Removed session rule: ${found.behavior} ${found.rule}`);
    else c.notice("error", `No session rule "${rule}". /permissions lists them.`);
    return;
  }
  const mode = parsePermissionMode(verb);
  if (!mode.ok) {
    c.notice("error", mode.error);
    return;
  }
  rt.setPermissionMode(mode.mode);
  c.refreshFooter();
  c.notice("info", `Permission mode set to ${mode.mode}.`);
}

export async function memoryCommand(c: ReplController, env: CommandEnv, args: string): Promise<void> {
  const files = c.runtime.instructions ?? [];
  const match = /^open\s+(\d+)$/.exec(args);
  if (match) {
    const file = files[Number(match[1]) - 1];
    const editor = process.env.VISUAL || process.env.EDITOR;
    if (!file) {
      c.notice("error", `No instruction file number ${match[1]}; /memory lists them.`);
    } else if (!editor) {
      c.notice("warning", `Set $EDITOR to open files from here; the file is ${file.path}`);
    } else {
      await env.suspend(() => spawnSync(editor, [file.path], { stdio: "inherit", shell: true }));
      c.notice("info", `Edited ${file.path}; the change applies to new sessions (/clear).`);
    }
    return;
  }
  if (files.length === 0) {
    c.print("No instruction files loaded. Create CLAUDE.md or AGENTS.md in the project (try /init).");
    return;
  }
  c.print(
    `Instruction files:\n${files.map((f, i) => `  ${i + 1}. ${f.path}${f.truncated ? " (truncated)" : ""}`).join("\n")}\nOpen one with /memory open <n>.`,
  );
}

export async function initCommand(c: ReplController): Promise<void> {
  const prompt = [
    "Look around this repository (layout, build and test commands, conventions, important modules) and write a",
    "concise CLAUDE.md at its root that would help a new engineer or agent work here: how to build, test and lint,",
    "the architecture in a few lines, and conventions that are not obvious from the code.",
    "If CLAUDE.md or AGENTS.md already exists, do not overwrite it: show me what you would change and ask first.",
  ].join(" ");
  // Whatever the permission mode, changing an existing instruction file needs the user's yes.
  for (const name of ["CLAUDE.md", "AGENTS.md"]) {
    if (!existsSync(join(c.runtime.cwd, name))) continue;
    for (const tool of ["Edit", "Write"]) c.runtime.gate.addSessionRule("ask", `${tool}(./${name})`);
  }
  await c.runPrompt(prompt, "/init");
}
