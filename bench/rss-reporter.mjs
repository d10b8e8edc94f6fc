// Loaded with `node --import` into a measured process: at exit, appends "<peak RSS KiB> <CPU ms>" to
// $CLAW_BENCH_RSS_FILE, so a benchmark can read the process's own figures rather than its parent's.
import { appendFileSync } from "node:fs";

const file = process.env.CLAW_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1000}\n`);
  });
}
