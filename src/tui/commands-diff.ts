// /diff: the working tree's changes against HEAD, plus the new files git diff does not show.
import { execFile } from "node:child_process";
import { withoutSensitiveEnv } from "../util/sensitive-env.js";
import type { ReplController } from "./controller.js";
import { formatDiff } from "./format.js";

export async function diffCommand(c: ReplController): Promise<void> {
  const run = (args: string[]) =>
    new Promise<string>((resolve) => {
      // The repository's config may name programs git runs (fsmonitor): they get no credentials.
      execFile(
        "git",
        args,
        { cwd: c.runtime.cwd, maxBuffer: 8 * 1024 * 1024, env: withoutSensitiveEnv(process.env) },
        (error, stdout, stderr) =>
          resolve(error && !stdout ? `error: ${String(stderr || error.message).trim()}` : stdout),
      );
    });
  const stat = await run(["diff", "HEAD", "--stat"]);
  if (stat.startsWith("error:")) {
    c.notice("error", `git diff failed: ${stat.slice(7).split("\n")[0]}`);
    return;
  }
  // New files the model created are changes too, though git diff does not show them until they are added.
  const untracked = (await run(["ls-files", "--others", "--exclude-standard"]))
    .split("\n")
    .filter((line) => line && !line.startsWith("error:"));
  const newFiles =
    untracked.length > 0
      ? `Untracked files:\n${untracked
          .slice(0, 50)
          .map((f) => `  ${c.style.color("green", f)}`)
          .join("\n")}${untracked.length > 50 ? `\n  … ${untracked.length - 50} more` : ""}`
      : "";
  if (!stat.trim()) {
    c.print(newFiles || "No changes in the working tree.");
    return;
  }
  const diff = await run(["diff", "HEAD"]);
  c.print(`${stat.trimEnd()}\n\n${formatDiff(diff, c.style, 400)}${newFiles ? `\n\n${newFiles}` : ""}`);
}
