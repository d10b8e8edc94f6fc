// Whether a process still runs. A zombie (killed, not yet reaped: in containers PID 1 may reap late) counts as
// gone, though `process.kill(pid, 0)` still succeeds on it.
import { readFileSync } from "node:fs";

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false; // gone between the two checks
  }
}
