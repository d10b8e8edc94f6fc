// Finds and merges the settings files (user, project, local, --settings). Synchronous and tolerant: it runs on
// every start, and no settings problem is ever fatal — bad parts are reported and skipped.
import { closeSync, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseJsonWithLocation } from "./json-location.js";
import { findJsonShapeProblem } from "./json-shape.js";
import { findProjectRoot } from "./project-root.js";
import { emptyMergeState, mergeLayer } from "./settings-merge.js";
import type { Settings } from "./settings-schema.js";

/** The settings validator; its module (and zod, which it uses) loads only when there is a document to check. */
type Validate = typeof import("./settings-validate.js").validateSettingsDocument;

export type SettingsScope = "user" | "project" | "local" | "flag";

export interface SettingsFile {
  scope: SettingsScope;
  /** The file, or "--settings" for inline JSON given on the command line. */
  path: string;
}

export interface LoadSettingsOptions {
  cwd: string;
  configHome: string;
  /** The value of --settings: a file path or a JSON object string. Applied last. */
  flagSettings?: string;
  /** For `~` in a --settings path (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** --setting-sources: which files to read (default all); --settings applies regardless. */
  settingSources?: readonly SettingSource[];
}

/** The settings files `--setting-sources` can choose from, as Claude Code names them. */
export type SettingSource = "user" | "project" | "local";
export const SETTING_SOURCES: readonly SettingSource[] = ["user", "project", "local"];

export interface LoadedSettings {
  /** The merged, validated settings. */
  settings: Settings;
  /** Key path ("model", "env.FOO", "permissions.allow[0]") → the file (or "--settings") that set it. */
  sources: Record<string, string>;
  /** One line each, ready for stderr (see reportSettingsWarnings). */
  warnings: string[];
  /** Files that were read and applied, lowest precedence first. */
  files: SettingsFile[];
  /**
   * The warnings (also in `warnings`) about files that could not be used at all: their deny and ask rules
   * are unknown, so a run must not start as if they did not exist (issue 11, class 8).
   */
  unusable?: string[];
  /**
   * The same merge over the user's own settings and --settings only, for values a cloned repository must not
   * choose (OAuth endpoints: a project file could otherwise send the refresh token to its own server).
   */
  userOnly?: { settings: Settings; sources: Record<string, string> };
}

/** The settings files claw looks at, lowest precedence first (project files live at the project root). */
export function settingsFileCandidates(options: { cwd: string; configHome: string }): SettingsFile[] {
  const project = findProjectRoot(options.cwd) ?? resolve(options.cwd);
  return [
    { scope: "user", path: join(options.configHome, "settings.json") },
    { scope: "project", path: join(project, ".claude", "settings.json") },
    { scope: "local", path: join(project, ".claude", "settings.local.json") },
  ];
}

type ReadOutcome = { kind: "missing" } | { kind: "text"; text: string } | { kind: "error"; message: string };

/** Real settings files are a few kilobytes; a huge one would take seconds and gigabytes to parse. */
export const MAX_SETTINGS_BYTES = 5 * 1024 * 1024;
/** Real settings nest about five levels; deeper documents crash recursive merges. */
export const MAX_SETTINGS_DEPTH = 64;

