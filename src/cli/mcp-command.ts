// Placeholder until its issue lands.
import type { CliOptions } from "./options.js";
export async function runMcpCommand(_action: string, _args: string[], _options: CliOptions): Promise<number> {
  process.stderr.write("claw: not available yet\n");
  return 1;
}
