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
 *
 * Student's t quantiles come from @stdlib/stats-base-dists-t-quantile (exact, through the inverse
 * incomplete beta function; the stack report uses the same package).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

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
  return tQuantile(p, Math.max(1, n - 1)) * Math.sqrt(1 + 1 / n);
}

/** Nights in the week a verdict covers. */
export const NIGHTS_PER_WEEK = 7;

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