function readSettingsText(path: string): ReadOutcome {
  let fd: number | undefined;
  try {
    // Opened once and checked before reading: a FIFO or device would block or never end.
    fd = openSync(path, "r");
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return cannotRead(path, "EISDIR");
    if (!stat.isFile()) return cannotRead(path, "not a regular file");
    if (stat.size > MAX_SETTINGS_BYTES) {
      const mb = (stat.size / 1024 / 1024).toFixed(1);
      return {
        kind: "error",
        message: `claw: settings: ${path} is ${mb} MB, over the ${MAX_SETTINGS_BYTES / 1024 / 1024} MB limit for a settings file; skipped it`,
      };
    }
    return { kind: "text", text: readFileSync(fd, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    return cannotRead(path, code ?? "error");
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function cannotRead(path: string, why: string): ReadOutcome {
  return { kind: "error", message: `claw: settings: cannot read ${path} (${why}); skipped it` };
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === "~" || path.startsWith("~/")) return join(env.HOME || homedir(), path.slice(1));
  return path;
}

/** Parses one document and validates it; returns undefined (with a warning) when it cannot be used at all. */
function parseLayer(
  validate: Validate,
  text: string,
  source: string,
  warnings: string[],
  unknown: Array<{ key: string; source: string }>,
): Record<string, unknown> | undefined {
  if (text.trim() === "") return {};
  const parsed = parseJsonWithLocation(text);
  if (!parsed.ok) {
    warnings.push(
      `claw: settings: ${source} is not valid JSON at line ${parsed.line}, column ${parsed.column} (${parsed.message}); skipped it, fix the file to use its settings`,
    );
    return undefined;
  }
  const shape = findJsonShapeProblem(text.replace(/^\uFEFF/, ""), MAX_SETTINGS_DEPTH);
  if (shape) {
    warnings.push(
      `claw: settings: ${source} ${shape.message} at line ${shape.line}, column ${shape.column}; skipped it, fix the file to use its settings`,
    );
    return undefined;
  }
  const validated = validate(parsed.value, source, warnings);
  for (const key of validated.unknownKeys) unknown.push({ key, source });
  return validated.settings;
}

export async function loadSettings(options: LoadSettingsOptions): Promise<LoadedSettings> {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const unknown: Array<{ key: string; source: string }> = [];
  const files: SettingsFile[] = [];
  const state = emptyMergeState();
  const userState = emptyMergeState();
  const documents = readDocuments(options, env, warnings);
  const validate: Validate | undefined = documents.some(({ text }) => text.trim() !== "")
    ? (await import("./settings-validate.js")).validateSettingsDocument
    : undefined;

  for (const { file, text } of documents) {
    const layer = validate ? parseLayer(validate, text, file.path, warnings, unknown) : {};
    if (!layer) continue;
    files.push(file);
    mergeLayer(state, layer, file.path);
    // Parsed again so that the two merges never share objects (warnings were collected above).
    const userLayer =
      file.scope !== "user" && file.scope !== "flag"
        ? undefined
        : validate
          ? parseLayer(validate, text, file.path, [], [])
          : {};
    if (userLayer) mergeLayer(userState, userLayer, file.path);
  }

  for (const { key, source } of unknown) {
    warnings.push(`claw: settings: unknown key "${key}" in ${source} (kept, but claw does not use it)`);
  }
  // Also a `permissions`, `deny` or `ask` value of the wrong type (`"deny": "Bash"`): dropping it fails open.
  const unusable = warnings.filter((w) =>
    / skipped it\b|"permissions(\.(deny|ask)(\[\d+\])?)?" ignored/.test(w),
  );
  return {
    unusable,
    settings: state.value as Settings,
    sources: Object.fromEntries(state.sources),
    warnings,
    files,
    userOnly: { settings: userState.value as Settings, sources: Object.fromEntries(userState.sources) },
  };
}

/** The settings documents in the order they apply (user, project, local, --settings), each read once. */
function readDocuments(
  options: LoadSettingsOptions,
  env: NodeJS.ProcessEnv,
  warnings: string[],
): Array<{ file: SettingsFile; text: string }> {
  const documents: Array<{ file: SettingsFile; text: string }> = [];
  const seen = new Set<string>();
  for (const file of settingsFileCandidates(options)) {
    if (options.settingSources && !options.settingSources.includes(file.scope as SettingSource)) continue;
    const outcome = readSettingsText(file.path);
    if (outcome.kind === "missing") continue;
    if (outcome.kind === "error") {
      warnings.push(outcome.message);
      continue;
    }
    // A project whose root is the home directory would otherwise read the user file twice.
    const real = realpathOrSelf(file.path);
    if (seen.has(real)) continue;
    seen.add(real);
    documents.push({ file, text: outcome.text });
  }

  const flag = options.flagSettings?.trim();
  if (flag) {
    if (flag.startsWith("{")) {
      documents.push({ file: { scope: "flag", path: "--settings" }, text: flag });
    } else {
      const path = resolve(options.cwd, expandHome(flag, env));
      const outcome = readSettingsText(path);
      if (outcome.kind === "missing")
        warnings.push(
          `claw: settings: --settings file ${path} not found; ignored it (pass a file path or JSON)`,
        );
      else if (outcome.kind === "error") warnings.push(outcome.message);
      else documents.push({ file: { scope: "flag", path }, text: outcome.text });
    }
  }
  return documents;
}

const reported = new Set<string>();

/** Writes each warning to stderr once per process, however often settings are reloaded. */
export function reportSettingsWarnings(
  warnings: readonly string[],
  write: (line: string) => void = (line) => process.stderr.write(line),
): void {
  for (const warning of warnings) {
    if (reported.has(warning)) continue;
    reported.add(warning);
    write(`${warning}\n`);
  }
}
