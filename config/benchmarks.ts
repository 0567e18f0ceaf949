/** Derivations for the stack benchmark suite: which pool it runs on. Pure functions of the config. */
import type { NodeConfig, TeamConfig } from "./schema";
import type { BenchmarksConfig } from "./schema/benchmarks";

/** The suite's pool: `lab:benchmarks.pool`, or the first (by name) pool a team uses; undefined if neither. */
export function benchmarkPool(benchmarks: BenchmarksConfig, nodes: readonly NodeConfig[], teams: readonly TeamConfig[]): string | undefined {
  if (benchmarks.pool !== undefined) return benchmarks.pool;
  const existing = new Set(nodes.map((n) => n.pool));
  return [...new Set(teams.flatMap((t) => t.pools))].filter((p) => existing.has(p)).sort()[0];
}
