// The one locked read-modify-write of a JSON object file (settings, .mcp.json, trusted folders): take the
// file's lock, re-read it, refuse to overwrite what cannot be parsed (saying so), then replace it atomically.
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { withFileLock } from "./file-lock.js";
import { isRecord } from "./is-record.js";

/** Why a JSON file was left unchanged; the message is one line for the user. */
export class JsonFileEditError extends Error {}

/** The object in `path`: {} when the file is missing or empty; throws JsonFileEditError when it is not an object. */
export function readJsonObjectFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new JsonFileEditError(`cannot read ${path} (${messageOf(error)})`);
  }
  if (text.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new JsonFileEditError(
      `${path} is not valid JSON (${messageOf(error)}); fix it first, it was left unchanged`,
    );
  }
  if (!isRecord(json)) throw new JsonFileEditError(`${path} is not a JSON object; it was left unchanged`);
  return json;
}

export interface JsonFileEditOptions {
  /** Mode of a newly created file (an existing file keeps its own); also creates the folder with 0o700 when set. */
  mode?: number;
  /** How long to wait for another writer's lock; default 10 s. */
  waitMs?: number;
}

/**
 * Applies `change` to the file's object under its lock. `change` edits the document in place and returns false
 * when nothing changed (nothing is written then). Returns whether the file was written.
 */
export async function editJsonFile(
  path: string,
  change: (doc: Record<string, unknown>) => boolean,
  options: JsonFileEditOptions = {},
): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, ...(options.mode !== undefined ? { mode: 0o700 } : {}) });
  return withFileLock(path, { waitMs: options.waitMs ?? 10_000 }, async () => {
    const doc = readJsonObjectFile(path);
    if (!change(doc)) return false;
    await writeFileAtomic(
      path,
      `${JSON.stringify(doc, null, 2)}\n`,
      options.mode !== undefined ? { mode: options.mode } : {},
    );
    return true;
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
