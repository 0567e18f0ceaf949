/**
 * Holm's step-down procedure (Holm 1979, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statist. 6:65-70): with m tests, sort the p-values; reject the i-th smallest while
 * p_(i) <= alpha / (m - i + 1). The chance of any false verdict in the whole report is at most alpha,
 * whatever the dependence between series (all series of a session share its machine).
 *
 * Each test also gets the confidence level of an interval compatible with its decision: a rejected
 * test at step i the level 1 - alpha / (m - i + 1), every other test the level of the step where
 * the procedure stopped, 1 - alpha / (m - r) after r rejections. That interval excludes the null
 * exactly when the test was rejected (the test and interval are dual), and every level is at least
 * 1 - alpha, so each interval covers its truth at least as often as a plain 95% interval.
 */

export interface HolmDecision {
  readonly rejected: boolean;
  /** Confidence level of the interval shown with this test. */
  readonly level: number;
  /** Holm-adjusted p-value: the smallest family-wise alpha at which this test would be rejected. */
  readonly adjustedP: number;
}

/** Decisions for `p` (one per test, NaN = not a test: never rejected, level 1 - alpha). */
export function holm(p: readonly number[], alpha: number): HolmDecision[] {
  const tests = p.map((value, index) => ({ value, index })).filter((t) => Number.isFinite(t.value));
  tests.sort((x, y) => x.value - y.value);
  const m = tests.length;
  const out: HolmDecision[] = p.map(() => ({ rejected: false, level: 1 - alpha, adjustedP: Number.NaN }));
  let stopped = false;
  let rejected = 0;
  let running = 0;
  tests.forEach((t, i) => {
    running = Math.max(running, Math.min(1, (m - i) * t.value));
    if (!stopped && t.value <= alpha / (m - i)) {
      rejected++;
      out[t.index] = { rejected: true, level: 1 - alpha / (m - i), adjustedP: running };
    } else {
      stopped = true;
      out[t.index] = { rejected: false, level: 0, adjustedP: running };
    }
  });
  const stopLevel = 1 - alpha / Math.max(1, m - rejected);
  return out.map((d) => (d.level === 0 ? { ...d, level: stopLevel } : d));
}
