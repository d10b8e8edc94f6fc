// Placeholder: print mode.
import type { CliOptions } from "./options.js";
export async function runPrintMode(_options: CliOptions): Promise<number> {
  return 1;
}
