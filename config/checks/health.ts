/** Cross-checks of the lab-health section: gate windows and the calibration schedule. */
import { durationSeconds, formatSeconds } from "../duration";
import { GATE_WINDOW_MIN_SCRAPES, calibrationRunSeconds, completenessIntervalSeconds, completenessScrapesNeeded, windowSeconds } from "../health";
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

/** Health windows set explicitly must hold enough scrapes (of the slowest tier they read), and the calibration must fit its pools, window and namespaces. */
export const health: Check = ({ health, monitoring, nodes, teams }) => {
  if (!health) return [];
  const problems: ConfigProblem[] = [];
  const { windows, calibration } = health;
  if (monitoring) {
    const tiers = { infra: durationSeconds(monitoring.scrapeIntervals.infra), inventory: durationSeconds(monitoring.scrapeIntervals.inventory) };
    const infra = `lab:monitoring.scrapeIntervals.infra ${monitoring.scrapeIntervals.infra}`;
    // Only set windows are checked: the derived defaults hold enough scrapes by construction.
    if (windows.gate !== undefined && durationSeconds(windows.gate) < GATE_WINDOW_MIN_SCRAPES * tiers.infra) {
      problems.push({ path: "lab:health.windows.gate", message: `${windows.gate} holds fewer than ${GATE_WINDOW_MIN_SCRAPES} scrapes at ${infra} (rate() needs 4 samples)` });
    }
    const needed = completenessScrapesNeeded(health.minAvailability);
    const slowest = tiers.inventory > tiers.infra ? `lab:monitoring.scrapeIntervals.inventory ${monitoring.scrapeIntervals.inventory}` : infra;
    const held = windows.completeness === undefined ? needed : Math.floor(durationSeconds(windows.completeness) / completenessIntervalSeconds(tiers));
    if (health.minAvailability < 1 && held < needed) {
      problems.push({
        path: "lab:health.windows.completeness",
        message: `${windows.completeness} holds ${held} scrapes at ${slowest}; availability ${health.minAvailability} can only be judged over at least ${needed} (leave it unset to derive it)`,
      });
    }
  }
  if (durationSeconds(windows.baselineExclude) >= durationSeconds(windows.baseline)) {
    problems.push({ path: "lab:health.windows.baselineExclude", message: `${windows.baselineExclude} leaves nothing of the ${windows.baseline} baseline window` });
  }
  if (!calibration.enabled) return problems;
  // One run a night: the calibration baseline holds at most one night per day of its window.
  const baselineNights = Math.floor(durationSeconds(windows.baseline) / 86400);
  if (calibration.gate.minBaselineNights > baselineNights) {
    problems.push({
      path: "lab:health.calibration.gate.minBaselineNights",
      message: `${calibration.gate.minBaselineNights} nights do not fit in the ${windows.baseline} baseline window (at most ${baselineNights}): the calibration gate would stay unknown`,
    });
  }
  if (nodes) {
    const pools = [...new Set(nodes.map((n) => n.pool))].sort();
    (calibration.pools ?? []).forEach((pool, i) => {
      if (!pools.includes(pool)) {
        problems.push({ path: `lab:health.calibration.pools[${i}]`, message: `pool "${pool}" has no nodes (pools: ${pools.map((p) => `"${p}"`).join(", ")})` });
      }
    });
  }
  const window = windowSeconds(calibration.window);
  const run = calibrationRunSeconds(calibration);
  if (window < run) {
    problems.push({
      path: "lab:health.calibration.window",
      message: `${calibration.window.start}-${calibration.window.end} UTC (${formatSeconds(window)}) is shorter than one calibration run (${formatSeconds(run)} with the configured benchmark durations)`,
    });
  }
  (teams ?? []).forEach((team) => {
    if (team.name === calibration.namespace) {
      problems.push({ path: "lab:health.calibration.namespace", message: `"${team.name}" is the namespace of team "${team.name}"; calibration pods would count as that team's pods` });
    }
    health.foreignLoad.systemNamespaces.forEach((ns, j) => {
      if (ns === team.name) {
        problems.push({ path: `lab:health.foreignLoad.systemNamespaces[${j}]`, message: `"${ns}" is the namespace of team "${team.name}"; listing it as a system namespace would hide that team's load everywhere` });
      }
    });
  });
  return problems;
};
