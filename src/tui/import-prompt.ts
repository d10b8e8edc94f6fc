// The once-per-project question about `@import`s of files outside the project and the config home (a
// CLAUDE.md naming `@~/.netrc` or `@../../secret`): asked in the plain terminal before the REPL starts; the
// answer is remembered in the trust store, and print mode uses it too (see config/import-approvals.ts).
import { realpathSync } from "node:fs";
import { importDecider, rememberImportDecision } from "../config/import-approvals.js";
import { loadInstructionFiles } from "../config/instructions.js";
import { loadSettings } from "../config/settings.js";
import type { CliOptions } from "../runtime/options.js";
import { configHome } from "../util/config-home.js";
import type { Style } from "./style.js";
import { readAnswer } from "./trust-prompt.js";

const MAX_LINES = 12;

/** Asks about the undecided outside imports (again for files those pull in once approved) on a terminal. */
export async function decideOutsideImports(options: CliOptions, style: Style): Promise<void> {
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stdout.isTTY) return;
  const env = process.env;
  const location = { cwd: process.cwd(), configHome: configHome(env), env };
  const settings = await loadSettings({ ...location, flagSettings: options.settings, env });
  for (let round = 0; round < 5; round++) {
    const undecided = new Map<string, string>();
    loadInstructionFiles({
      ...location,
      importDecision: importDecider(location, settings.userOnly?.settings.approvedImports),
      settingSources: options.settingSources,
      onSkippedImport: (path, from, _why, kind) => {
        if (kind === "outside" && !undecided.has(path)) undecided.set(path, from);
      },
    });
    if (undecided.size === 0) return;
    const lines = [...undecided].map(([path, from]) => `  ${path}  (imported by ${from})`);
    const shown = lines.slice(0, MAX_LINES);
    if (lines.length > shown.length) shown.push(`  ... and ${lines.length - shown.length} more`);
    process.stdout.write(
      [
        style.bold("This project's instructions import files from outside the project:"),
        ...shown,
        "Their text would go into the prompt sent to the model.",
        `${style.bold("Include them?")} [y/N] `,
      ].join("\n"),
    );
    const answer = await readAnswer(stdin);
    if (answer === undefined) {
      stdin.setRawMode(false);
      process.exit(130);
    }
    const allow = /^\s*y(es)?\s*$/i.test(answer);
    try {
      const real = [...undecided.keys()].map((path) => {
        try {
          return realpathSync.native(path);
        } catch {
          return path;
        }
      });
      await rememberImportDecision(location, real, allow ? "allow" : "deny");
    } catch (error) {
      process.stderr.write(
        `claw: could not save the import decision (${error instanceof Error ? error.message : String(error)})\n`,
      );
      return;
    }
    process.stdout.write(style.dim(allow ? "Included.\n" : "Left out; claw will not ask again for these.\n"));
    if (!allow) return;
  }
}
