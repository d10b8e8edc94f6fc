// Placeholder until its issue lands.
import type { CliOptions } from "./options.js";
export async function runLogin(_options: CliOptions): Promise<number> {
  process.stderr.write("claw: not available yet\n");
  return 1;
}
export async function runLogout(_options: CliOptions): Promise<number> {
  process.stderr.write("claw: not available yet\n");
  return 1;
}
