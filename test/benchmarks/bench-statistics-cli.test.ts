/** `npm run bench:statistics` prints every figure as `name: value`, one per line (tiny counts here; the figures' bounds are checked in statistics-bench.test.ts and test/health/calibration-figures.test.ts). */
import { expect, it } from "vitest";
import { runTool } from "../harness/run-process";

it("prints each figure as `name: value` on its own line, and refuses a bad count", async () => {
  const [ok, bad] = await Promise.all([runTool("bench-statistics", ["--reports", "2", "--power-reports", "1", "--calibration-nodes", "4", "--calibration-weeks", "1"], 120_000), runTool("bench-statistics", ["--reports", "0"], 60_000)]);
  expect(ok.status, ok.stderr).toBe(0);
  const lines = ok.stdout.trim().split("\n");
  expect(lines.map((l) => l.split(": ")[0])).toEqual([
    "stack_null_report_any_verdict_share",
    "stack_drift_false_verdict_share",
    "stack_pseudo_replication_false_verdict_share",
    "stack_heavy_tail_false_verdict_share",
    "stack_interval_coverage",
    "stack_recommended_sessions_per_stack",
    "stack_power_10pct",
    "calibration_stationary_not_comparable_share_2pct",
    "calibration_stationary_not_comparable_share_3pct",
    "calibration_stationary_not_comparable_share_4pct",
    "calibration_stationary_not_comparable_share_5pct",
    "calibration_stationary_not_comparable_share_7pct",
    "calibration_stationary_unknown_share",
    "calibration_sustained_8pct_loss_detection",
  ]);
  for (const line of lines) expect(line).toMatch(/^[a-z0-9_]+: (\d\.\d{3}|\d+)$/);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--reports "0": a whole number from 1');
  expect(bad.stdout).toBe("");
}, 120_000);
