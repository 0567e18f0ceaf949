/** Variables and joins the lab-health dashboards share. */
import { SERIES } from "../rules";
import { labelValuesVariable, type Variable } from "./build";

export const poolVariable: Variable = labelValuesVariable("pool", "Pool", SERIES.nodePool, "pool");
export const nodeVariable: Variable = labelValuesVariable("node", "Node", `${SERIES.nodePool}{pool=~"$pool"}`, "node");

/** The selected pools and nodes (labels node, pool). */
export const SELECTED_NODES = `${SERIES.nodePool}{node=~"$node",pool=~"$pool"}`;

/** A node-level expression (every node-level series carries `node`) restricted to the selected nodes. */
export function onSelectedNodes(expr: string): string {
  return `(${expr}) and on (node) ${SELECTED_NODES}`;
}
