// /diff: the working tree's changes against HEAD (new untracked files too), or outside git the edits claw made
// this session, stepped through one file at a time in a full-screen pager (←/→ or n/p between files, coloured).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Message } from "../api/types.js";
import { diffStat, unifiedDiff } from "../tools/file-helpers.js";
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

function hunksOf(path: string, before: string, after: string): string {
  const patch = unifiedDiff(path, before, after);
  const at = patch.indexOf("\n@@");
  return at >= 0 ? patch.slice(at + 1).replace(/\n$/, "") : "";
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
    const body = hunksOf(name, "", text);
    files.push({ path: name, patch: body || "(empty file)", ...diffStat(body), untracked: true });
  }
  return files;
}

/** Every changed file of the working tree: tracked changes against HEAD, then new untracked files. */
export async function changedFiles(cwd: string): Promise<{ files: ChangedFile[] } | { error: string }> {
  const diff = await git(cwd, ["diff", "HEAD", "--no-color", "--no-ext-diff"]);
  if (!diff.ok) return { error: diff.out.split("\n")[0] ?? "git diff failed" };
  return { files: [...splitGitDiff(diff.out), ...(await untrackedFiles(cwd))] };
}

/** Outside git: what this session's successful Edit, MultiEdit and Write calls changed, one entry a file. */
export function sessionChanges(messages: readonly Message[], cwd: string): ChangedFile[] {
  const failed = new Set<string>();
  for (const m of messages)
    if (typeof m.content !== "string")
      for (const b of m.content) if (b.type === "tool_result" && b.is_error) failed.add(b.tool_use_id);
  const byFile = new Map<string, string[]>();
  for (const m of messages) {
    if (m.role !== "assistant" || typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type !== "tool_use" || failed.has(b.id) || !["Edit", "MultiEdit", "Write"].includes(b.name))
        continue;
      const input = (b.input ?? {}) as Record<string, unknown>;
      const path = typeof input.file_path === "string" ? input.file_path : undefined;
      if (!path) continue;
      const text = (v: unknown) => (typeof v === "string" ? v : "");
      const edits =
        b.name === "Edit"
          ? [input]
          : b.name === "MultiEdit" && Array.isArray(input.edits)
            ? (input.edits as Record<string, unknown>[])
            : [];
      const hunks =
        b.name === "Write"
          ? [hunksOf(path, "", text(input.content))]
          : edits.map((e) => hunksOf(path, `${text(e.old_string)}\n`, `${text(e.new_string)}\n`));
      const shown = relative(cwd, path).startsWith("..") ? path : relative(cwd, path);
      byFile.set(shown, [...(byFile.get(shown) ?? []), ...hunks.filter(Boolean)]);
    }
  }
  return [...byFile].map(([path, hunks]) => {
    const patch = hunks.join("\n");
    return { path, patch, ...diffStat(patch), untracked: false };
  });
}

export async function diffCommand(c: ReplController): Promise<void> {
  const found = await changedFiles(c.runtime.cwd);
  let files: ChangedFile[];
  if ("error" in found) {
    // Not a repository (or git is missing): the files this session changed, as its edits describe them.
    files = sessionChanges(c.runtime.agent.messages, c.runtime.cwd);
    if (files.length === 0) {
      c.notice("info", `No git diff here (${found.error}), and claw changed no files in this session.`);
      return;
    }
    c.notice("info", `Not a git repository: showing the edits claw made in this session (${found.error}).`);
  } else files = found.files;
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
