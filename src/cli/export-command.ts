// `claw export [session-id|path] [--html] [-o file]`: a saved session (default: this directory's latest) as one
// self-contained HTML page, or markdown without --html, written atomically to -o or to ./claw-<id>.<ext>.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { findLatestSession, findSessionById } from "../session/session-list.js";
import { SessionError } from "../session/session-store.js";
import { configHome } from "../util/config-home.js";

export interface ExportCommandOptions {
  session: string | undefined;
  html: boolean;
  output: string | undefined;
}

function fail(message: string): number {
  process.stderr.write(`claw: ${message}\n`);
  return 1;
}

export async function runExportCommand(options: ExportCommandOptions): Promise<number> {
  const cwd = process.cwd();
  let sessionPath: string | undefined;
  if (!options.session) {
    // No id: the latest session of this directory, as `claw -c` would continue it.
    sessionPath = findLatestSession(configHome(), cwd)?.path;
    if (!sessionPath)
      return fail(`No saved session in ${cwd}; give an id or a session file: claw export <id> --html`);
  } else {
    const asPath = resolve(cwd, options.session);
    if (existsSync(asPath) && statSync(asPath).isFile()) sessionPath = asPath;
    else sessionPath = findSessionById(configHome(), cwd, options.session)?.path;
    if (!sessionPath)
      return fail(
        `No session found with id ${options.session}. Run \`claw sessions\` to list this directory's sessions.`,
      );
  }
  const { renderSessionFile, writeExport } = await import("../session/export/export-session.js");
  const format = options.html ? "html" : "markdown";
  let text: string;
  try {
    text = renderSessionFile(sessionPath, format);
  } catch (error) {
    if (error instanceof SessionError) return fail(error.message);
    throw error;
  }
  const id = /([^/\\]+)\.jsonl$/.exec(sessionPath)?.[1] ?? "session";
  const out = resolve(cwd, options.output ?? `claw-${id}.${format === "html" ? "html" : "md"}`);
  try {
    await writeExport(out, text);
  } catch (error) {
    return fail((error as Error).message);
  }
  process.stdout.write(`Exported to ${out}\n`);
  return 0;
}
