/**
 * The config as it stands at one assignment: leased nodes in their lease pool, borrowing teams with
 * that pool added, and what each borrowing team's quota grows by. buildModel and the capacity
 * cross-check both read this, so the model and the check can never disagree.
 */
import { addResources, allocatable, sumResources, ZERO, type Resources } from "../capacity";
import type { LabConfig, NodeConfig, TeamConfig } from "../schema";
import { leasePoolName, type Assignment } from "./assignment";

export type LeaseSections = Pick<LabConfig, "cluster" | "nodes" | "teams" | "leases">;

export interface LeasedView {
  /** The nodes with `pool` set to where they are at the assignment. */
  readonly nodes: NodeConfig[];
  /** The teams with the lease pool appended to `pools` while they borrow. */
  readonly teams: TeamConfig[];
  /** What each borrowing team's quota grows by (sum over its active leases). */
  readonly leaseQuota: ReadonlyMap<string, Resources>;
}

/** What one lease adds to its team's quota: its `quota`, or the leased nodes' allocatable (pods default to theirs too). */
export function leaseQuota(config: Pick<LabConfig, "cluster" | "nodes">, lease: LabConfig["leases"][number]): Resources {
  const leased = config.nodes.filter((n) => lease.nodes.includes(n.name));
  const given = sumResources(
    leased.map((n) => allocatable({ cpu: n.cpu, memoryGiB: n.memoryGiB, pods: config.cluster.maxPods }, config.cluster.systemReserved)),
  );
  if (!lease.quota) return given;
  return { cpu: lease.quota.cpu, memoryGiB: lease.quota.memoryGiB, pods: lease.quota.pods ?? given.pods };
}

export function leasedView(config: LeaseSections, assignment: Assignment): LeasedView {
  const nodes = config.nodes.map((n) => {
    const pool = assignment.nodes.get(n.name)?.pool ?? n.pool;
    return pool === n.pool ? n : { ...n, pool };
  });
  const quota = new Map<string, Resources>();
  for (const index of assignment.active) {
    const lease = config.leases[index];
    quota.set(lease.team, addResources(quota.get(lease.team) ?? ZERO, leaseQuota(config, lease)));
  }
  const teams = config.teams.map((t) => (quota.has(t.name) ? { ...t, pools: [...t.pools, leasePoolName(t.name)] } : t));
  return { nodes, teams, leaseQuota: quota };
}
