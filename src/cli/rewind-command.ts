// `claw rewind --list` and `claw rewind <id>`: a session's prompts with the files each changed, and restoring
// the code to just before one of them (default session: the latest in this directory).

import { type CheckpointEntry, shortId } from "../session/checkpoints/checkpoint-list.js";
import {
  clipText,
  describeFiles,
  describeRewind,
  NOT_COVERED,
} from "../session/checkpoints/checkpoint-text.js";
import { FileCheckpoints } from "../session/checkpoints/file-checkpoints.js";
import { findLatestSession, findSessionById } from "../session/session-list.js";
import { loadSession } from "../session/session-load.js";
import { SessionError, SessionStore } from "../session/session-store.js";
import { configHome } from "../util/config-home.js";

export interface RewindCommandOptions {
  id: string | undefined;
  list: boolean;
  json: boolean;
  force: boolean;
  resume: string | undefined;
}

function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || "?";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function fail(message: string): number {
  process.stderr.write(`claw: ${message}\n`);
  return 1;
}

export async function runRewindCommand(options: RewindCommandOptions): Promise<number> {
  if (!options.list && !options.id) {
    return fail("rewind needs a prompt id, or --list to see them: claw rewind --list");
  }
  const home = configHome();
  const cwd = process.cwd();
  let file: { path: string } | undefined;
  try {
    file = options.resume ? findSessionById(home, cwd, options.resume) : findLatestSession(home, cwd);
  } catch (error) {
    if (error instanceof SessionError) return fail(error.message);
    throw error;
  }
  if (!file) {
    return fail(
      options.resume
        ? `No session found with id ${options.resume}. Run \`claw sessions\` to list this directory's sessions.`
        : `No session in ${cwd} yet, so nothing to rewind.`,
    );
  }
  let loaded: ReturnType<typeof loadSession>;
  try {
    loaded = loadSession(file.path);
  } catch (error) {
    if (error instanceof SessionError) return fail(error.message);
    throw error;
  }
  // The records go to the session's own file, so the restore shows up in its list and can be undone.
  const store = SessionStore.open({
    path: loaded.path,
    header: loaded.header,
    validLength: loaded.validLength,
    loadedSize: loaded.size,
    onWarning: (message) => process.stderr.write(`${message}\n`),
  });
  try {
    const checkpoints = new FileCheckpoints({
      configHome: home,
      cwd: loaded.header.cwd,
      sessionId: loaded.header.id,
      sessionPath: loaded.path,
      sink: store,
      warn: (message) => process.stderr.write(`${message}\n`),
    });
    if (options.list) return listEntries(await checkpoints.list(), options.json, loaded.header.id);
    return await restore(checkpoints, options);
  } finally {
    store.close();
  }
}

function listEntries(entries: CheckpointEntry[], json: boolean, sessionId: string): number {
  if (json) {
    for (const e of entries) {
      const line = {
        id: e.id,
        kind: e.kind,
        prompt: e.prompt,
        at: e.at,
        files: e.files,
        ...(e.skipped.length ? { skipped: e.skipped } : {}),
        ...(e.rewindOf ? { rewindOf: e.rewindOf } : {}),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`Session ${sessionId} has no prompts to rewind to.\n`);
    return 0;
  }
  for (const e of entries) {
    process.stdout.write(
      `${shortId(e.id)}  ${localTime(e.at)}  ${clipText(e.prompt, 60)}  (${describeFiles(e)})\n`,
    );
  }
  process.stdout.write(`Restore the code to just before one with \`claw rewind <id>\`.\n${NOT_COVERED}\n`);
  return 0;
}

async function restore(checkpoints: FileCheckpoints, options: RewindCommandOptions): Promise<number> {
  const result = await checkpoints.rewind(options.id!, { force: options.force });
  if (!result.ok) {
    if (!result.conflicts) return fail(result.error);
    process.stderr.write(
      `claw: these files changed outside claw since it last wrote them; nothing was restored. Rerun with --force to overwrite them:\n${result.conflicts.map((p) => `  ${p}\n`).join("")}`,
    );
    return 1;
  }
  for (const line of describeRewind(result, "Undo this with `claw rewind <id>`."))
    process.stdout.write(`${line}\n`);
  const failed = result.outcome?.failed ?? [];
  return failed.length > 0 ? 1 : 0;
}
