/**
 * The session model and Holm's procedure against published or hand-computed values: quantiles like
 * numpy, the model's estimate in balanced and drifting designs, Holm's decisions and adjusted p-values as R's p.adjust(method = "holm").
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holm } from "../../tools/bench/multiplicity";
import { deltaInterval, fitSessions, sessionsToDetect } from "../../tools/bench/session-model";
import { median, quantile } from "../../tools/bench/statistics";

describe("quantiles", () => {
  it("interpolates between order statistics like numpy's default", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBeCloseTo(9.91, 10);
  });
});

describe("Holm's procedure", () => {
  it("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02 and rejects at 0.05 exactly those below", () => {
    const d = holm([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(d.map((x) => x.adjustedP)).toEqual([0.03, 0.06, 0.06, 0.02].map((v) => expect.closeTo(v, 12)));
    expect(d.map((x) => x.rejected)).toEqual([true, false, false, true]);
    // Interval levels: the first rejection at 1 - 0.05/4, the second at 1 - 0.05/3, the rest where it stopped (1 - 0.05/2).
    expect(d.map((x) => x.level)).toEqual([1 - 0.05 / 3, 1 - 0.05 / 2, 1 - 0.05 / 2, 1 - 0.05 / 4].map((v) => expect.closeTo(v, 12)));
  });

  it("rejects exactly the tests whose adjusted p-value is at most alpha, every level at least 1 - alpha, NaN never a test", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), { maxLength: 40 }), (p) => {
        const d = holm(p, 0.05);
        d.forEach((x, i) => {
          if (Number.isNaN(p[i])) expect(x.rejected).toBe(false);
          else expect(x.rejected).toBe(x.adjustedP <= 0.05);
          expect(x.level).toBeGreaterThanOrEqual(0.95);
        });
      }),
    );
  });
});

describe("session model", () => {
  it("in balanced A B B A blocks, stack and time are orthogonal: delta is the difference of the means, its interval symmetric", () => {
    const ys = [1.0, 1.3, 1.5, 1.2, 1.2, 1.2, 1.6, 0.9, 1.1, 1.4, 1.5, 1.0];
    const order = "ABBAABBAABBA";
    const fit = fitSessions(ys.map((y, i) => ({ y, isB: order[i] === "B", hours: i })))!;
    // Balanced A B B A blocks make stack and time orthogonal: delta is the plain difference of means.
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(fit.delta).toBeCloseTo(mean(ys.filter((_, i) => order[i] === "B")) - mean(ys.filter((_, i) => order[i] === "A")), 12);
    expect(fit.df).toBe(9);
    const [lo, hi] = deltaInterval(fit, 0.95);
    expect(lo).toBeLessThan(fit.delta);
    expect(hi - fit.delta).toBeCloseTo(fit.delta - lo, 12);
  });

  it("removes a linear drift exactly: sessions on a straight line plus a stack step give that step and zero residuals", () => {
    const order = "ABBAABBA";
    const fit = fitSessions([...order].map((s, i) => ({ y: 0.05 * i + (s === "B" ? 0.1 : 0), isB: s === "B", hours: i })))!;
    expect(fit.delta).toBeCloseTo(0.1, 12);
    expect(fit.drift).toBeCloseTo(0.05, 12);
    expect(fit.sigma).toBeCloseTo(0, 12);
  });

  it("cannot separate stack and time with fewer than 4 sessions", () => {
    expect(fitSessions([{ y: 1, isB: false, hours: 0 }, { y: 2, isB: true, hours: 1 }, { y: 1, isB: false, hours: 2 }])).toBeUndefined();
  });

  it("sizing: more sessions for more spread, none above the bound, never below the minimum", () => {
    const small = sessionsToDetect(0.01, 9, Math.log(1.1), 0.05 / 30)!;
    const large = sessionsToDetect(0.04, 9, Math.log(1.1), 0.05 / 30)!;
    expect(small).toBe(4);
    expect(large).toBeGreaterThan(small);
    expect(sessionsToDetect(0.3, 9, Math.log(1.1), 0.05 / 30)).toBeUndefined();
  });
});
