// <config home>/credentials.json: the saved OAuth login under key `oauth`; every other key is preserved.
// Writes are atomic with mode 0600 (directory 0700); a corrupt file is backed up and reported, never replaced
// silently. Token values never appear in messages.
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { type LockTiming, withFileLock } from "../util/file-lock.js";

export interface OAuthCredentials {
  accessToken: string;
  refreshToken: string | undefined;
  /** Unix seconds; undefined when the server gave no lifetime. */
  expiresAt: number | undefined;
  scopes: string[];
}

export class CredentialsFileError extends Error {
  constructor(
    message: string,
    readonly backupPath?: string,
  ) {
    super(message);
  }
}

export interface CredentialsStoreOptions {
  /** One-line warnings (a loose file mode that was fixed, a corrupt file set aside); default: stderr. */
  warn?: (message: string) => void;
  lock?: LockTiming;
}

type Document = Record<string, unknown>;
type Loaded =
  | { kind: "missing" }
  | { kind: "ok"; doc: Document; bytes: Buffer }
  | { kind: "corrupt"; problem: string; bytes: Buffer };

const CREDENTIALS_FILE = "credentials.json";

/** Where the saved login lives (the OS sandbox hides it from commands). */
export function credentialsFilePath(configHome: string): string {
  return join(configHome, CREDENTIALS_FILE);
}

export class CredentialsStore {
  readonly path: string;
  private readonly warn: (message: string) => void;

  constructor(
    readonly configHome: string,
    private readonly options: CredentialsStoreOptions = {},
  ) {
    this.path = credentialsFilePath(configHome);
    this.warn = options.warn ?? ((message) => process.stderr.write(`claw: ${message}\n`));
  }

  /** The saved login, or undefined when there is none. Throws CredentialsFileError for a broken file. */
  async readOAuth(): Promise<OAuthCredentials | undefined> {
    const loaded = await this.load();
    if (loaded.kind === "missing") return undefined;
    if (loaded.kind === "corrupt") throw await this.corruptError(loaded);
    const raw = loaded.doc.oauth;
    if (raw === undefined || raw === null) return undefined;
    const creds = toCredentials(raw);
    if (!creds) {
      const backup = await this.backup(loaded.bytes);
      throw new CredentialsFileError(
        `the saved login in ${this.path} is malformed (a copy is at ${backup}); please run \`claw login\``,
        backup,
      );
    }
    return creds;
  }

  /**
   * Saves the login, keeping every other key. A corrupt file is an error unless `replaceCorrupt` (an explicit
   * new login), in which case it is backed up first and a warning names the copy.
   */
  async saveOAuth(creds: OAuthCredentials, options: { replaceCorrupt?: boolean } = {}): Promise<void> {
    const loaded = await this.load();
    let doc: Document = {};
    if (loaded.kind === "ok") doc = loaded.doc;
    else if (loaded.kind === "corrupt") {
      if (!options.replaceCorrupt) throw await this.corruptError(loaded);
      const backup = await this.backup(loaded.bytes);
      this.warn(`${this.path} was unreadable (${loaded.problem}); replaced it, the old file is at ${backup}`);
    }
    const entry: Document = { accessToken: creds.accessToken };
    if (creds.refreshToken) entry.refreshToken = creds.refreshToken;
    if (creds.expiresAt !== undefined) entry.expiresAt = creds.expiresAt;
    entry.scopes = creds.scopes;
    await this.write({ ...doc, oauth: entry });
  }

  /** Removes only `oauth`. Returns false when there was nothing to remove. */
  async removeOAuth(): Promise<boolean> {
    const loaded = await this.load();
    if (loaded.kind === "missing") return false;
    if (loaded.kind === "corrupt") throw await this.corruptError(loaded);
    if (!("oauth" in loaded.doc)) return false;
    const { oauth: _removed, ...rest } = loaded.doc;
    await this.write(rest);
    return true;
  }

