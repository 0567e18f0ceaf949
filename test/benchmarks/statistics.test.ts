/**
 * The report's statistics on synthetic samples with known answers: equal distributions give "no
 * detectable difference" at the stated rate, a 10% shift with enough repetitions is detected, and
 * the interval ranks match the Mann-Whitney tables.
 */
import { describe, expect, it } from "vitest";
import { random } from "../../tools/monitoring/synthetic";
import { compare, mannWhitneyRank, median, minimumRepetitions, quantile, ratioInterval, repetitionsToDetect } from "../../tools/bench/statistics";

/** Log-normal samples around `centre` with `spread` (sigma of the log), seeded. */
function logNormal(seed: number, n: number, centre: number, spread: number): number[] {
  const next = random(seed);
  return Array.from({ length: n }, () => {
    // Box-Muller
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return centre * Math.exp(spread * z);
  });
}

describe("quantiles", () => {
  it("interpolates between order statistics like numpy's default", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBeCloseTo(9.91, 10);
  });
});

describe("Mann-Whitney interval ranks", () => {
  it("match the exact tables (two-sided 0.05): n=m=4 -> 1, n=m=10 -> 24, n=m=20 -> 128", () => {
    // Critical values of U at two-sided 0.05: 0 (n=4), 23 (n=10), 127 (n=20); the interval uses rank U+1.
    expect(mannWhitneyRank(4, 4, 0.05)).toBe(1);
    expect(mannWhitneyRank(10, 10, 0.05)).toBe(24);
    expect(mannWhitneyRank(20, 20, 0.05)).toBe(128);
    expect(mannWhitneyRank(3, 3, 0.05)).toBe(0);
    expect(minimumRepetitions()).toBe(4);
  });

  it("normal approximation beyond 50 per side stays close to the exact rank", () => {
    const exact = mannWhitneyRank(50, 50, 0.05);
    const approx = mannWhitneyRank(51, 51, 0.05);
    expect(Math.abs(approx - exact - 50)).toBeLessThan(15); // 51² vs 50² pairs: the rank grows by ~50
  });
});

describe("verdicts on synthetic runs", () => {
  it("equal distributions: 'no detectable difference' in at least 93% of 200 seeds at 95% (10 reps each)", () => {
    let none = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const a = logNormal(seed, 10, 1e9, 0.05);
      const b = logNormal(seed + 10_000, 10, 1e9, 0.05);
      if (compare(a, b, true).verdict === "no detectable difference") none++;
    }
    console.log(`equal distributions, 10 reps: no detectable difference in ${none}/200 seeds`);
    expect(none / 200).toBeGreaterThanOrEqual(0.93);
  });

  it("a 10% throughput gain with enough repetitions (20 each, 5% spread): detected as B better in at least 95% of 200 seeds", () => {
    let detected = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const a = logNormal(seed, 20, 1e9, 0.05);
      const b = logNormal(seed + 10_000, 20, 1.1e9, 0.05);
      const c = compare(a, b, true);
      if (c.verdict === "B better") detected++;
      expect(c.verdict).not.toBe("B worse");
    }
    console.log(`10% shift, 20 reps, 5% spread: detected in ${detected}/200 seeds`);
    expect(detected / 200).toBeGreaterThanOrEqual(0.95);
  });

  it("direction follows the metric: 10% more latency is 'B worse', 10% less is 'B better'", () => {
    const a = logNormal(7, 20, 1e-3, 0.03);
    expect(compare(a, logNormal(8, 20, 1.1e-3, 0.03), false).verdict).toBe("B worse");
    expect(compare(a, logNormal(9, 20, 0.9e-3, 0.03), false).verdict).toBe("B better");
  });

  it("the interval brackets the true ratio in about 95% of seeds (coverage)", () => {
    let covered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const i = ratioInterval(logNormal(seed, 12, 100, 0.1), logNormal(seed + 500, 12, 120, 0.1));
      if (i.low <= 1.2 && 1.2 <= i.high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.93);
  });

  it("repetitions to detect 5%: more for noisier measurements, and enough in practice", () => {
    const quiet = repetitionsToDetect(logNormal(1, 10, 1, 0.01), logNormal(2, 10, 1, 0.01));
    const noisy = repetitionsToDetect(logNormal(1, 10, 1, 0.08), logNormal(2, 10, 1, 0.08));
    expect(quiet).toBeLessThan(noisy);
    expect(quiet).toBeGreaterThanOrEqual(minimumRepetitions());
    // At the recommended count, a 5% shift of that noise is detected in most seeds (power ~0.8).
    let detected = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const a = logNormal(seed, noisy, 1, 0.08);
      const b = logNormal(seed + 999, noisy, 1.05, 0.08);
      if (compare(a, b, true).verdict === "B better") detected++;
    }
    console.log(`5% shift at 8% spread: ${noisy} reps recommended; detected in ${detected}/100 seeds`);
    expect(detected).toBeGreaterThanOrEqual(65);
  });
});
