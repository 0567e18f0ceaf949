/** The band arithmetic of the calibration gate (components/health/calibration/tolerance.ts) against published values. */
import { describe, expect, it } from "vitest";
import { binomialUpperTail, calibrationBands, nightTailFor } from "../../components/health/calibration/tolerance";

describe("calibration tolerance arithmetic", () => {
  it("band multiples are Student-t prediction multiples from the tables, for a full and a young baseline", () => {
    // One result, 2 sides x 7 nights = 14 tests; a family rate of 0.14 gives 0.005 per test of each kind.
    const settings = { familyErrorRate: 0.14, persistence: { nights: 7, failing: 3 }, minBaselineNights: 7, minRelativeBand: 0.05 };
    expect(calibrationBands(settings, 1, 28).perTestRate).toBeCloseTo(0.005, 12);
    // t(27; 0.995) = 2.7707, t(6; 0.995) = 3.7074 (NIST/SEMATECH e-Handbook, Table 1.3.6.7.2), times sqrt(1 + 1/n).
    expect(calibrationBands(settings, 1, 28).night).toBeCloseTo(2.7707 * Math.sqrt(1 + 1 / 28), 3);
    expect(calibrationBands(settings, 1, 7).night).toBeCloseTo(3.7074 * Math.sqrt(1 + 1 / 7), 3);
  });

  it("binomial tails and their inverse agree", () => {
    expect(binomialUpperTail(7, 3, 0.5)).toBeCloseTo(99 / 128, 12);
    expect(binomialUpperTail(7, 3, nightTailFor(7, 3, 1e-4))).toBeCloseTo(1e-4, 9);
  });

  it("bands: family rate split over results x 2 sides x 7 nights and the two tests", () => {
    const bands = calibrationBands({ familyErrorRate: 0.01, persistence: { nights: 7, failing: 3 }, minBaselineNights: 7, minRelativeBand: 0.05 }, 7, 28);
    expect(bands.tests).toBe(98);
    expect(bands.perTestRate).toBeCloseTo(0.01 / 2 / 98, 12);
    // Wider than the normal quantile of the same rate (the estimated scale widens it): z(1 - 5.1e-5) = 3.885.
    expect(bands.night).toBeGreaterThan(3.885);
    expect(bands.persistence).toBeLessThan(bands.night);
    expect(bands.persistenceQuantile).toBeCloseTo(2.5 / 7, 12);
    expect(() => calibrationBands({ familyErrorRate: 0.01, persistence: { nights: 3, failing: 4 }, minBaselineNights: 7, minRelativeBand: 0.05 }, 7)).toThrow(/failing/);
  });
});
