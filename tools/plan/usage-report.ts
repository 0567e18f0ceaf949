/**
 * Loaded with `node --import` into a measured process: at exit, writes the process's resource usage
 * to the file named by USAGE_REPORT_FILE as JSON `{ peakRssBytes, cpuSeconds }` (peak resident set
 * size; user + system CPU time, which other load on the machine inflates far less than wall time).
 * Used by bench:plan, which cannot read a child's usage otherwise.
 */
import * as fs from "node:fs";

const file = process.env.USAGE_REPORT_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    // maxRSS is in KiB; CPU times in microseconds.
    fs.writeFileSync(file, JSON.stringify({ peakRssBytes: usage.maxRSS * 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
