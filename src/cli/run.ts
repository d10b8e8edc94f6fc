// Argument parsing and dispatch. Heavy modules (print mode, REPL, login) are imported only when chosen.
import { Command, CommanderError, Option } from "commander";
import type { SettingSource } from "../config/settings.js";
import type { CliOptions, OutputFormat } from "../runtime/options.js";
import {
  checkCombinations,
  parseBudget,
  parseJsonSchema,
  parseSettingSources,
  parseToolList,
} from "./embedding-flags.js";
import { OPTIONS, type OptionSpec } from "./option-table.js";

export interface RunCliContext {
  version: string;
  /**
   * Starts the interactive REPL. Passed in by the entry point (src/main.ts): the CLI and the REPL are front
   * ends side by side on the runtime layer and never import each other.
   */
  runInteractive(options: CliOptions): Promise<number>;
  /** The Agent SDK protocol server (`--input-format stream-json`), wired in by the entry point likewise. */
  runSdkServer(options: CliOptions): Promise<number>;
  /** `claw acp`: the Agent Client Protocol agent for editors. */
  runAcpServer(options: CliOptions): Promise<number>;
}

/** Splits "a,b c" style lists the way Claude Code's --allowedTools accepts them. */
function collectRules(value: string, previous: string[]): string[] {
  const parts = value.match(/[^\s,()]+(\([^)]*\))?/g) ?? [];
  return [...previous, ...parts];
}
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** How some options' values are read; the rest are strings, lists or switches as their flags say. */
const VALUE_PARSERS: Record<string, (value: string, previous: unknown) => unknown> = {
  "--setting-sources": parseSettingSources,
  "--tools": parseToolList,
  "--max-budget-usd": parseBudget,
  "--json-schema": parseJsonSchema,
  "--allowedTools": (v, previous) => collectRules(v, previous as string[]),
  "--disallowedTools": (v, previous) => collectRules(v, previous as string[]),
  "--add-dir": (v, previous) => collect(v, previous as string[]),
  "--mcp-config": (v, previous) => collect(v, previous as string[]),
  "--model": (v) => {
    if (!v.trim())
      throw new CommanderError(1, "claw.model", "--model needs a model name, e.g. --model sonnet");
    return v;
  },
  "--max-turns": (v) => {
    const n = Number.parseInt(v, 10);
    if (!Number.isFinite(n) || n < 1)
      throw new CommanderError(1, "claw.maxTurns", "--max-turns needs a positive number");
    return n;
  },
};
const CHOICES: Record<string, string[]> = {
  "--output-format": ["text", "json", "stream-json"],
  "--input-format": ["text", "stream-json"],
};

function toCommanderOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.help ?? "");
  // Keyed by the first long spelling ("--allowedTools" of "--allowedTools, --allowed-tools <rules...>").
  const long = /--[\w-]+/.exec(spec.flags)?.[0] ?? "";
  const parse = VALUE_PARSERS[long];
  if (parse) option.argParser(parse);
  const choices = CHOICES[long];
  if (choices) option.choices(choices);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

