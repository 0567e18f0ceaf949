/**
 * Checks of one series' repetitions before and beside the session model: ties (a timer too coarse
 * for the differences asked about), the resolution seen, outlying repetitions, and a trend of the
 * repetitions within their sessions (a machine warming up or degrading while measured).
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { median } from "./statistics";

/** Smallest positive difference between distinct values: the resolution the data shows. */
export function resolution(values: readonly number[]): number {
  const s = [...new Set(values)].sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < s.length; i++) best = Math.min(best, s[i] - s[i - 1]);
  return best;
}

/**
 * True when ties dominate one stack's series: its session medians take fewer distinct values than
 * half the sessions, or its repetitions at most 2 values (1-second pod timestamps do this). A fine
 * resolution leaves ties among many repetitions but not among the session values the test uses.
 */
export function tiesDominate(sessionMedians: readonly number[], values: readonly number[]): boolean {
  if (values.length >= 4 && new Set(values).size <= 2) return true;
  return sessionMedians.length >= 4 && new Set(sessionMedians).size < sessionMedians.length / 2;
}

/** Median absolute deviation, scaled to sigma for normal data (1.4826). */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/**
 * Repetitions further than 5 robust sigmas (pooled MAD of the log values around their session's
 * median) from their session's median: flagged, not removed (the session median already resists them).
 */
export function outlierCount(logsBySession: readonly (readonly number[])[]): number {
  const residuals = logsBySession.flatMap((xs) => {
    const m = median(xs);
    return xs.map((x) => x - m);
  });
  // A session's median is one of its own values when the count is odd: its zero residual would shrink the scale.
  const scale = mad(residuals.filter((r) => r !== 0));
  if (!(scale > 0)) return 0;
  return residuals.filter((r) => Math.abs(r) > 5 * scale).length;
}

/**
 * Within-session trend: the slope of the values on time pooled over sessions (each session centred
 * on its own mean, so stack and session effects drop out), per hour, with the two-sided p-value of
 * its t-test (df = repetitions - sessions - 1). Undefined when there is nothing to fit.
 */
export function withinSessionTrend(sessions: readonly { hours: readonly number[]; ys: readonly number[] }[]): { perHour: number; p: number } | undefined {
  let sxy = 0;
  let sxx = 0;
  let n = 0;
  const centred = sessions.map(({ hours, ys }) => {
    const mh = hours.reduce((s, h) => s + h, 0) / hours.length;
    const my = ys.reduce((s, y) => s + y, 0) / ys.length;
    return hours.map((h, i) => [h - mh, ys[i] - my] as const);
  });
  for (const points of centred) {
    for (const [x, y] of points) {
      sxy += x * y;
      sxx += x * x;
      n++;
    }
  }
  const df = n - sessions.length - 1;
  if (!(sxx > 0) || df < 2) return undefined;
  const slope = sxy / sxx;
  const rss = centred.flat().reduce((s, [x, y]) => s + (y - slope * x) ** 2, 0);
  const se = Math.sqrt(rss / df / sxx);
  if (!(se > 0)) return undefined;
  return { perHour: slope, p: 2 * (1 - tCdf(Math.abs(slope / se), df)) };
}
