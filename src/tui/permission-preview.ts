// What the permission dialog shows about a call: the command for Bash, a diff preview for Edit/Write,
// the URL for WebFetch, else the input as compact JSON.
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { PermissionQuestion } from "../policy/permission-types.js";
import { formatDiff } from "./format.js";
import type { Style } from "./style.js";

const MAX_PREVIEW_LINES = 30;

function field(input: unknown, name: string): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function clip(text: string, max = MAX_PREVIEW_LINES): string {
  const lines = text.split("\n");
  if (lines.length <= max) return text;
  return `${lines.slice(0, max).join("\n")}\n… ${lines.length - max} more lines`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

export async function permissionPreview(
  question: PermissionQuestion,
  cwd: string,
  style: Style,
  maxLines = MAX_PREVIEW_LINES,
): Promise<string> {
  const { toolName, input } = question;
  if (toolName === "Bash") {
    const command = field(input, "command") ?? "";
    const description = field(input, "description");
    return clip(`${style.bold(command)}${description ? `\n${style.dim(description)}` : ""}`, maxLines);
  }
  const filePath = field(input, "file_path") ?? field(input, "notebook_path");
  if (toolName === "Edit" && filePath) {
    const oldString = field(input, "old_string") ?? "";
    const newString = field(input, "new_string") ?? "";
    const replaceAll = (input as { replace_all?: unknown }).replace_all === true;
    // Diffed against the file itself, so the hunk shows real line numbers and the lines around the change.
    const before = await readText(isAbsolute(filePath) ? filePath : resolve(cwd, filePath));
    const patch =
      before !== undefined && oldString !== "" && before.includes(oldString)
        ? createTwoFilesPatch(
            filePath,
            filePath,
            before,
            replaceAll ? before.split(oldString).join(newString) : before.replace(oldString, () => newString),
            "",
            "",
            { context: 2 },
          )
        : createTwoFilesPatch(filePath, filePath, `${oldString}\n`, `${newString}\n`, "", "", {
            context: 2,
          });
    return `${filePath}\n${formatDiff(patch, style, maxLines)}`;
  }
  if (toolName === "Write" && filePath) {
    const content = field(input, "content") ?? "";
    const absolute = isAbsolute(filePath) ? filePath : resolve(cwd, filePath);
    const before = await readText(absolute);
    if (before === undefined) {
      return `${filePath} ${style.dim("(new file)")}\n${formatDiff(createTwoFilesPatch(filePath, filePath, "", content), style, maxLines)}`;
    }
    return `${filePath}\n${formatDiff(createTwoFilesPatch(filePath, filePath, before, content, "", "", { context: 2 }), style, maxLines)}`;
  }
  const url = field(input, "url");
  if (url) return url;
  let json: string;
  try {
    json = JSON.stringify(input, null, 2) ?? "";
  } catch {
    json = String(input);
  }
  return clip(json, Math.min(15, maxLines));
}
