/**
 * One offline plan in a fresh process of a checkout, as operators run it, measured: wall time, CPU
 * time (user + system of the plan process; tsx's esbuild helper process is not included) and peak
 * resident memory (`process.resourceUsage().maxRSS`, reported by usage-report.ts at exit).
 * Used by bench:plan and by the plan's scale test.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const USAGE_HOOK = pathToFileURL(path.join(__dirname, "usage-report.ts")).href;

export interface PlanMeasure {
  /** Wall time of the process, seconds. */
  readonly seconds: number;
  /** User + system CPU time of the plan process, seconds. */
  readonly cpuSeconds: number;
  /** Peak resident set size, bytes. */
  readonly peakBytes: number;
  /** Entries of the bundle's resources.json. */
  readonly resources: number;
}

/**
 * Plans with `tools/plan.ts <args> --out <out>` of `checkout` (its bundle is left in `out`; `scratch`
 * holds the usage report). Throws, with the plan's stderr, when it exits non-zero.
 */
export function measurePlan(checkout: string, args: readonly string[], out: string, scratch: string): PlanMeasure {
  const usageFile = path.join(scratch, "usage.json");
  fs.rmSync(out, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", USAGE_HOOK, path.join(checkout, "tools/plan.ts"), ...args, "--out", out],
    { cwd: checkout, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, USAGE_REPORT_FILE: usageFile } },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`plan in ${checkout} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  const resources = (JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as unknown[]).length;
  const usage = JSON.parse(fs.readFileSync(usageFile, "utf8")) as { peakRssBytes: number; cpuSeconds: number };
  return { seconds, cpuSeconds: usage.cpuSeconds, peakBytes: usage.peakRssBytes, resources };
}
