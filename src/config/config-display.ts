// Renders effective settings for `claw config` (and `/config` later): one line per value with the file it came
// from; secret-looking values are masked so the output is safe to paste into a bug report.

import { isRecord } from "../util/is-record.js";
import type { LoadedSettings } from "./settings.js";
import { childPath, isConcatenatedPath, sourceOf } from "./settings-merge.js";

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|AUTH|COOKIE|CREDENTIAL/i;
const SECRET_FIELD = /(secret|password|token|api_?key)$/i;

/** True when the value at this path should never be shown: env/header values with secret-looking names, or secret fields. */
export function isSecretPath(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1] ?? "";
  const parent = segments[segments.length - 2];
  // An MCP server's env and headers exist to carry its credentials, whatever they are called (GITHUB_PAT, X-Api).
  if (parent === "env" || parent === "headers") return segments[0] === "mcpServers" || SECRET_NAME.test(last);
  return SECRET_FIELD.test(last);
}

export interface SettingsLine {
  path: string;
  value: string;
  source: string;
}

/** Flattens the merged settings into display lines (leaves; rule lists one entry per line). */
export function settingsLines(loaded: LoadedSettings): SettingsLine[] {
  const sources = new Map(Object.entries(loaded.sources));
  const lines: SettingsLine[] = [];
  const emit = (path: string, segments: string[], value: unknown): void => {
    const shown = isSecretPath(segments) && typeof value === "string" ? "****" : JSON.stringify(value);
    lines.push({ path, value: shown ?? String(value), source: sourceOf(sources, path) ?? "?" });
  };
  const walk = (value: unknown, path: string, segments: string[]): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [key, member] of Object.entries(value))
        walk(member, childPath(path, key), [...segments, key]);
    } else if (Array.isArray(value) && isConcatenatedPath(path)) {
      value.forEach((member, index) => {
        emit(childPath(path, index), segments, member);
      });
    } else {
      emit(path, segments, value);
    }
  };
  // Walk the top-level keys, not the root: empty settings must give no lines (not one " = {}" line).
  for (const [key, member] of Object.entries(loaded.settings)) walk(member, key, [key]);
  return lines;
}

export function formatSettingsReport(
  loaded: LoadedSettings,
  candidates: ReadonlyArray<{ scope: string; path: string }>,
): string {
  const out: string[] = ["Settings files (lowest precedence first):"];
  const loadedPaths = new Set(loaded.files.map((file) => file.path));
  for (const candidate of candidates) {
    const state = loadedPaths.has(candidate.path) ? "loaded" : "not used";
    out.push(`  ${candidate.scope.padEnd(8)} ${candidate.path} (${state})`);
  }
  for (const file of loaded.files) {
    if (file.scope === "flag") out.push(`  ${"flag".padEnd(8)} ${file.path} (loaded)`);
  }
  out.push("", "Effective settings:");
  const lines = settingsLines(loaded);
  if (lines.length === 0) out.push("  (none: claw uses its defaults)");
  for (const line of lines) out.push(`  ${line.path} = ${line.value}    [${line.source}]`);
  return `${out.join("\n")}\n`;
}
