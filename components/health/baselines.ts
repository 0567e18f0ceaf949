/**
 * What a gate compares with. The recording rules compare with a rolling baseline (the last weeks,
 * leaving out the last day); the weekly report compares with a fixed baseline week. Both are built
 * here from the same raw-series expressions, so the rules and the report cannot drift apart.
 */
import { CALIBRATION_RESULTS } from "./calibration/results";
import { durationSeconds, formatSeconds } from "../../config/duration";
import type { HealthContext } from "./context";
import { copyLabel, eq, selector, withLabel } from "./promql/build";

/** A lookback range: `[window] offset X` (rolling) or `[window] @ t` (fixed). */
export type BaselineRange =
  | { readonly kind: "rolling"; readonly window: string; readonly offset: string }
  | { readonly kind: "fixed"; readonly window: string; readonly endUnix: number };

export interface Baselines {
  /** Median of a calibration result per node and peer, with a `benchmark` label. */
  calibrationMedian(metric: string): string;
  /** p99 pinger pod-to-pod latency in ms per source node (label `node`). */
  pingerP99(): string;
}

export const RECORDED = {
  calibrationBaseline: "lab:calibration_baseline:median",
  pingerBaseline: "lab:pinger_pod_ping_latency_ms:p99_baseline",
} as const;

function suffix(range: BaselineRange): string {
  return range.kind === "rolling" ? `[${range.window}] offset ${range.offset}` : `[${range.window}] @ ${range.endUnix}`;
}

function benchmarkOf(metric: string): string {
  const result = CALIBRATION_RESULTS.find((r) => r.metric === metric);
  if (!result) throw new Error(`${metric} is not a calibration result`);
  return result.benchmark;
}

/** p99 of the pinger pod-ping histogram per source node over a range suffix (`[10m]`, `[7d] @ t`). */
export function pingerP99Over(rangeSuffix: string): string {
  const buckets = copyLabel(`increase(pinger_pod_ping_latency_ms_bucket${rangeSuffix})`, "src_node_name", "node");
  return `histogram_quantile(0.99, sum by (le, node) (${buckets}))`;
}

/** Baselines computed from raw series over `range`: what the baseline rules record, and what the report uses. */
export function rawBaselines(range: BaselineRange): Baselines {
  return {
    // Per series, then per node: a node_exporter rollout within the range (two series of one node,
    // each over part of it) gives one baseline per node and peer, never a duplicate match group.
    calibrationMedian: (metric) => withLabel(`avg by (node, peer) (quantile_over_time(0.5, ${metric}${suffix(range)}))`, "benchmark", benchmarkOf(metric)),
    pingerP99: () => pingerP99Over(suffix(range)),
  };
}

/** The rolling range of the recording rules. */
export function rollingRange(ctx: HealthContext): BaselineRange {
  return { kind: "rolling", window: ctx.window.baseline, offset: ctx.window.baselineExclude };
}

/**
 * How far back the gates look for a recorded baseline: two refresh periods, at least a day. A
 * 28-day median barely moves in a day, and the gates keep working if the baseline group stalls or
 * runs after them in the same evaluation round.
 */
export function recordedBaselineLookback(ctx: HealthContext): string {
  return formatSeconds(Math.max(2 * durationSeconds(ctx.window.baselineRefresh), 86400));
}

/** The rules' view: the rolling medians as recorded by the (hourly) baseline group. */
export function recordedBaselines(ctx: HealthContext): Baselines {
  const lookback = `[${recordedBaselineLookback(ctx)}]`;
  return {
    calibrationMedian: (metric) => `max by (node, peer, benchmark) (last_over_time(${selector(RECORDED.calibrationBaseline, [eq("benchmark", benchmarkOf(metric))])}${lookback}))`,
    pingerP99: () => `max by (node) (last_over_time(${RECORDED.pingerBaseline}${lookback}))`,
  };
}
