// Loaded with `node --import` into a measured process: writes its peak RSS (KiB) to $CLAW_BENCH_RSS_FILE at exit.
import { appendFileSync } from "node:fs";

const file = process.env.CLAW_BENCH_RSS_FILE;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
