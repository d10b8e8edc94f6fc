// The zod schema for the settings keys claw uses (Claude Code's settings.json format). Objects are loose, so
// keys we do not model are kept as-is; the loader warns about top-level keys nobody knows.
import { z } from "zod";

const ruleList = z.array(z.string());

const permissionModeSetting = z.enum([
  "default",
  "acceptEdits",
  "plan",
  "bypassPermissions",
  "read-only",
  "workspace-write",
  "danger-full-access",
]);

const permissionsSchema = z.looseObject({
  allow: ruleList.optional(),
  ask: ruleList.optional(),
  deny: ruleList.optional(),
  defaultMode: permissionModeSetting.optional(),
  additionalDirectories: z.array(z.string()).optional(),
  disableBypassPermissionsMode: z.literal("disable").optional(),
});

const hookCommandSchema = z.looseObject({
  type: z.literal("command"),
  command: z.string().min(1),
  /** Seconds, as in Claude Code. */
  timeout: z.number().positive().optional(),
});

const hookMatcherSchema = z.looseObject({
  matcher: z.string().optional(),
  hooks: z.array(hookCommandSchema),
});

/** Event name (PreToolUse, PostToolUse, UserPromptSubmit, Stop, PreCompact, ...) → matchers. */
const hooksSchema = z.record(z.string(), z.array(hookMatcherSchema));

const mcpServerSettingSchema = z.looseObject({
  type: z.enum(["stdio", "http", "sse"]).optional(),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

// Every field is optional per file: a project file may override one field of the user's block; the merged
// block is checked for completeness where it is used (auth/oauth-config.ts).
const oauthSettingSchema = z.looseObject({
  clientId: z.string().min(1).optional(),
  authorizeUrl: z.string().min(1).optional(),
  tokenUrl: z.string().min(1).optional(),
  callbackPort: z.number().int().min(0).max(65535).optional(),
  scopes: z.array(z.string()).optional(),
});

// Claude Code's sandbox block. `network.allowedDomains` is ours (as in sandbox-runtime): hosts a sandboxed
// command may reach through claw's proxy, besides those of WebFetch(domain:…) allow rules.
const sandboxNetworkSchema = z.looseObject({
  allowedDomains: z.array(z.string()).optional(),
});

const sandboxSchema = z.looseObject({
  enabled: z.boolean().optional(),
  autoAllowBashIfSandboxed: z.boolean().optional(),
  excludedCommands: z.array(z.string()).optional(),
  allowUnsandboxedCommands: z.boolean().optional(),
  network: sandboxNetworkSchema.optional(),
});

/** A named model endpoint: `--model <name>/<model>` goes there. Only the user's own settings are used. */
const providerEndpointSchema = z.looseObject({
  type: z.string().optional(),
  baseUrl: z.string().optional(),
  apiKeyEnv: z.string().optional(),
});

const statusLineSchema = z.looseObject({
  type: z.literal("command").optional(),
  command: z.string().optional(),
  padding: z.number().optional(),
});

export const settingsSchema = z.looseObject({
  $schema: z.string().optional(),
  model: z.string().min(1).optional(),
  permissions: permissionsSchema.optional(),
  /** Extra environment for tool subprocesses only; never sent to the model. */
  env: z.record(z.string(), z.string()).optional(),
  hooks: hooksSchema.optional(),
  disableAllHooks: z.boolean().optional(),
  mcpServers: z.record(z.string(), mcpServerSettingSchema).optional(),
  enableAllProjectMcpServers: z.boolean().optional(),
  enabledMcpjsonServers: z.array(z.string()).optional(),
  disabledMcpjsonServers: z.array(z.string()).optional(),
  oauth: oauthSettingSchema.optional(),
  autoCompact: z.boolean().optional(),
  cleanupPeriodDays: z.number().int().min(0).optional(),
  includeCoAuthoredBy: z.boolean().optional(),
  apiKeyHelper: z.string().optional(),
  statusLine: statusLineSchema.optional(),
  sandbox: sandboxSchema.optional(),
  theme: z.string().optional(),
  verbose: z.boolean().optional(),
  /** false (user settings only): -p, the SDK and ACP treat folders not trusted in the REPL as untrusted. */
  trustProjectsInPrintMode: z.boolean().optional(),
  /** User settings only: files outside a project that its CLAUDE.md may `@import` (absolute or `~/` paths). */
  approvedImports: z.array(z.string()).optional(),
  providers: z.record(z.string(), providerEndpointSchema).optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

/**
 * Claude Code keys claw does not act on yet. They are kept and not warned about, so a settings file shared
 * with Claude Code stays quiet; anything else unknown gets one warning.
 */
export const KNOWN_FOREIGN_KEYS: ReadonlySet<string> = new Set([
  "alwaysThinkingEnabled",
  "attribution",
  "autoUpdates",
  "autoUpdatesChannel",
  "awsAuthRefresh",
  "awsCredentialExport",
  "companyAnnouncements",
  "enabledPlugins",
  "extraKnownMarketplaces",
  "feedbackSurveyState",
  "forceLoginMethod",
  "forceLoginOrgUUID",
  "outputStyle",
  "otelHeadersHelper",
  "preferredNotifChannel",
  "respectGitignore",
  "spinnerTipsEnabled",
  "subagentStatusLine",
]);

/** Objects whose unknown keys are worth a warning (likely typos); other objects are open-ended. */
export const STRICT_OBJECT_PATHS: ReadonlyMap<string, z.ZodObject> = new Map<string, z.ZodObject>([
  ["permissions", permissionsSchema],
  ["oauth", oauthSettingSchema],
]);
