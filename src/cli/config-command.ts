// `claw config` (effective settings and where each came from) and `claw system-prompt` (the prompt claw sends).

import { AuthSource } from "../api/auth-source.js";
import { resolveModel } from "../api/models.js";
import { describeProvider, formatProviderInfo } from "../api/provider-selection.js";
import { formatSettingsReport } from "../config/config-display.js";
import { loadInstructionFiles } from "../config/instructions.js";
import { loadSettings, reportSettingsWarnings, settingsFileCandidates } from "../config/settings.js";
import { BUILTIN_TOOL_NAMES, buildSystemPrompt } from "../config/system-prompt.js";
import type { CliOptions } from "../runtime/options.js";
import { configHome } from "../util/config-home.js";

export async function runConfigCommand(options: CliOptions): Promise<number> {
  const cwd = process.cwd();
  const home = configHome();
  const loaded = await loadSettings({ cwd, configHome: home, flagSettings: options.settings });
  reportSettingsWarnings(loaded.warnings);
  process.stdout.write(formatSettingsReport(loaded, settingsFileCandidates({ cwd, configHome: home })));
  const env = process.env;
  const model = resolveModel({ flag: options.model, env, settingsModel: loaded.settings.model });
  const info = await describeProvider(model, {
    env,
    endpoints: (loaded.userOnly?.settings ?? loaded.settings).providers,
    anthropicCredentials: () => AuthSource.fromEnv(env)?.describe() ?? "saved login (claw login), if any",
  });
  process.stdout.write(
    `\nModel: ${model}\nProvider: ${typeof info === "string" ? info : formatProviderInfo(info)}\n`,
  );
  return 0;
}

export async function runSystemPromptCommand(options: CliOptions): Promise<number> {
  const cwd = process.cwd();
  const home = configHome();
  const loaded = await loadSettings({ cwd, configHome: home, flagSettings: options.settings });
  reportSettingsWarnings(loaded.warnings);
  const blocks = await buildSystemPrompt({
    cwd,
    model: resolveModel({ flag: options.model, settingsModel: loaded.settings.model }),
    instructions: loadInstructionFiles({ cwd, configHome: home }),
    appendSystemPrompt: options.appendSystemPrompt,
    systemPromptOverride: options.systemPrompt,
    toolNames: BUILTIN_TOOL_NAMES,
  });
  process.stdout.write(`${blocks.join("\n\n")}\n`);
  return 0;
}
