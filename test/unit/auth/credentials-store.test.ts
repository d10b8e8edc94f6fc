import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CredentialsFileError,
  CredentialsStore,
  type OAuthCredentials,
} from "../../../src/auth/credentials-store.js";

let root: string;
let home: string;
let warnings: string[];
const store = () => new CredentialsStore(home, { warn: (m) => warnings.push(m) });
const creds: OAuthCredentials = {
  accessToken: "at_1",
  refreshToken: "rt_1",
  expiresAt: 1_900_000_000,
  scopes: ["a"],
};
const file = () => join(home, "credentials.json");
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claw-creds-"));
  home = join(root, "config");
  warnings = [];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function fileError(promise: Promise<unknown>): Promise<CredentialsFileError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CredentialsFileError) return error;
    throw error;
  }
  throw new Error("expected CredentialsFileError");
}

describe("CredentialsStore", () => {
  it("returns undefined when nothing is saved and round-trips a login", async () => {
    expect(await store().readOAuth()).toBeUndefined();
    await store().saveOAuth(creds);
    expect(await store().readOAuth()).toEqual(creds);
    expect(JSON.parse(readFileSync(file(), "utf8")).oauth).toEqual(creds);
  });

  it("creates the file 0600 and its directory 0700 even under umask 000", async () => {
    const old = process.umask(0);
    try {
      await store().saveOAuth(creds);
    } finally {
      process.umask(old);
    }
    expect(mode(file())).toBe(0o600);
    expect(mode(home)).toBe(0o700);
    expect(readdirSync(home).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps every other key on save and on logout", async () => {
    await store().saveOAuth(creds);
    const doc = JSON.parse(readFileSync(file(), "utf8"));
    writeFileSync(file(), JSON.stringify({ ...doc, other: { keep: [1, 2] }, apiKeyHelper: "x" }), {
      mode: 0o600,
    });
    await store().saveOAuth({ ...creds, accessToken: "at_2" });
    expect(JSON.parse(readFileSync(file(), "utf8"))).toMatchObject({
      other: { keep: [1, 2] },
      apiKeyHelper: "x",
    });
    expect(await store().removeOAuth()).toBe(true);
    expect(JSON.parse(readFileSync(file(), "utf8"))).toEqual({ other: { keep: [1, 2] }, apiKeyHelper: "x" });
    expect(await store().removeOAuth()).toBe(false);
  });

  it("fixes a group/world-readable file with a warning", async () => {
    await store().saveOAuth(creds);
    chmodSync(file(), 0o644);
    expect(await store().readOAuth()).toEqual(creds);
    expect(mode(file())).toBe(0o600);
    expect(warnings.join("\n")).toContain("readable by other users");
    expect(warnings.join("\n")).not.toContain("at_1");
  });

  it.each([
    ["truncated JSON", '{"oauth": {"accessToken": "at_'],
    ["an empty file", ""],
    ["a JSON array", "[1]"],
    ["a wrong-typed oauth entry", '{"oauth": {"accessToken": 42}, "keep": true}'],
    ["an oauth string", '{"oauth": "at_x"}'],
  ])("reports %s clearly, backs it up once and leaves it in place", async (_name, content) => {
    mkdirSync(home, { recursive: true });
    writeFileSync(file(), content, { mode: 0o600 });
    const first = await fileError(store().readOAuth());
    expect(first.message).toContain(file());
    expect(first.message).toContain("claw login");
    expect(first.backupPath).toBeDefined();
    expect(readFileSync(first.backupPath as string, "utf8")).toBe(content);
    expect(mode(first.backupPath as string)).toBe(0o600);
    expect(readFileSync(file(), "utf8")).toBe(content);
    // A second failure reuses the same backup rather than piling up copies.
    const second = await fileError(store().readOAuth());
    expect(second.backupPath).toBe(first.backupPath);
    expect(readdirSync(home).filter((n) => n.includes(".corrupt-"))).toHaveLength(1);
  });

  it("refuses to save over or log out of a corrupt file unless a new login replaces it", async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(file(), "{not json", { mode: 0o600 });
    await fileError(store().saveOAuth(creds));
    await fileError(store().removeOAuth());
    expect(readFileSync(file(), "utf8")).toBe("{not json");
    await store().saveOAuth(creds, { replaceCorrupt: true });
    expect(await store().readOAuth()).toEqual(creds);
    expect(warnings.join("\n")).toMatch(/replaced it, the old file is at .*corrupt-/);
  });

  // Root reads any file whatever its mode, so CI (root) covers the same path with a directory in its place below.
  it.skipIf(process.getuid?.() === 0)("reports an unreadable file without crashing", async () => {
    await store().saveOAuth(creds);
    chmodSync(file(), 0o000);
    const error = await fileError(store().readOAuth());
    expect(error.message).toContain("EACCES");
  });

  it("reports a credentials path that cannot be read as a file (even as root) without crashing", async () => {
    mkdirSync(file(), { recursive: true });
    const error = await fileError(store().readOAuth());
    expect(error.message).toContain("EISDIR");
  });

  it("serialises work under the lock across store instances", async () => {
    const order: string[] = [];
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let letGo!: () => void;
    const release = new Promise<void>((resolve) => (letGo = resolve));
    const slow = store().withLock(async () => {
      order.push("a-start");
      holding();
      await release;
      order.push("a-end");
    });
    // The second store asks only once the first holds the lock, and must wait for it.
    await held;
    const fast = store().withLock(async () => {
      order.push("b");
    });
    // Give the waiter time to try (and fail) to take the lock before the holder lets go.
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual(["a-start"]);
    letGo();
    await Promise.all([slow, fast]);
    expect(order).toEqual(["a-start", "a-end", "b"]);
  });

  it("takes over a lock left behind by a crashed process once it is stale", async () => {
    mkdirSync(`${file()}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file()}.lock`, old, old);
    expect(await store().withLock(async () => "ran")).toBe("ran");
    expect(existsSync(`${file()}.lock`)).toBe(false);
  });

  it("gives up on a live lock after the wait limit with a clear error", async () => {
    mkdirSync(`${file()}.lock`, { recursive: true });
    const waiting = new CredentialsStore(home, { lock: { waitMs: 200 } });
    await expect(waiting.withLock(async () => "ran")).rejects.toThrow(
      /another claw process is holding .*credentials\.json\.lock/,
    );
  });

  it("reads expiresAt stored in milliseconds as seconds", async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(file(), JSON.stringify({ oauth: { accessToken: "a", expiresAt: 1_900_000_000_000 } }), {
      mode: 0o600,
    });
    expect(await store().readOAuth()).toEqual({
      accessToken: "a",
      refreshToken: undefined,
      expiresAt: 1_900_000_000,
      scopes: [],
    });
  });
});
