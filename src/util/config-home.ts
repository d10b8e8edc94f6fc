// The one place that decides where claw keeps its files: CLAUDE_CONFIG_HOME, else ~/.claude.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.CLAUDE_CONFIG_HOME;
  if (override) return resolve(override);
  return join(env.HOME || homedir(), ".claude");
}
