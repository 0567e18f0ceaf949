/** Cross-checks of the benchmark suite: its pool exists and has the two nodes cross-node pairs need. */
import { benchmarkPool } from "../benchmarks";
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

export const benchmarks: Check = ({ benchmarks, nodes, teams }) => {
  if (!benchmarks?.enabled || !nodes) return [];
  const problems: ConfigProblem[] = [];
  const pool = benchmarkPool(benchmarks, nodes, teams ?? []);
  const path = benchmarks.pool !== undefined ? "lab:benchmarks.pool" : "lab:benchmarks";
  if (pool === undefined) {
    problems.push({ path, message: "no pool to run on: no team uses a pool; set lab:benchmarks.pool" });
    return problems;
  }
  const members = nodes.filter((n) => n.pool === pool).length;
  if (members < 2) {
    problems.push({ path, message: `pool "${pool}" has ${members} node(s); cross-node measurements need at least 2` });
  }
  const teamNamespace = (teams ?? []).findIndex((t) => t.name === benchmarks.namespace);
  if (teamNamespace >= 0) {
    problems.push({ path: "lab:benchmarks.namespace", message: `"${benchmarks.namespace}" is the namespace of lab:teams[${teamNamespace}]` });
  }
  return problems;
};
