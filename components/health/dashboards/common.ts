/** Variables and joins the lab-health dashboards share. */
import { SERIES } from "../rules";
import { labelValuesVariable, type Variable } from "./grafana";

export const poolVariable: Variable = labelValuesVariable("pool", "Pool", SERIES.nodePool, "pool");
export const nodeVariable: Variable = labelValuesVariable("node", "Node", `${SERIES.nodePool}{pool=~"$pool"}`, "node");

/** instance -> node for the selected pools and nodes; multiply a node_exporter series by it. */
export const SELECTED_INSTANCES = `(${SERIES.nodeInstance}{node=~"$node"} * on (node) group_left () ${SERIES.nodePool}{pool=~"$pool"})`;

/** A node_exporter expression restricted to the selected nodes, with a `node` label. */
export function onSelectedNodes(expr: string): string {
  return `${expr} * on (instance) group_left (node) ${SELECTED_INSTANCES}`;
}
