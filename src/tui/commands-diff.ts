// /diff: the working tree's changes against HEAD (new untracked files too), stepped through one file at a time
// in a full-screen pager (←/→ or n/p between files, coloured hunks).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { diffStat } from "../tools/file-helpers.js";
import { withoutSensitiveEnv } from "../util/sensitive-env.js";
import type { ReplController } from "./controller.js";
import { type ChangedFile, DiffPager } from "./diff-pager.js";

const MAX_UNTRACKED = 200;
const MAX_UNTRACKED_BYTES = 512 * 1024;

function git(cwd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    // The repository's config may name programs git runs (fsmonitor): they get no credentials.
    execFile(
      "git",
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: withoutSensitiveEnv(process.env) },
      (error, stdout, stderr) =>
        resolve(
          error && !stdout
            ? { ok: false, out: String(stderr || error.message).trim() }
            : { ok: true, out: stdout },
        ),
    );
  });
}

/** `git diff` output cut into files; each keeps its hunks (or git's one-line note, for binary files). */
export function splitGitDiff(diff: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  for (const chunk of diff.split(/^diff --git /m).slice(1)) {
    const header = chunk.split("\n")[0] ?? "";
    const path = /^"?a\/(.*?)"? "?b\//.exec(header)?.[1] ?? header;
    const hunk = chunk.indexOf("\n@@");
    const patch =
      hunk >= 0
        ? chunk.slice(hunk + 1)
        : (chunk.split("\n").find((l) => l.startsWith("Binary")) ?? "(no textual change: mode or rename)");
    files.push({
      path,
      patch: patch.replace(/\n$/, ""),
      ...diffStat(hunk >= 0 ? patch : ""),
      untracked: false,
    });
  }
  return files;
}

async function untrackedFiles(cwd: string): Promise<ChangedFile[]> {
  const listed = await git(cwd, ["ls-files", "--others", "--exclude-standard", "-z"]);
  if (!listed.ok) return [];
  const names = listed.out.split("\0").filter(Boolean).slice(0, MAX_UNTRACKED);
  const files: ChangedFile[] = [];
  for (const name of names) {
    let text: string;
    try {
      const data = await readFile(join(cwd, name));
      if (data.length > MAX_UNTRACKED_BYTES || data.subarray(0, 8192).includes(0)) {
        files.push({
          path: name,
          patch: "(binary or large new file)",
          added: 0,
          removed: 0,
          untracked: true,
        });
        continue;
      }
      text = data.toString("utf8");
    } catch {
      continue;
    }
    const patch = createTwoFilesPatch("/dev/null", name, "", text, "", "", { context: 3 });
    const hunk = patch.indexOf("\n@@");
    const body = hunk >= 0 ? patch.slice(hunk + 1).replace(/\n$/, "") : "(empty file)";
    files.push({ path: name, patch: body, ...diffStat(hunk >= 0 ? body : ""), untracked: true });
  }
  return files;
}

/** Every changed file of the working tree: tracked changes against HEAD, then new untracked files. */
export async function changedFiles(cwd: string): Promise<{ files: ChangedFile[] } | { error: string }> {
  const diff = await git(cwd, ["diff", "HEAD", "--no-color", "--no-ext-diff"]);
  if (!diff.ok) return { error: diff.out.split("\n")[0] ?? "git diff failed" };
  return { files: [...splitGitDiff(diff.out), ...(await untrackedFiles(cwd))] };
}

export async function diffCommand(c: ReplController): Promise<void> {
  const found = await changedFiles(c.runtime.cwd);
  if ("error" in found) {
    c.notice("error", `git diff failed: ${found.error}`);
    return;
  }
  const { files } = found;
  if (files.length === 0) {
    c.print("No changes in the working tree.");
    return;
  }
  const pager = new DiffPager(files, c.style, Math.max(3, c.height() - 3));
  await new Promise<void>((resolve) => {
    pager.onClose = () => {
      c.store.update({ pager: undefined }, true);
      resolve();
    };
    c.store.update({ pager }, true);
  });
  const added = files.reduce((n, f) => n + f.added, 0);
  const removed = files.reduce((n, f) => n + f.removed, 0);
  c.print(
    `${files.length} changed file${files.length === 1 ? "" : "s"} (+${added} -${removed}): ${files
      .slice(0, 8)
      .map((f) => f.path)
      .join(", ")}${files.length > 8 ? ", …" : ""}`,
  );
}