  /** Whether credentials.json exists at all (so logout need not create the directory to lock it). */
  async exists(): Promise<boolean> {
    try {
      await fs.lstat(this.path);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs `fn` holding the cross-process credentials lock (for refresh, login and logout). */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await this.ensureDir();
    return withFileLock(this.path, this.options.lock ?? {}, fn);
  }

  private async ensureDir(): Promise<void> {
    const dir = dirname(this.path);
    try {
      await fs.stat(dir);
    } catch {
      // Created by us: private whatever the umask. An existing directory (e.g. ~/.claude) is left as it is.
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await fs.chmod(dir, 0o700);
    }
  }

  private async write(doc: Document): Promise<void> {
    await this.ensureDir();
    await writeFileAtomic(this.path, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }

  private async load(): Promise<Loaded> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { kind: "missing" };
      throw new CredentialsFileError(
        `cannot read ${this.path} (${code ?? "error"}); fix its permissions (chmod 600) or remove it and run \`claw login\``,
      );
    }
    await this.tightenMode();
    const text = bytes.toString("utf8");
    if (text.trim() === "") return { kind: "corrupt", problem: "the file is empty", bytes };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: "corrupt", problem: "not valid JSON", bytes };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return { kind: "corrupt", problem: "not a JSON object", bytes };
    return { kind: "ok", doc: parsed as Document, bytes };
  }

  /** A credentials file others can read is fixed on sight, with a warning. */
  private async tightenMode(): Promise<void> {
    let mode: number;
    try {
      mode = (await fs.stat(this.path)).mode & 0o777;
    } catch {
      return;
    }
    if ((mode & 0o077) === 0) return;
    try {
      await fs.chmod(this.path, 0o600);
    } catch {
      throw new CredentialsFileError(
        `${this.path} is readable by other users and its mode cannot be changed; run \`chmod 600 ${this.path}\``,
      );
    }
    this.warn(
      `${this.path} was readable by other users (mode ${mode.toString(8).padStart(4, "0")}); changed it to 0600`,
    );
  }

  private async corruptError(loaded: Extract<Loaded, { kind: "corrupt" }>): Promise<CredentialsFileError> {
    const backup = await this.backup(loaded.bytes);
    return new CredentialsFileError(
      `${this.path} is unreadable (${loaded.problem}; a copy is at ${backup}); please run \`claw login\``,
      backup,
    );
  }

  /** Copies a broken file aside (0600: it may hold secrets). The same content is backed up only once. */
  private async backup(bytes: Buffer): Promise<string> {
    const dir = dirname(this.path);
    const prefix = `${basename(this.path)}.corrupt-`;
    try {
      for (const name of await fs.readdir(dir)) {
        if (!name.startsWith(prefix)) continue;
        const existing = await fs.readFile(join(dir, name)).catch(() => undefined);
        if (existing?.equals(bytes)) return join(dir, name);
      }
    } catch {
      // unreadable directory: just write a new copy
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const target = join(dir, `${prefix}${stamp}`);
    await writeFileAtomic(target, bytes, { mode: 0o600 });
    return target;
  }
}

function toCredentials(raw: unknown): OAuthCredentials | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.accessToken !== "string" || r.accessToken === "") return undefined;
  if (r.refreshToken !== undefined && r.refreshToken !== null && typeof r.refreshToken !== "string")
    return undefined;
  if (
    r.expiresAt !== undefined &&
    r.expiresAt !== null &&
    (typeof r.expiresAt !== "number" || !Number.isFinite(r.expiresAt))
  )
    return undefined;
  if (
    r.scopes !== undefined &&
    r.scopes !== null &&
    (!Array.isArray(r.scopes) || r.scopes.some((s) => typeof s !== "string"))
  )
    return undefined;
  return {
    accessToken: r.accessToken,
    refreshToken: typeof r.refreshToken === "string" && r.refreshToken !== "" ? r.refreshToken : undefined,
    // Milliseconds (as some tools store) are recognised by size.
    expiresAt:
      typeof r.expiresAt === "number"
        ? r.expiresAt > 1e12
          ? Math.floor(r.expiresAt / 1000)
          : r.expiresAt
        : undefined,
    scopes: Array.isArray(r.scopes) ? (r.scopes as string[]) : [],
  };
}
