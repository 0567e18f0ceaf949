/**
 * A cheap, fixed-seed run of the stack report's statistical benchmark (tools/bench/statistics-bench.ts;
 * `npm run bench:statistics` runs the full one): the bounds of issue 21 hold on a smaller number of
 * simulated reports, with a tolerance for the smaller count where the bound is a rate of 5%.
 */
import { describe, expect, it } from "vitest";
import { statisticsFigures } from "../../tools/bench/statistics-bench";

describe("stack report statistics (bench:statistics, small)", () => {
  it("null, drift, pseudo-replication and heavy-tail false verdicts, coverage and power within their bounds", () => {
    const f = statisticsFigures({ reports: 20, powerReports: 6 });
    // 20 reports at a true 5%: more than 3 with probability 0.016.
    for (const name of ["stack_null_report_any_verdict_share", "stack_drift_false_verdict_share", "stack_pseudo_replication_false_verdict_share", "stack_heavy_tail_false_verdict_share"]) {
      expect(f[name], name).toBeLessThanOrEqual(3 / 20);
    }
    expect(f.stack_interval_coverage).toBeGreaterThanOrEqual(0.93);
    expect(f.stack_power_10pct).toBeGreaterThanOrEqual(0.8);
    expect(f.stack_recommended_sessions_per_stack).toBeLessThanOrEqual(24);
  }, 60_000);
});
