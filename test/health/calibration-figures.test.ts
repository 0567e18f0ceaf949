/**
 * The calibration gate's statistical figures in a cheap fixed-seed version (the full one is
 * `npm run bench:calibration`): synthetic node histories through the generated rules and the real
 * `promtool test rules`. Fixed seed, so the outcome is the same on every run; the bounds are issue 21's.
 * Size: 12 stationary nodes × 2 weeks per variation level (24 node-weeks: at most one may fail) and 16
 * nodes with the 8% loss (at least 13 caught); about 11 s wall time with both cores busy, timeout 120 s.
 */
import { describe, expect, it } from "vitest";
import { CHEAP_CALIBRATION_FIGURES, calibrationFigures, formatFigures, STATIONARY_VARIATIONS } from "../../tools/health-bench/calibration-figures";
import { requireTools } from "../harness/tools";

const haveTools = requireTools("prometheus", "promtool");

describe.skipIf(!haveTools)("calibration gate figures (fixed seed, through promtool)", () => {
  it("stationary node-weeks are rarely not comparable and never unknown; a sustained 8% loss is caught within a week", async () => {
    const figures = new Map(await calibrationFigures(CHEAP_CALIBRATION_FIGURES));
    const text = formatFigures([...figures]);
    for (const v of STATIONARY_VARIATIONS) expect(figures.get(`calibration_stationary_not_comparable_share_${v}pct`), text).toBeLessThanOrEqual(0.05);
    expect(figures.get("calibration_stationary_unknown_share"), text).toBe(0);
    expect(figures.get("calibration_sustained_8pct_loss_detection"), text).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
