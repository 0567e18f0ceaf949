/**
 * The stack report's statistical properties, measured on simulated comparisons whose truth is known
 * (tools/bench/simulate.ts), with fixed seeds: every call with the same options gives the same
 * figures. `npm run bench:statistics` prints them (tools/bench-statistics.ts); the CI test
 * (test/benchmarks/statistics-bench.test.ts) runs a smaller version and checks the bounds.
 *
 * Figures (shares in [0, 1]):
 * - stack_null_report_any_verdict_share: reports of a stack against itself (1% session effect) with
 *   any "B better"/"B worse" (bound <= 0.05);
 * - stack_drift_false_verdict_share: the same under a 5% linear drift over the experiment (<= 0.05);
 * - stack_pseudo_replication_false_verdict_share: a 1% session effect with 20 repetitions per session
 *   (more repetitions must not make false verdicts; <= 0.05);
 * - stack_heavy_tail_false_verdict_share: t(3) noise and 2% outliers (<= 0.05);
 * - stack_interval_coverage: intervals that contain the true B/A (or 0 for QoS) (>= 0.93);
 * - stack_power_10pct: 10% changes found, in the right direction, at the design the pilot
 *   recommends (>= 0.80); stack_recommended_sessions_per_stack is that design.
 */
import { analyse, type Analysis } from "./analysis";
import { seriesKey } from "./measurements";
import { counterbalanced, simulate, type Scenario } from "./simulate";
import { suiteSeries } from "./synthetic";

export interface BenchOptions {
  /** Simulated reports per scenario. Default 200. */
  readonly reports?: number;
  /** Reports for the power figure (larger designs, slower). Default 100. */
  readonly powerReports?: number;
  /** Sessions of the default design (A B B A blocks). Default 12. */
  readonly sessions?: number;
  /** Repetitions per session. Default 5. */
  readonly repetitions?: number;
}

const isVerdict = (v: string) => v === "B better" || v === "B worse";

function run(s: Scenario): Analysis {
  return analyse(simulate(s), "stack-a", "stack-b");
}

/** Share of reports with any verdict, and the coverage counts of their intervals (truth: no change). */
function nullRate(reports: number, seed0: number, make: (seed: number) => Scenario): { share: number; covered: number; intervals: number } {
  let any = 0;
  let covered = 0;
  let intervals = 0;
  for (let i = 0; i < reports; i++) {
    const r = run(make(seed0 + i));
    if (r.series.some((s) => isVerdict(s.verdict))) any++;
    for (const s of r.series) {
      if (!s.interval) continue;
      const truth = s.scale === "ratio B/A" ? 1 : 0;
      intervals++;
      if (s.interval[0] <= truth && truth <= s.interval[1]) covered++;
    }
  }
  return { share: any / reports, covered, intervals };
}

/** Every figure, in print order. */
export function statisticsFigures(options: BenchOptions = {}): Record<string, number> {
  const reports = options.reports ?? 200;
  const sessions = options.sessions ?? 12;
  const repetitions = options.repetitions ?? 5;
  const order = counterbalanced(sessions);
  const nul = nullRate(reports, 1_000, (seed) => ({ seed, order, repetitions, sessionEffect: 0.01 }));
  const drift = nullRate(reports, 2_000, (seed) => ({ seed, order, repetitions, sessionEffect: 0.01, drift: 0.05 }));
  const pseudo = nullRate(reports, 3_000, (seed) => ({ seed, order, repetitions: 20, sessionEffect: 0.01 }));
  const heavy = nullRate(reports, 4_000, (seed) => ({ seed, order, repetitions, sessionEffect: 0.01, tailDf: 3, outliers: 0.02 }));

  // Power: a pilot of 8 sessions sizes every series; at the largest size that fits the bound, 10%
  // changes in a few series at a time (the others unchanged) must be found in the right direction.
  const pilot = run({ seed: 5_000, order: counterbalanced(8), repetitions, sessionEffect: 0.01 });
  const perStack = pilot.recommendedSessions ?? 24;
  const sized = pilot.series.filter((s) => typeof s.sessionsFor10Percent === "number").map((s) => s.key);
  const specs = suiteSeries();
  let found = 0;
  let changed = 0;
  let covered = nul.covered + drift.covered;
  let intervals = nul.intervals + drift.intervals;
  const powerReports = options.powerReports ?? 100;
  for (let i = 0; i < powerReports; i++) {
    // Three series per report, rotating through the sized ones; up or down by 10%.
    const picks = [0, 1, 2].map((k) => sized[(3 * i + k) % sized.length]);
    const factor = i % 2 === 0 ? 1.1 : 1 / 1.1;
    const changes = Object.fromEntries(picks.map((k) => [k, factor]));
    const r = run({ seed: 6_000 + i, order: counterbalanced(2 * perStack), repetitions, sessionEffect: 0.01, changes });
    for (const s of r.series) {
      const spec = specs.find((x) => seriesKey(x.metric, x.labels) === s.key)!;
      const truth = changes[s.key] ?? 1;
      if (s.interval && s.scale === "ratio B/A") {
        intervals++;
        if (s.interval[0] <= truth && truth <= s.interval[1]) covered++;
      }
      if (!(s.key in changes)) continue;
      changed++;
      // Closer to 1: QoS centres are below 1, so a rise brings them closer.
      const better = s.def.better === "closer to 1" ? spec.centre * truth < 1 || Math.abs(spec.centre * truth - 1) < Math.abs(spec.centre - 1) : (truth > 1) === (s.def.better === "higher");
      if (s.verdict === (better ? "B better" : "B worse")) found++;
    }
  }
  return {
    stack_null_report_any_verdict_share: nul.share,
    stack_drift_false_verdict_share: drift.share,
    stack_pseudo_replication_false_verdict_share: pseudo.share,
    stack_heavy_tail_false_verdict_share: heavy.share,
    stack_interval_coverage: covered / intervals,
    stack_recommended_sessions_per_stack: perStack,
    stack_power_10pct: found / changed,
  };
}
