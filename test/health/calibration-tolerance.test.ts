/** The band arithmetic of the calibration gate (components/health/calibration/tolerance.ts) against published values. */
import { describe, expect, it } from "vitest";
import { binomialUpperTail, calibrationBands, nightTailFor, normalQuantile, studentQuantile } from "../../components/health/calibration/tolerance";

describe("calibration tolerance arithmetic", () => {
  it("normal quantiles match the tables (AS 241)", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-5)).toBeCloseTo(-4.264891, 5);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
  });

  it("Student t quantiles match the tables for 27 degrees of freedom", () => {
    expect(studentQuantile(0.975, 27)).toBeCloseTo(2.0518, 3);
    expect(studentQuantile(0.995, 27)).toBeCloseTo(2.7707, 3);
  });

  it("binomial tails and their inverse agree", () => {
    expect(binomialUpperTail(7, 3, 0.5)).toBeCloseTo(99 / 128, 12);
    expect(binomialUpperTail(7, 3, nightTailFor(7, 3, 1e-4))).toBeCloseTo(1e-4, 9);
  });

  it("bands: family rate split over results x 2 sides x 7 nights and the two tests", () => {
    const bands = calibrationBands({ familyErrorRate: 0.01, persistence: { nights: 7, failing: 3 }, minBaselineNights: 7, minRelativeBand: 0.05 }, 7, 28);
    expect(bands.tests).toBe(98);
    expect(bands.perTestRate).toBeCloseTo(0.01 / 2 / 98, 12);
    expect(bands.night).toBeGreaterThan(normalQuantile(1 - bands.perTestRate));
    expect(bands.persistence).toBeLessThan(bands.night);
    expect(bands.persistenceQuantile).toBeCloseTo(2.5 / 7, 12);
    expect(() => calibrationBands({ familyErrorRate: 0.01, persistence: { nights: 3, failing: 4 }, minBaselineNights: 7, minRelativeBand: 0.05 }, 7)).toThrow(/failing/);
  });
});
