/**
 * What a gate compares with. The recording rules compare with a rolling baseline (the last weeks,
 * leaving out the last day); the weekly report compares with a fixed baseline week. Both are built
 * here from the same raw-series expressions, so the rules and the report cannot drift apart.
 */
import { CALIBRATION_HISTORY_STEP, calibrationNodeValue, calibrationRunTimestamp } from "./calibration/promql";
import type { CalibrationResult } from "./calibration/results";
import { durationSeconds, formatSeconds } from "../../config/duration";
import type { HealthContext } from "./context";
import { copyLabel, eq, selector } from "./promql/build";

/** A lookback range: `[window] offset X` (rolling) or `[window] @ t` (fixed). */
export type BaselineRange =
  | { readonly kind: "rolling"; readonly window: string; readonly offset: string }
  | { readonly kind: "fixed"; readonly window: string; readonly endUnix: number };

export interface Baselines {
  /** Median of a calibration result's current values per node over the baseline range (labels node, benchmark). */
  calibrationMedian(result: CalibrationResult): string;
  /** Scale of the same history: max((q75 − q25) / 1.349, standard deviation), σ for normal noise (labels node, benchmark). */
  calibrationScale(result: CalibrationResult): string;
  /** Nights of current results in the baseline range: distinct run timestamps, changes + 1 (labels node, benchmark). */
  calibrationNights(result: CalibrationResult): string;
  /** p99 pinger pod-to-pod latency in ms per source node (label `node`). */
  pingerP99(): string;
  /** The recent history the persistence test reads (the same hourly points the baselines are built from). */
  readonly calibrationHistory: CalibrationHistory;
}

export const RECORDED = {
  /** A calibration result's current value per node (labels node, benchmark), recorded hourly: the history the bands come from. */
  calibrationCurrent: "lab:calibration_result:current",
  /** The run timestamp of that value (labels node, benchmark), recorded hourly: its changes count the baseline's nights. */
  calibrationRun: "lab:calibration_result:run_timestamp_seconds",
  calibrationBaseline: "lab:calibration_baseline:median",
  calibrationScale: "lab:calibration_baseline:robust_scale",
  calibrationNights: "lab:calibration_baseline:nights",
  pingerBaseline: "lab:pinger_pod_ping_latency_ms:p99_baseline",
} as const;

function suffix(range: BaselineRange): string {
  return range.kind === "rolling" ? `[${range.window}] offset ${range.offset}` : `[${range.window}] @ ${range.endUnix}`;
}

/** IQR / 1.349 is σ for normal noise: Φ⁻¹(0.75) − Φ⁻¹(0.25) = 1.3490. */
export const IQR_PER_SIGMA = 1.349;

/** p99 of the pinger pod-ping histogram per source node over a range suffix (`[10m]`, `[7d] @ t`). */
export function pingerP99Over(rangeSuffix: string): string {
  const buckets = copyLabel(`increase(pinger_pod_ping_latency_ms_bucket${rangeSuffix})`, "src_node_name", "node");
  return `histogram_quantile(0.99, sum by (le, node) (${buckets}))`;
}

/**
 * A calibration result's history per node over a window, as a range vector (labels node, benchmark),
 * one point per hour: `raw` samples the current value (or, with kind "run", its run timestamp) with a
 * subquery (the weekly report, over raw series); `recorded` reads what the rules record hourly
 * (`lab:calibration_result:current`, `lab:calibration_result:run_timestamp_seconds`).
 */
export type CalibrationHistory = (result: CalibrationResult, window: string, at?: string, kind?: "value" | "run") => string;

export function rawCalibrationHistory(ctx: HealthContext): CalibrationHistory {
  return (r, window, at = "", kind = "value") =>
    `(${kind === "value" ? calibrationNodeValue(ctx, r) : calibrationRunTimestamp(ctx, r)})[${window}:${CALIBRATION_HISTORY_STEP}]${at}`;
}

export function recordedCalibrationHistory(): CalibrationHistory {
  return (r, window, at = "", kind = "value") =>
    `${selector(kind === "value" ? RECORDED.calibrationCurrent : RECORDED.calibrationRun, [eq("benchmark", r.benchmark)])}[${window}]${at}`;
}

/** Median, robust scale and nights of a history over `range`, plus the pinger p99 over the same range. */
function historyBaselines(history: CalibrationHistory, range: BaselineRange): Baselines {
  const at = range.kind === "rolling" ? (range.offset === "0s" ? "" : ` offset ${range.offset}`) : ` @ ${range.endUnix}`;
  const q = (r: CalibrationResult, p: number) => `quantile_over_time(${p}, ${history(r, range.window, at)})`;
  return {
    calibrationMedian: (r) => q(r, 0.5),
    // The larger of IQR / 1.349 and the standard deviation (calibration/tolerance.ts says why).
    calibrationScale: (r) => {
      const iqr = `(${q(r, 0.75)} - ${q(r, 0.25)}) / ${IQR_PER_SIGMA}`;
      const sd = `stddev_over_time(${history(r, range.window, at)})`;
      return `(${iqr} > ${sd} or ${sd})`;
    },
    // Distinct runs behind the results (each run writes a new timestamp), whatever the sampling interval.
    calibrationNights: (r) => `changes(${history(r, range.window, at, "run")}) + 1`,
    pingerP99: () => pingerP99Over(suffix(range)),
    calibrationHistory: history,
  };
}

/**
 * Baselines computed from raw series over `range` (the weekly report). Calibration history is the
 * node's current value sampled hourly: a node_exporter rollout within the range (two series of one
 * node) is one value per node, and only results whose run was current at the time count (a textfile
 * left behind is no new night).
 */
export function rawBaselines(ctx: HealthContext, range: BaselineRange): Baselines {
  return historyBaselines(rawCalibrationHistory(ctx), range);
}

/** What the baseline rules record: the same statistics over the hourly recorded current values. */
export function ruleBaselines(range: BaselineRange): Baselines {
  return historyBaselines(recordedCalibrationHistory(), range);
}

/** The rolling range of the recording rules. */
export function rollingRange(ctx: HealthContext): BaselineRange {
  return { kind: "rolling", window: ctx.window.baseline, offset: ctx.window.baselineExclude };
}

/**
 * The calibration baseline's rolling range: it also leaves out the nights the persistence test reads
 * (default 7), so a sustained change never becomes part of its own reference (a loss inside the
 * baseline widens the scale and moves the median towards itself: the gate would stop failing).
 */
export function calibrationRollingRange(ctx: HealthContext): BaselineRange {
  const offset = Math.max(durationSeconds(ctx.window.baselineExclude), ctx.health.calibration.gate.persistence.nights * 86400);
  return { kind: "rolling", window: ctx.window.baseline, offset: formatSeconds(offset) };
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
  const recorded = (name: string) => (r: CalibrationResult) => `max by (node, benchmark) (last_over_time(${selector(name, [eq("benchmark", r.benchmark)])}${lookback}))`;
  return {
    calibrationMedian: recorded(RECORDED.calibrationBaseline),
    calibrationScale: recorded(RECORDED.calibrationScale),
    calibrationNights: recorded(RECORDED.calibrationNights),
    calibrationHistory: recordedCalibrationHistory(),
    pingerP99: () => `max by (node) (last_over_time(${RECORDED.pingerBaseline}${lookback}))`,
  };
}
