/**
 * PromQL of the calibration gate's inputs: a result counts only while the run that wrote it is
 * current. Age comes from the run's own timestamp (`lab_calibration_last_run_timestamp_seconds
 * {step}`, written into the same textfile as the results), never from when the series was last
 * scraped: node_exporter exposes a textfile as long as it exists, so a file left behind by a job that
 * stopped running looks fresh to every scrape. A step whose last run was skipped
 * (`lab_calibration_skipped{step} == 1`) has no current result at all.
 */
import type { HealthContext } from "../context";
import { durationSeconds } from "../../../config/duration";
import { eq, selector, withLabel } from "../promql/build";
import { CALIBRATION_STATUS, type CalibrationResult } from "./results";

/** Resolution of the calibration history subqueries: results change once a night, an hour resolves that. */
export const CALIBRATION_HISTORY_STEP = "1h";

/** Per node, present (1) while step `step`'s last run is at most the result lifetime old and was not skipped. */
export function calibrationRunCurrent(ctx: HealthContext, step: CalibrationResult["step"]): string {
  const maxAge = durationSeconds(ctx.calibrationMaxAge);
  const ran = `max by (node) (${selector(CALIBRATION_STATUS.lastRun, [eq("step", step)])}) > time() - ${maxAge}`;
  const skipped = `max by (node) (${selector(CALIBRATION_STATUS.skipped, [eq("step", step)])} == 1)`;
  return `(${ran} unless on (node) ${skipped})`;
}

/**
 * The current value of a result per (node, peer), label `benchmark` added: the value exposed now,
 * only while its run is current. Aggregated per node and peer, so a node_exporter rollout (two series
 * of one node for a moment) reads as one value.
 */
export function calibrationCurrent(ctx: HealthContext, result: CalibrationResult): string {
  return withLabel(`max by (node, peer) (${result.metric}) and on (node) ${calibrationRunCurrent(ctx, result.step)}`, "benchmark", result.benchmark);
}

/**
 * The node's current value of a result, whatever the peer (labels node, benchmark): the series whose
 * history gives the band. The iperf3 peer rotates nightly, so per node the history holds every
 * night, where per (node, peer) it would hold one night in n − 1.
 */
export function calibrationNodeValue(ctx: HealthContext, result: CalibrationResult): string {
  return `max by (node, benchmark) (${calibrationCurrent(ctx, result)})`;
}

/**
 * Per node, present where the result cannot exist by design: the network step of a node alone in
 * its pool (no iperf3 peer) writes `skipped{step="network",reason="no_peer"}` every night.
 */
export function calibrationNotApplicable(ctx: HealthContext, result: CalibrationResult): string | undefined {
  if (result.step !== "network") return undefined;
  const maxAge = durationSeconds(ctx.calibrationMaxAge);
  const noPeer = `max by (node) (${selector(CALIBRATION_STATUS.skipped, [eq("step", "network"), eq("reason", "no_peer")])} == 1)`;
  const ran = `max by (node) (${selector(CALIBRATION_STATUS.lastRun, [eq("step", "network")])}) > time() - ${maxAge}`;
  return `(${noPeer} and on (node) ${ran})`;
}

/**
 * When the node's current result was measured (labels node, benchmark): its step's run timestamp,
 * while the result is current. Each run writes a new one, so its changes count nights exactly, even
 * where a benchmark repeats its value to the last digit.
 */
export function calibrationRunTimestamp(ctx: HealthContext, result: CalibrationResult): string {
  const run = `max by (node) (${selector(CALIBRATION_STATUS.lastRun, [eq("step", result.step)])}) and on (node) ${calibrationNodeValue(ctx, result)}`;
  return withLabel(run, "benchmark", result.benchmark);
}
