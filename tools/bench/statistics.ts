/**
 * Quantiles of the benchmark tools' samples (per repetition: p50 and p99 of a repetition's echoes,
 * lookups, pods) and of the report's sessions. The report's tests and intervals live in
 * tools/bench/analysis.ts and tools/bench/session-model.ts.
 */

/** Quantile `q` in [0, 1] by linear interpolation between order statistics (R type 7, numpy default); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
