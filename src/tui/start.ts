// Placeholder until the REPL issue lands.
import type { CliOptions } from "../cli/options.js";
export async function runInteractive(_options: CliOptions): Promise<number> {
  process.stderr.write("claw: the interactive REPL is not available yet; use -p\n");
  return 1;
}
