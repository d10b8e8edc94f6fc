// Where session files live: <configHome>/projects/<sanitised cwd>/<sessionId>.jsonl (never inside the project).
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Long paths are cut and suffixed with a hash so the folder name stays valid on every filesystem. */
const MAX_FOLDER_NAME = 200;

export function isSessionId(id: string): boolean {
  return UUID_PATTERN.test(id);
}

export function projectsRoot(configHome: string): string {
  return join(configHome, "projects");
}

/** Same scheme as Claude Code: every character that is not a letter or digit becomes "-". */
export function sanitizeCwd(cwd: string): string {
  const name = resolve(cwd).replace(/[^a-zA-Z0-9]/g, "-");
  if (name.length <= MAX_FOLDER_NAME) return name;
  const hash = createHash("sha256").update(resolve(cwd)).digest("hex").slice(0, 12);
  return `${name.slice(0, MAX_FOLDER_NAME - 13)}-${hash}`;
}

export function projectDir(configHome: string, cwd: string): string {
  return join(projectsRoot(configHome), sanitizeCwd(cwd));
}

export function sessionFilePath(configHome: string, cwd: string, id: string): string {
  return join(projectDir(configHome, cwd), `${id}.jsonl`);
}

/** The session id a file name stands for, or undefined for files that are not sessions. */
export function sessionIdFromFileName(name: string): string | undefined {
  if (!name.endsWith(".jsonl")) return undefined;
  const id = name.slice(0, -".jsonl".length);
  return isSessionId(id) ? id : undefined;
}
