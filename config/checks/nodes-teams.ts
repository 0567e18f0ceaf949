/** Cross-checks of nodes, teams and their quotas. */
import { describeAmount, findOvercommits, quoteList, type ResourceKind } from "../capacity";
import { derivePools, teamQuota, type PoolModel } from "../model";
import type { ConfigProblem } from "../problems";
import type { LabConfig, NodeConfig, TeamConfig } from "../schema";
import { duplicateProblems, duplicates, type Check } from "./util";

/**
 * Namespaces the platform owns; a team may not take one of these names (it would get its roles
 * there; the configured monitoring namespace is refused by networks.ts). Also refused: every name under the prefixes below
 * (Kubernetes', Rancher's and Fleet's own namespaces, including the per-team Fleet workspaces
 * `fleet-team-<team>`), so a team can never be named after another team's workspace.
 */
export const RESERVED_NAMESPACES = [
  "default", "kube-system", "kube-public", "kube-node-lease", "monitoring", "vmetrics",
  "fleet-local", "fleet-default", "cattle-fleet-system", "cattle-system", "lab-system", "vaclab-system",
  // k3s's local-path provisioner: its helper pods mount node directories, so no team may get roles there.
  "local-path-storage",
];
export const RESERVED_NAMESPACE_PREFIXES = ["kube-", "cattle-", "fleet-"];

/**
 * Groups Kubernetes itself assigns (`system:authenticated`, `system:serviceaccounts`,
 * `system:serviceaccounts:<ns>`, `system:masters`, `system:nodes`, …): binding a team role to one
 * would hand the team's rights to every user, every service account or a control-plane identity.
 */
export const RESERVED_GROUP_PREFIX = "system:";

function reservedNamespaceReason(name: string): string | undefined {
  if (RESERVED_NAMESPACES.includes(name)) return `"${name}" is a platform namespace; choose another team name`;
  const prefix = RESERVED_NAMESPACE_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? `"${name}" starts with "${prefix}", reserved for platform namespaces; choose another team name` : undefined;
}

export const uniqueNodes: Check = ({ nodes }) =>
  nodes
    ? [
        ...duplicateProblems("nodes", nodes, "name", (v) => `node name "${v}"`),
        ...duplicateProblems("nodes", nodes, "address", (v) => `address ${v}`),
      ]
    : [];

export const hasServer: Check = ({ nodes }) =>
  nodes && !nodes.some((n) => n.role === "server")
    ? [{ path: "lab:nodes", message: "at least one node must have role server" }]
    : [];

export const uniqueTeams: Check = ({ teams }) => {
  if (!teams) return [];
  return [
    ...duplicateProblems("teams", teams, "name", (v) => `team name "${v}"`),
    ...teams.flatMap((t, i) => {
      const reason = reservedNamespaceReason(t.name);
      return reason ? [{ path: `lab:teams[${i}].name`, message: reason }] : [];
    }),
    ...teams.flatMap((t, i) =>
      t.groups.flatMap((g, j) =>
        g.startsWith(RESERVED_GROUP_PREFIX)
          ? [{ path: `lab:teams[${i}].groups[${j}]`, message: `"${g}" is a Kubernetes system group; name the team's own identity-provider group` }]
          : [],
      ),
    ),
    ...teams.flatMap((t, i) =>
      duplicates(t.pools, (p) => p).map((d) => ({
        path: `lab:teams[${i}].pools[${d.index}]`,
        message: `pool "${d.value}" is listed twice`,
      })),
    ),
  ];
};

export const teamPools: Check = ({ nodes, teams }) => {
  if (!nodes || !teams) return [];
  const pools = new Set(nodes.map((n) => n.pool));
  const known = [...pools].sort().map((p) => `"${p}"`).join(", ");
  const problems: ConfigProblem[] = teams.flatMap((t, i) =>
    t.pools.flatMap((p, j) =>
      pools.has(p) ? [] : [{ path: `lab:teams[${i}].pools[${j}]`, message: `pool "${p}" has no nodes (pools: ${known})` }],
    ),
  );
  // Servers run the control plane; tainting them for a team would starve system workloads.
  nodes.forEach((n, i) => {
    const user = teams.find((t) => t.pools.includes(n.pool));
    if (n.role === "server" && user) {
      problems.push({
        path: `lab:nodes[${i}].pool`,
        message: `server "${n.name}" is in pool "${n.pool}", which team "${user.name}" uses; servers must stay in a platform pool`,
      });
    }
  });
  return problems;
};

/**
 * The pools and the home quota of every team whose pools all exist (teamPools reports the others),
 * by team name, with `pods` derived where the config leaves it out: what the quota cross-checks judge.
 */
export function homeTeamQuotas(cluster: LabConfig["cluster"], nodes: readonly NodeConfig[], teams: readonly TeamConfig[]): { pools: PoolModel[]; quotas: Map<string, ReturnType<typeof teamQuota>> } {
  const existing = new Set(nodes.map((n) => n.pool));
  const valid = teams.filter((t) => t.pools.every((p) => existing.has(p)));
  const pools = derivePools(cluster, nodes, valid);
  return { pools, quotas: new Map(valid.map((t) => [t.name, teamQuota(t, pools)])) };
}

export const quotas: Check = ({ cluster, nodes, teams }) => {
  if (!cluster || !nodes || !teams) return [];
  const { pools, quotas: derived } = homeTeamQuotas(cluster, nodes, teams);
  const valid = teams.filter((t) => derived.has(t.name));
  const demands = valid.map((t) => ({ team: t.name, pools: t.pools, quota: derived.get(t.name)!.quota }));
  const supply = new Map(pools.filter((p) => p.kind !== "platform").map((p) => [p.name, p.allocatable]));
  const path = (team: string, kind: ResourceKind) => `lab:teams[${teams.findIndex((t) => t.name === team)}].quota.${kind}`;
  return findOvercommits(demands, supply).flatMap((o): ConfigProblem[] => {
    if (o.alone) {
      const team = o.teams[0];
      if (o.kind === "pods" && derived.get(team)!.podsDerived) return []; // follows from the cpu problem
      const where = o.pools.length === 1 ? `pool "${o.pools[0]}"` : `pools ${quoteList(o.pools)}`;
      return [{
        path: path(team, o.kind),
        message: `${describeAmount(o.kind, o.demand)} exceed ${where} allocatable capacity of ${describeAmount(o.kind, o.supply)}`,
      }];
    }
    // Teams that share pools must fit them jointly: one problem per team of the violated cut.
    return o.teams.map((team) => ({
      path: path(team, o.kind),
      message:
        `overcommit: teams ${quoteList(o.teams)} are promised ${describeAmount(o.kind, o.demand)} together, ` +
        `but their pools ${quoteList(o.pools)} have ${describeAmount(o.kind, o.supply)} allocatable`,
    }));
  });
};