function buildProgram(ctx: RunCliContext, onAction: (run: () => Promise<number>) => void): Command {
  const program = new Command("claw")
    .exitOverride()
    // Every error line starts "claw: ", commander's own ("error: unknown option …") included.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, "claw: ")) })
    .helpOption(false)
    .argument("[prompt...]", "prompt");
  for (const spec of OPTIONS) program.addOption(toCommanderOption(spec));
  program.action((words: string[], raw: Record<string, unknown>) => {
    const options = toOptions(words, raw, ctx);
    onAction(async () => {
      if (options.inputFormat === "stream-json") return ctx.runSdkServer(options);
      if (options.print || !process.stdin.isTTY || !process.stdout.isTTY) {
        const { runPrintMode } = await import("./print-mode.js");
        return runPrintMode(options);
      }
      return ctx.runInteractive(options);
    });
  });

  program.command("prompt <text...>").action((words: string[]) => {
    const options = toOptions(words, { ...program.opts(), print: true }, ctx);
    onAction(async () => (await import("./print-mode.js")).runPrintMode(options));
  });
  program.command("acp").action(() => {
    onAction(() => ctx.runAcpServer(toOptions([], program.opts(), ctx)));
  });
  program.command("login").action(() => {
    onAction(async () => (await import("./login.js")).runLogin(toOptions([], program.opts(), ctx)));
  });
  program.command("logout").action(() => {
    onAction(async () => (await import("./login.js")).runLogout(toOptions([], program.opts(), ctx)));
  });
  program.command("config").action(() => {
    onAction(async () =>
      (await import("./config-command.js")).runConfigCommand(toOptions([], program.opts(), ctx)),
    );
  });
  program.command("system-prompt").action(() => {
    onAction(async () =>
      (await import("./config-command.js")).runSystemPromptCommand(toOptions([], program.opts(), ctx)),
    );
  });
  program.command("sessions").action(() => {
    onAction(async () =>
      (await import("./sessions-command.js")).runSessionsCommand(toOptions([], program.opts(), ctx)),
    );
  });
  program
    .command("export [session]")
    .option("--html", "one self-contained HTML page (default: markdown)", false)
    .option("-o, --output <file>", "where to write it")
    .action((session: string | undefined, sub: { html: boolean; output?: string }) => {
      onAction(async () =>
        (await import("./export-command.js")).runExportCommand({
          session,
          html: sub.html,
          output: sub.output,
        }),
      );
    });
  program
    .command("rewind [id]")
    .option("--list", "list the session's prompts", false)
    .option("--json", "one JSON object per line", false)
    .option("--force", "overwrite files changed outside claw", false)
    .action((id: string | undefined, sub: { list: boolean; json: boolean; force: boolean }) => {
      onAction(async () =>
        (await import("./rewind-command.js")).runRewindCommand({
          id,
          ...sub,
          resume: program.opts().resume as string | undefined,
        }),
      );
    });
  program
    .command("mcp [action] [args...]")
    .allowUnknownOption(true)
    .action((action: string | undefined, args: string[]) => {
      onAction(async () =>
        (await import("./mcp-command.js")).runMcpCommand(
          action ?? "help",
          args,
          toOptions([], program.opts(), ctx),
        ),
      );
    });
  return program;
}

function toOptions(words: string[], raw: Record<string, unknown>, ctx: RunCliContext): CliOptions {
  const prompt = words.length > 0 ? words.join(" ") : undefined;
  const skip = raw.dangerouslySkipPermissions === true;
  checkCombinations(raw, prompt);
  return {
    print: raw.print === true,
    prompt,
    outputFormat: (raw.outputFormat as OutputFormat | undefined) ?? "text",
    includePartialMessages: raw.includePartialMessages === true,
    model: raw.model as string | undefined,
    maxTurns: raw.maxTurns as number | undefined,
    systemPrompt: raw.systemPrompt as string | undefined,
    appendSystemPrompt: raw.appendSystemPrompt as string | undefined,
    permissionMode: skip ? "danger-full-access" : (raw.permissionMode as string | undefined),
    allowedTools: (raw.allowedTools as string[] | undefined) ?? [],
    disallowedTools: (raw.disallowedTools as string[] | undefined) ?? [],
    addDir: (raw.addDir as string[] | undefined) ?? [],
    continue: raw.continue === true,
    resume: raw.resume as string | undefined,
    sessionId: raw.sessionId as string | undefined,
    settings: raw.settings as string | undefined,
    mcpConfig: (raw.mcpConfig as string[] | undefined) ?? [],
    strictMcpConfig: raw.strictMcpConfig === true,
    verbose: raw.verbose === true,
    agents: raw.agents as string | undefined,
    agent: raw.agent as string | undefined,
    includeHookEvents: raw.includeHookEvents === true,
    version: ctx.version,
    inputFormat: raw.inputFormat === "stream-json" ? "stream-json" : "text",
    replayUserMessages: raw.replayUserMessages === true,
    permissionPromptTool: raw.permissionPromptTool as string | undefined,
    settingSources: raw.settingSources as SettingSource[] | undefined,
    forkSession: raw.forkSession === true,
    fallbackModel: raw.fallbackModel as string | undefined,
    tools: raw.tools as string[] | undefined,
    maxBudgetUsd: raw.maxBudgetUsd as number | undefined,
    sessionPersistence: raw.sessionPersistence !== false,
    jsonSchema: raw.jsonSchema as Record<string, unknown> | undefined,
  };
}

export async function runCli(argv: string[], ctx: RunCliContext): Promise<number> {
  let run: (() => Promise<number>) | undefined;
  const program = buildProgram(ctx, (r) => {
    run = r;
  });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its own one-line messages ("claw: unknown option '--x'").
      if (error.code.startsWith("claw.")) process.stderr.write(`claw: ${error.message}\n`);
      process.stderr.write("Run `claw --help` for usage.\n");
      return error.exitCode === 0 ? 0 : 1;
    }
    throw error;
  }
  if (!run) return 0;
  return run();
}
