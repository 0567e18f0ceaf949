/**
 * No overcommit: the team quotas fit the allocatable capacity of the pools, per team, for teams that
 * share pools, and in total. Reads what the stack really creates (the ResourceQuotas, the pools on
 * the team namespaces, the capacity on the node patches), so a quota that bypassed the config check
 * is still caught. The arithmetic is the config check's (config/capacity.ts findOvercommits).
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { describeAmount, findOvercommits, quoteList, type Resources, type TeamDemand } from "../../config/capacity";
import { inNamespace, poolCapacity, quotaPromise, teamNamespaces } from "../lib/team-objects";
import { TYPES } from "../lib/types";

const NONE: Resources = { cpu: 0, memoryGiB: 0, pods: 0 };

export const noPoolOvercommit: StackValidationPolicy = {
  name: "no-pool-overcommit",
  description: "Team quotas fit the allocatable capacity of their pools: each team alone, teams sharing pools together, and in total.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const capacity = poolCapacity(args.resources);
    for (const { resource, node, pool } of capacity.unreadable) {
      report(`node ${node} (pool "${pool}") has no readable allocatable-cpu/-memory/-pods annotations; its pool's capacity is unknown`, resource.urn);
    }
    const demands: TeamDemand[] = [];
    const quotaUrn = new Map<string, string>();
    for (const ns of teamNamespaces(args.resources)) {
      if (!ns.pools) {
        report(`team "${ns.team}": namespace ${ns.namespace} does not record its pools (<labelDomain>/pools annotation)`, ns.resource.urn);
        continue;
      }
      const [quota] = inNamespace(args.resources, TYPES.resourceQuota, ns.namespace);
      if (!quota) continue; // team-namespace-quota reports it
      demands.push({ team: ns.team, pools: ns.pools, quota: quotaPromise(quota) });
      quotaUrn.set(ns.team, quota.urn);
    }
    // Every pool a team names is supply, even without nodes (then it holds nothing).
    const supply = new Map(demands.flatMap((d) => d.pools).map((p) => [p, capacity.pools.get(p) ?? NONE]));
    for (const o of findOvercommits(demands, supply)) {
      const have = `${describeAmount(o.kind, o.supply)} allocatable`;
      for (const team of o.teams) {
        const message = o.alone
          ? `team "${team}" is promised ${describeAmount(o.kind, o.demand)} by its ResourceQuota, more than the ${have} on its ` +
            `${o.pools.length === 1 ? `pool "${o.pools[0]}"` : `pools ${quoteList(o.pools)}`}`
          : `team "${team}": overcommit of pools ${quoteList(o.pools)}: teams ${quoteList(o.teams)} are promised ` +
            `${describeAmount(o.kind, o.demand)} together, more than the ${have}`;
        report(message, quotaUrn.get(team));
      }
    }
  },
};
