/** Lab overview: is each pool and node comparable now, since when not, and why (the failed gates). */
import { SERIES } from "../rules";
import { dashboard, OK_MAPPING, panel, type Dashboard } from "./grafana";
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
          panel("stat", "Pools comparable now", [{ expr: `${SERIES.comparable}{scope="pool",pool=~"$pool"}`, legend: "{{pool}}" }], { width: 8, height: 6, mappings: [OK_MAPPING] }),
          panel("table", "Failed gates now (reasons)", [{ expr: `${SERIES.gateFailed}{${nodeSel}}`, instant: true }], {
            width: 16,
            height: 6,
            description: "One row per node and failed gate; empty when everything is comparable.",
          }),
          panel("table", "Gates per node", [{ expr: `${SERIES.gateOk}{scope="node",${nodeSel}}`, instant: true }], {
            width: 24,
            height: 9,
            matrix: { rows: "node", columns: "gate" },
            mappings: [OK_MAPPING],
            thresholds: [["red", null], ["green", 1]],
          }),
        ],
      },
      {
        title: "Over time",
        panels: [
          panel("state-timeline", "Comparable per node", [{ expr: `${SERIES.comparable}{scope="node",${nodeSel}}`, legend: "{{node}}" }], {
            width: 24,
            mappings: [OK_MAPPING],
            thresholds: [["red", null], ["green", 1]],
          }),
          panel("state-timeline", "Gates per pool", [{ expr: `${SERIES.gateOk}{scope="pool",pool=~"$pool"}`, legend: "{{pool}} {{gate}}" }], {
            width: 24,
            height: 12,
            mappings: [OK_MAPPING],
            thresholds: [["red", null], ["green", 1]],
          }),
          panel("timeseries", "Nodes failing each gate", [{ expr: `count by (gate) (${SERIES.gateFailed}{${nodeSel}})`, legend: "{{gate}}" }], { width: 24, min: 0 }),
        ],
      },
    ],
  });
}
