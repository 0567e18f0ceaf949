/**
 * How wide the calibration gate's band is, derived from the error rate the lab accepts instead of a
 * fixed percentage. Each gated result is compared with its own history on the node: the band is
 * median ± c × s, where s is the history's robust scale (IQR / 1.349, which equals σ for normal
 * noise; Rousseeuw & Croux, JASA 1993) and c follows from the family-wise error rate:
 *
 * - the family of one node's weekly verdict is every gated result × both sides × every night of a
 *   week (a new night makes a new test); Bonferroni splits the rate over them. For a verdict that
 *   fails when ANY test rejects, Holm (1979) rejects something exactly when Bonferroni does (Holm's
 *   first step is the Bonferroni test), so the node verdict is Holm's;
 * - half of the rate goes to the persistence test (at least k of the last m nights beyond
 *   c_persist × s on one side; the per-night tail p solves P(Binomial(m, p) ≥ k) = α'), half to
 *   the single-night test (one night beyond c_night × s: a gross change fails at once).
 *
 * Median and scale are estimated from the baseline's nights, so c is a prediction-interval multiple
 * (Student's t with nights − 1 degrees of freedom) rather than a normal quantile. The scale is the
 * larger of IQR / 1.349 and the standard deviation: either alone underestimates σ now and then from
 * 28 nights (the IQR's efficiency is 37%), and an underestimated scale is what makes false alarms.
 *
 * A relative floor keeps a band from collapsing where the history barely varies (bogo-ops that
 * repeat to 0.1%: a 0.5% wobble is no change of the machine).
 */

/** The gate's statistical settings (config `lab:health.calibration.gate`). */
export interface CalibrationGateSettings {
  /** Share of stationary node-weeks the gate may call not comparable (family-wise, 0–1). */
  readonly familyErrorRate: number;
  /** Persistence: fail when at least `failing` of the last `nights` nights lie beyond the band. */
  readonly persistence: { readonly nights: number; readonly failing: number };
  /** Nights a baseline needs before the gate evaluates (fewer: unknown). */
  readonly minBaselineNights: number;
  /** Smallest half-width of the band, relative to the baseline median (0.02 = 2%). */
  readonly minRelativeBand: number;
}

/** The multipliers of the robust scale the rules use, with the per-test rates behind them. */
export interface CalibrationBands {
  /** Tests in one node-week's family: results × 2 sides × nights per week. */
  readonly tests: number;
  /** Rate per test of each kind (persistence, single night): familyErrorRate / 2 / tests. */
  readonly perTestRate: number;
  /** Per-night one-sided tail probability behind the persistence band. */
  readonly persistenceNightTail: number;
  /** Band multiple of the robust scale for the persistence test. */
  readonly persistence: number;
  /** Band multiple of the robust scale for the single-night test. */
  readonly night: number;
  /** Quantile over the last `nights` nights whose crossing means at least `failing` nights crossed: (k − ½) / m. */
  readonly persistenceQuantile: number;
}

/**
 * The multiple of the baseline's scale that a new night exceeds with probability 1 − p when median
 * and scale are estimated from n nights: the normal prediction interval t_{n−1}(p) × √(1 + 1/n)
 * (the scale's own error widens the band; Hahn & Meeker, Statistical Intervals, 1991, §4.6).
 */
function predictionMultiple(p: number, n: number): number {
  return studentQuantile(p, Math.max(1, n - 1)) * Math.sqrt(1 + 1 / n);
}

/** Nights in the week a verdict covers. */
export const NIGHTS_PER_WEEK = 7;

/**
 * Standard normal quantile Φ⁻¹(p), 0 < p < 1: Wichura's algorithm AS 241 (PPND16, Applied
 * Statistics 37(3), 1988), relative accuracy about 1e-16. Throws outside (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r +
          3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}

/**
 * Student's t quantile with ν degrees of freedom from the normal quantile z = Φ⁻¹(p): the
 * Cornish–Fisher series of Abramowitz & Stegun 26.7.5 (terms to ν⁻³), good to 1e-3 for ν ≥ 10 and |z| ≤ 4.
 */
export function studentQuantile(p: number, nu: number): number {
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3);
}

/** P(Binomial(n, p) ≥ k). */
export function binomialUpperTail(n: number, k: number, p: number): number {
  let sum = 0;
  let term = Math.pow(1 - p, n); // P(X = 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += term;
    term = (term * (n - i) * p) / ((i + 1) * (1 - p));
  }
  return Math.min(1, sum);
}

/** The per-night tail p with P(Binomial(m, p) ≥ k) = target, by bisection (the tail grows with p). */
export function nightTailFor(m: number, k: number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (binomialUpperTail(m, k, mid) > target) hi = mid;
    else lo = mid;
  }
  return lo;
}

/**
 * The band multiples for `results` gated results. Throws when the settings cannot work
 * (persistence failing > nights, rates outside (0, 1)); the config schema refuses those first.
 */
export function calibrationBands(settings: CalibrationGateSettings, results: number, baselineNights = 28): CalibrationBands {
  const { nights, failing } = settings.persistence;
  if (!(failing >= 1 && failing <= nights)) throw new Error(`calibration gate: persistence.failing (${failing}) must be between 1 and persistence.nights (${nights})`);
  if (!(settings.familyErrorRate > 0 && settings.familyErrorRate < 1)) throw new Error(`calibration gate: familyErrorRate must be in (0, 1), got ${settings.familyErrorRate}`);
  const tests = Math.max(1, results) * 2 * NIGHTS_PER_WEEK;
  const perTestRate = settings.familyErrorRate / 2 / tests;
  const persistenceNightTail = nightTailFor(nights, failing, perTestRate);
  return {
    tests,
    perTestRate,
    persistenceNightTail,
    persistence: predictionMultiple(1 - persistenceNightTail, baselineNights),
    night: predictionMultiple(1 - perTestRate, baselineNights),
    persistenceQuantile: (failing - 0.5) / nights,
  };
}
