/**
 * Lab overview: is each pool and node comparable, not comparable or unknown now, since when, and why
 * (the failed gates, and the gates that could not be evaluated).
 */
import { SERIES } from "../rules";
import { dashboard, OK_MAPPING, panel, type Dashboard } from "./build";
import { nodeVariable, poolVariable } from "./common";

const nodeSel = `pool=~"$pool",node=~"$node"`;

export function overviewDashboard(): Dashboard {
  return dashboard({
    uid: "lab-overview",
    title: "Lab overview: comparability",
    description: "Comparability of the lab now and over the week: per pool, per node, and the gates that failed. Read before comparing two experiments.",
    variables: [poolVariable, nodeVariable],
    rows: [
      {
        title: "Now",
        panels: [
          panel("stat", "Pool verdicts now", [{ expr: `${SERIES.comparable}{scope="pool",pool=~"$pool"}`, legend: "{{pool}}" }], { width: 8, height: 6, mappings: [OK_MAPPING] }),
          panel("table", "Failed gates now (reasons)", [{ expr: `${SERIES.gateFailed}{${nodeSel}}`, instant: true }], {
            width: 8,
            height: 6,
            description: "One row per node and failed gate: the node is NOT comparable. Empty when nothing failed.",
          }),
          panel("table", "Gates not evaluated now (unknown)", [{ expr: `${SERIES.gateUnknown}{${nodeSel}}`, instant: true }], {
            width: 8,
            height: 6,
            description: "One row per node and gate that applies but could not be evaluated (its inputs missing, or its rule failed): the node is UNKNOWN, never comparable, unless another gate failed.",
          }),
          panel("table", "Gates per node", [{ expr: `${SERIES.gateOk}{scope="node",${nodeSel}} or -1 * ${SERIES.gateUnknown}{${nodeSel}}`, instant: true }], {
            width: 24,
            height: 9,
            matrix: { rows: "node", columns: "gate" },
            mappings: [OK_MAPPING],
            thresholds: [["grey", null], ["red", 0], ["green", 1]],
          }),
        ],
      },
      {
        title: "Over time",
        panels: [
          panel("state-timeline", "Verdict per node", [{ expr: `${SERIES.comparable}{scope="node",${nodeSel}}`, legend: "{{node}}" }], {
            width: 24,
            mappings: [OK_MAPPING],
            thresholds: [["grey", null], ["red", 0], ["green", 1]],
          }),
          panel("state-timeline", "Gates per pool", [{ expr: `${SERIES.gateOk}{scope="pool",pool=~"$pool"}`, legend: "{{pool}} {{gate}}" }], {
            width: 24,
            height: 12,
            mappings: [OK_MAPPING],
            thresholds: [["red", null], ["green", 1]],
          }),
          panel("timeseries", "Nodes failing each gate", [{ expr: `count by (gate) (${SERIES.gateFailed}{${nodeSel}})`, legend: "{{gate}}" }], { width: 12, min: 0 }),
          panel("timeseries", "Nodes where each gate was not evaluated", [{ expr: `count by (gate) (${SERIES.gateUnknown}{${nodeSel}})`, legend: "{{gate}}" }], { width: 12, min: 0 }),
        ],
      },
    ],
  });
}
