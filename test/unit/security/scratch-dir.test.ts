// The scratch dir for spilled command output: never inside a per-user parent that is a symlink or open to others.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { privateScratchDir } from "../../../src/util/private-dir.js";

let tmp = "";
const base = () => join(tmp, `claw-${process.getuid?.() ?? "user"}`);

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "claw-scratch-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("privateScratchDir", () => {
  it("creates <tmp>/claw-<uid>/<id> with mode 0700 under umask 000", () => {
    const old = process.umask(0);
    let dir = "";
    try {
      dir = privateScratchDir("s1", tmp);
    } finally {
      process.umask(old);
    }
    expect(dir).toBe(join(base(), "s1"));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(base()).mode & 0o777).toBe(0o700);
  });

  it("closes a per-user parent of ours that others could write to", () => {
    mkdirSync(base());
    chmodSync(base(), 0o777);
    const dir = privateScratchDir("s2", tmp);
    expect(dirname(dir)).toBe(base());
    expect(statSync(base()).mode & 0o777).toBe(0o700);
  });

  it("does not follow a symlink planted at the per-user parent", () => {
    const planted = join(tmp, "attacker");
    mkdirSync(planted);
    symlinkSync(planted, base());
    const dir = privateScratchDir("s3", tmp);
    expect(dir.startsWith(planted)).toBe(false);
    expect(dir.startsWith(`${base()}/`)).toBe(false);
    expect(lstatSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("does not use a per-user parent that is a file", () => {
    rmSync(base(), { force: true });
    mkdirSync(tmp, { recursive: true });
    symlinkSync("/dev/null", base());
    const dir = privateScratchDir("s4", tmp);
    expect(lstatSync(dir).isDirectory()).toBe(true);
  });
});
