/**
 * Statistics of the stack report: per measurement, is B different from A, by how much, and how many
 * repetitions would detect a 5% change?
 *
 * The 95% confidence interval of the ratio B/A is distribution-free: the Mann-Whitney (Wilcoxon
 * rank-sum) test inverted on log values, which gives the interval of the Hodges-Lehmann shift
 * estimator (Hollander & Wolfe, *Nonparametric Statistical Methods*, 3rd ed., §4.3; R's
 * `wilcox.test(conf.int = TRUE)`). It assumes only that B is A scaled by a constant; its coverage
 * is exact for continuous data (the null distribution of U is computed exactly up to 50 samples
 * per side, normal-approximated beyond). CONFIRM (Maricq et al., OSDI'18, "Taming Performance
 * Variability") argues for exactly this kind of nonparametric, median-based interval on testbed
 * measurements, whose distributions are rarely normal.
 *
 * Repetitions needed: Noether's (1987, JASA 82:645) sample size for the Wilcoxon-Mann-Whitney test,
 * two-sided α = 0.05, power 0.8, equal groups, with P(Y > X) under a 5% shift estimated from the
 * pooled, median-centred log samples of both runs.
 */

export const CONFIDENCE = 0.95;
export const DETECTABLE_CHANGE = 0.05;
export const POWER = 0.8;

/** Sorted copy. */
function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Quantile `q` in [0, 1] by linear interpolation between order statistics (R type 7, numpy default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Largest k such that P(U < k) <= alpha/2 under H0 for sample sizes n and m, i.e. the rank of the
 * pairwise difference that bounds the two-sided interval (1-based). 0 when no interval exists.
 */
export function mannWhitneyRank(n: number, m: number, alpha: number): number {
  const key = `${n}/${m}/${alpha}`;
  const known = rankCache.get(key);
  if (known !== undefined) return known;
  const k = computeRank(n, m, alpha);
  rankCache.set(key, k);
  return k;
}

const rankCache = new Map<string, number>();

function computeRank(n: number, m: number, alpha: number): number {
  if (n <= 50 && m <= 50) {
    // f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u): the largest of i+j values is from the first or second sample.
    const f: number[][][] = Array.from({ length: n + 1 }, () => Array.from({ length: m + 1 }, () => [] as number[]));
    for (let i = 0; i <= n; i++) {
      for (let j = 0; j <= m; j++) {
        if (i === 0 || j === 0) {
          f[i][j] = [1];
          continue;
        }
        const out = new Array(i * j + 1).fill(0);
        const x = f[i - 1][j];
        for (let u = 0; u < x.length; u++) out[u + j] += x[u];
        const y = f[i][j - 1];
        for (let u = 0; u < y.length; u++) out[u] += y[u];
        f[i][j] = out;
      }
    }
    const counts = f[n][m];
    const total = counts.reduce((s, c) => s + c, 0);
    let cumulative = 0;
    let k = 0;
    for (let u = 0; u < counts.length; u++) {
      cumulative += counts[u];
      if (cumulative / total > alpha / 2) break;
      k = u + 1;
    }
    return k;
  }
  const z = normalQuantile(1 - alpha / 2);
  return Math.max(0, Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12)));
}

export interface ShiftInterval {
  /** Hodges-Lehmann estimate of the ratio B/A. */
  readonly estimate: number;
  /** Confidence interval of the ratio; [0, Infinity] when the samples are too few for one. */
  readonly low: number;
  readonly high: number;
}

/** The ratio B/A with its distribution-free confidence interval (see the module comment). Values must be > 0. */
export function ratioInterval(a: readonly number[], b: readonly number[], confidence = CONFIDENCE): ShiftInterval {
  const la = a.map(Math.log);
  const lb = b.map(Math.log);
  const differences: number[] = [];
  for (const y of lb) for (const x of la) differences.push(y - x);
  differences.sort((p, q) => p - q);
  const k = mannWhitneyRank(a.length, b.length, 1 - confidence);
  const estimate = Math.exp(median(differences));
  if (k === 0) return { estimate, low: 0, high: Number.POSITIVE_INFINITY };
  return { estimate, low: Math.exp(differences[k - 1]), high: Math.exp(differences[differences.length - k]) };
}

export type Verdict = "B better" | "B worse" | "no detectable difference";

/** The verdict from an interval: a real difference only when the interval excludes 1. */
export function verdict(interval: ShiftInterval, higherIsBetter: boolean): Verdict {
  if (interval.low > 1) return higherIsBetter ? "B better" : "B worse";
  if (interval.high < 1) return higherIsBetter ? "B worse" : "B better";
  return "no detectable difference";
}

/** Smallest repetitions per side at which the exact test can reach significance at all. */
export function minimumRepetitions(confidence = CONFIDENCE): number {
  for (let n = 2; n < 50; n++) if (mannWhitneyRank(n, n, 1 - confidence) > 0) return n;
  return 50;
}

/**
 * Repetitions per run that detect a `change` (relative) with `power` at `confidence`: Noether's
 * formula with P(Y > X) estimated from the pooled, median-centred log samples.
 */
export function repetitionsToDetect(a: readonly number[], b: readonly number[], change = DETECTABLE_CHANGE, confidence = CONFIDENCE, power = POWER): number {
  const centre = (xs: readonly number[]) => {
    const logs = xs.map(Math.log);
    const m = median(logs);
    return logs.map((x) => x - m);
  };
  const residuals = [...centre(a), ...centre(b)];
  const delta = Math.log(1 + change);
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < residuals.length; i++) {
    for (let j = 0; j < residuals.length; j++) {
      if (i === j) continue;
      const d = residuals[i] + delta - residuals[j];
      wins += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      pairs++;
    }
  }
  const p = pairs === 0 ? 1 : wins / pairs;
  const floor = minimumRepetitions(confidence);
  if (p <= 0.5) return Number.POSITIVE_INFINITY;
  const z = normalQuantile(1 - (1 - confidence) / 2) + normalQuantile(power);
  // Noether: N = z² / (12 c (1-c) (p - 1/2)²) in total; c = 1/2 gives N/2 = z² / (6 (p - 1/2)²) per group.
  const perGroup = Math.ceil((z * z) / (6 * (p - 0.5) ** 2));
  return Math.max(floor, perGroup);
}

export interface Comparison {
  readonly medianA: number;
  readonly medianB: number;
  /** medianB / medianA. */
  readonly ratio: number;
  readonly interval: ShiftInterval;
  readonly verdict: Verdict;
  readonly repetitionsA: number;
  readonly repetitionsB: number;
  /** Repetitions per run that would detect a 5% change (80% power, 95% confidence). */
  readonly repetitionsFor5Percent: number;
}

/** Everything the report says about one measurement. Samples must be positive and non-empty. */
export function compare(a: readonly number[], b: readonly number[], higherIsBetter: boolean): Comparison {
  const interval = ratioInterval(a, b);
  const medianA = median(a);
  const medianB = median(b);
  return {
    medianA,
    medianB,
    ratio: medianB / medianA,
    interval,
    verdict: verdict(interval, higherIsBetter),
    repetitionsA: a.length,
    repetitionsB: b.length,
    repetitionsFor5Percent: repetitionsToDetect(a, b),
  };
}
