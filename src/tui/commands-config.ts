// The REPL commands that look at or change how claw is set up here: /permissions (its text forms; the
// interactive list is in commands-permissions.ts), /memory, /init.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { parsePermissionMode } from "../policy/permissions.js";
import type { CommandEnv } from "./commands.js";
import { addRuleCommand, type FlagRules, permissionsList, removeRuleByText } from "./commands-permissions.js";
import type { ReplController } from "./controller.js";
import { pick } from "./pick.js";

export async function permissionsCommand(c: ReplController, args: string, flags?: FlagRules): Promise<void> {
  const rt = c.runtime;
  const [verb, ...rest] = args.split(/\s+/).filter(Boolean);
  if (!verb) return permissionsList(c, flags);
  if (verb === "list") {
    const rules =
      rt.gate
        .sessionRules()
        .map((r) => `  ${r.behavior} ${r.rule}`)
        .join("\n") || "  (none)";
    c.print(
      `Permission mode: ${c.style.bold(rt.gate.mode)}\nSession rules:\n${rules}\nChange with /permissions (interactive), /permissions <read-only|workspace-write|danger-full-access|default>, /permissions allow|deny|remove <rule>.`,
    );
    return;
  }
  if (verb === "add") return addRuleCommand(c, rest);
  if (verb === "allow" || verb === "deny") {
    const rule = rest.join(" ");
    const error = rule
      ? rt.gate.addSessionRule(verb, rule)
      : "Give a rule, e.g. /permissions allow Bash(npm test:*)";
    if (error) c.notice("error", error);
    else c.notice("info", `Added session rule: ${verb} ${rule}`);
    return;
  }
  if (verb === "remove") return removeRuleByText(c, rest.join(" "));
  const mode = parsePermissionMode(verb);
  if (!mode.ok) {
    c.notice("error", mode.error);
    return;
  }
  rt.setPermissionMode(mode.mode);
  c.refreshFooter();
  c.notice("info", `Permission mode set to ${mode.mode}.`);
}

/** Runs $VISUAL/$EDITOR on `path` with the terminal handed over; false (after saying why) when none is set. */
async function openInEditor(c: ReplController, env: CommandEnv, path: string): Promise<boolean> {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) {
    c.notice("warning", `Set $EDITOR to open files from here; the file is ${path}`);
    return false;
  }
  // The editor command may carry its own arguments ("code -w"): the shell splits it, the path is quoted.
  await env.suspend(() =>
    spawnSync(`${editor} '${path.replace(/'/g, `'\\''`)}'`, { stdio: "inherit", shell: true }),
  );
  return true;
}

/**
 * /memory: the project memory (./CLAUDE.md), the user memory (<config home>/CLAUDE.md) and the other loaded
 * instruction files; the chosen one is created when missing and opened in $EDITOR. `/memory open <n>` opens
 * the n-th loaded file directly.
 */
export async function memoryCommand(c: ReplController, env: CommandEnv, args: string): Promise<void> {
  const rt = c.runtime;
  const loaded = rt.instructions ?? [];
  const match = /^open\s+(\d+)$/.exec(args);
  let path: string | undefined;
  if (match) {
    path = loaded[Number(match[1]) - 1]?.path;
    if (!path) return c.notice("error", `No instruction file number ${match[1]}; /memory lists them.`);
  } else {
    const state = (p: string) => (existsSync(p) ? "" : " (new)");
    const project = join(rt.cwd, "CLAUDE.md");
    const user = join(rt.configHome, "CLAUDE.md");
    const others = loaded.map((f) => f.path).filter((p) => p !== project && p !== user);
    path = await pick(c, "Open a memory file in $EDITOR (↑/↓, Enter; Esc cancels)", [
      { value: project, label: `Project memory  ./CLAUDE.md${state(project)} · shared with the repository` },
      { value: user, label: `User memory     ${user}${state(user)} · for all your projects` },
      ...others.map((p) => ({ value: p, label: `Loaded          ${p}` })),
    ]);
    if (!path) return;
  }
  const created = !existsSync(path);
  if (created) {
    const { writeFileAtomic } = await import("../util/atomic-write.js");
    mkdirSync(dirname(path), { recursive: true });
    await writeFileAtomic(path, "");
  }
  if (!(await openInEditor(c, env, path))) return;
  c.notice(
    "info",
    `${created ? "Created and edited" : "Edited"} ${path}; the change applies to new sessions (/clear).`,
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
