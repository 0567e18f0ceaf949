/**
 * The session-level model of the stack report. Per series, each session contributes one summary y
 * (the median of its repetitions' log values, so one bad repetition cannot move it), and
 *
 *   y = b0 + delta * [session ran stack B] + beta * (session time - mean time) + error
 *
 * is fitted by ordinary least squares over the sessions. delta is the stack effect (exp(delta) is
 * the ratio B/A of typical values); beta absorbs a linear drift of the machines over the experiment,
 * which a counterbalanced order (A B B A ...) also cancels by design. Sessions, not repetitions, are
 * the independent units: a session's own random effect (node pair, day, warm caches) is part of the
 * error, so adding repetitions cannot manufacture significance (no pseudo-replication; Hurlbert 1984,
 * CONFIRM: Maricq et al., OSDI'18, §5). The interval and the test are Student's t with n - 3 degrees
 * of freedom (a classical linear model: Draper & Smith, *Applied Regression Analysis*, 3rd ed., ch. 2).
 * Distribution functions: @stdlib/stats-base-dists-t-cdf / -t-quantile / -chisquare-quantile 0.2.3.
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import chisquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";

export interface SessionPoint {
  /** Summary of the session on the analysed scale (log value, or distance to 1). */
  readonly y: number;
  readonly isB: boolean;
  /** Hours since any fixed origin. */
  readonly hours: number;
}

export interface ModelFit {
  /** Stack effect: mean of B minus mean of A on the analysed scale, drift removed. */
  readonly delta: number;
  /** Standard error of delta. */
  readonly se: number;
  /** Residual degrees of freedom (sessions - 3; sessions - 2 when they carry no distinct times). */
  readonly df: number;
  /** Residual standard deviation of one session summary. */
  readonly sigma: number;
  /** Two-sided p-value of delta = 0. */
  readonly p: number;
  /** Drift per hour on the analysed scale, and its two-sided p-value. */
  readonly drift: number;
  readonly driftP: number;
  /** Standardised residual per session (residual / sigma), in the order given. */
  readonly residuals: number[];
}

/** Inverse of a small symmetric positive-definite matrix (Gauss-Jordan); undefined when singular. */
function invert(m: number[][]): number[][] | undefined {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (Math.abs(a[pivot][c]) < 1e-12) return undefined;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/** Least squares of the model above; undefined when the design cannot separate stack and time (or fewer than 4 sessions). */
export function fitSessions(points: readonly SessionPoint[]): ModelFit | undefined {
  const n = points.length;
  if (n < 4) return undefined;
  const meanHours = points.reduce((s, p) => s + p.hours, 0) / n;
  // Sessions without distinct times (a file that gives none) have no time to fit: stack only.
  const timed = points.some((p) => p.hours !== points[0].hours);
  const columns = timed ? [0, 1, 2] : [0, 1];
  const x = points.map((p) => [1, p.isB ? 1 : 0, p.hours - meanHours]);
  const xtx = columns.map((i) => columns.map((j) => x.reduce((s, row) => s + row[i] * row[j], 0)));
  const inv = invert(xtx);
  if (!inv) return undefined;
  const xty = columns.map((i) => x.reduce((s, row, k) => s + row[i] * points[k].y, 0));
  const b = [...inv.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0)), 0].slice(0, 3);
  const raw = points.map((p, k) => p.y - (b[0] + b[1] * x[k][1] + b[2] * x[k][2]));
  const df = n - columns.length;
  const sigma = Math.sqrt(raw.reduce((s, r) => s + r * r, 0) / df);
  const se = sigma * Math.sqrt(inv[1][1]);
  const seDrift = timed ? sigma * Math.sqrt(inv[2][2]) : Number.NaN;
  const twoSided = (t: number) => (Number.isFinite(t) ? 2 * (1 - tCdf(Math.abs(t), df)) : 0);
  return {
    delta: b[1],
    se,
    df,
    sigma,
    p: se > 0 ? twoSided(b[1] / se) : Number.NaN,
    drift: b[2],
    driftP: seDrift > 0 ? twoSided(b[2] / seDrift) : Number.NaN,
    residuals: raw.map((r) => (sigma > 0 ? r / sigma : 0)),
  };
}

/** The two-sided interval of delta at `confidence`. */
export function deltaInterval(fit: ModelFit, confidence: number): [number, number] {
  const t = tQuantile(1 - (1 - confidence) / 2, fit.df);
  return [fit.delta - t * fit.se, fit.delta + t * fit.se];
}

/**
 * Sessions per stack (counterbalanced A B B A blocks, so an even number) that detect a change of
 * `effect` on the analysed scale with `power` at two-sided level `alpha`, from a pilot's residual
 * sigma with `pilotDf` degrees of freedom. The pilot sigma is raised to its one-sided 80% upper
 * confidence limit (sigma * sqrt(df / chi2_{0.2, df}); Browne 1995, Stat. Med. 14:1933), so that the
 * size is large enough in most repetitions of the pilot, not half of them. Power uses the shifted
 * central t approximation. Undefined when more than `maximum` per stack would be needed.
 */
export function sessionsToDetect(sigma: number, pilotDf: number, effect: number, alpha: number, power = 0.8, minimum = 4, maximum = 24): number | undefined {
  const upper = sigma * Math.sqrt(pilotDf / chisquareQuantile(0.2, pilotDf));
  for (let n = minimum; n <= maximum; n += 2) {
    const df = 2 * n - 3;
    const ncp = effect / (upper * Math.sqrt(2 / n));
    const achieved = 1 - tCdf(tQuantile(1 - alpha / 2, df) - ncp, df);
    if (achieved >= power) return n;
  }
  return undefined;
}
