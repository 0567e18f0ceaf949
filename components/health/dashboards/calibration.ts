/** Calibration and drift: every benchmark's latest result against its rolling median, and the runs themselves. */
import { recordedBaselines, RECORDED } from "../baselines";
import { CALIBRATION_RESULTS, CALIBRATION_STATUS } from "../calibration/results";
import type { HealthContext } from "../context";
import { calibrationDeviation, calibrationThreshold } from "../gates";
import { dashboard, panel, type Dashboard, type PanelSpec } from "./build";
import { nodeVariable, onSelectedNodes, poolVariable } from "./common";

export function calibrationDashboard(ctx: HealthContext): Dashboard {
  const floor = ctx.health.calibration.gate.minRelativeBand;
  const baselines = recordedBaselines(ctx);
  const results: PanelSpec[] = CALIBRATION_RESULTS.map((r) =>
    panel("timeseries", r.benchmark.replace(/_/g, " "), [
      { expr: onSelectedNodes(r.metric), legend: r.metric.includes("network") ? "{{node}} -> {{peer}}" : "{{node}}" },
      { expr: onSelectedNodes(`${RECORDED.calibrationBaseline}{benchmark="${r.benchmark}"}`), legend: "{{node}} median" },
    ], { unit: r.unit, description: r.help, width: 8 }),
  );
  return dashboard({
    uid: "lab-calibration",
    title: "Lab health: calibration and drift",
    description: `Calibration results (written by the nightly jobs) against their ${ctx.window.baseline} rolling median. The gate: ${calibrationThreshold(ctx)}.`,
    variables: [poolVariable, nodeVariable],
    from: "now-30d",
    rows: [
      {
        title: "Drift from baseline (latest result / median - 1; each result's band is its own, see the gate table)",
        panels: [
          panel("table", "Deviation per node and benchmark", [
            ...CALIBRATION_RESULTS.map((r) => ({ expr: onSelectedNodes(`(${calibrationDeviation(ctx, baselines, r)})`), instant: true })),
          ], { width: 24, unit: "percentunit", thresholds: [["orange", null], ["green", -floor], ["orange", floor]] }),
        ],
      },
      { title: "Results and medians", panels: results },
      {
        title: "Runs",
        panels: [
          panel("table", "Skipped steps (a team pod, a busy peer, or outside the window)", [{ expr: onSelectedNodes(`(${CALIBRATION_STATUS.skipped} == 1)`), instant: true }], { width: 8 }),
          panel("table", "iperf3 retransmits (shown, not gated)", [{ expr: onSelectedNodes(CALIBRATION_STATUS.retransmits), instant: true }], { width: 8 }),
          panel("table", "Hours since each step last ran", [{ expr: onSelectedNodes(`((time() - ${CALIBRATION_STATUS.lastRun}) / 3600)`), instant: true }], { width: 8, unit: "h" }),
        ],
      },
    ],
  });
}
