/**
 * Loaded with `node --import` into a measured process: at exit, writes the process's peak resident
 * set size in bytes (`process.resourceUsage().maxRSS` is in KiB) to the file named by PEAK_RSS_FILE.
 * Used by bench:plan, which cannot read a child's peak memory otherwise.
 */
import * as fs from "node:fs";

const file = process.env.PEAK_RSS_FILE;
if (file) process.on("exit", () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
